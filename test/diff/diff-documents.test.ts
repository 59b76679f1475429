import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffDocuments, diffSnapshots } from '../../src/diff/index.ts';
import { surfaceId } from '../../src/model/ids.ts';
import type { DriftPath, Json } from '../../src/model/findings.ts';
import type { NormalizeRules } from '../../src/normalize/index.ts';

const S = surfaceId('roles');
const RULES: NormalizeRules = {
  volatileFields: ['selfUri', 'dateModified', 'userCount', 'entities[].permissionPolicies[].policyId'],
  arrayKeys: [
    { path: 'entities', key: 'id' },
    { path: 'entities[].permissionPolicies', key: 'name' },
    { path: 'entities[].permissionPolicies[].actionSet', key: '$value' },
    { path: 'ipAddressAllowlist', key: '$value' },
  ],
};
const diff = (a: Json | undefined, b: Json | undefined): DriftPath[] => diffDocuments(S, a, b, RULES);
/** The drift without `surface`, to keep expectations short. */
const brief = (a: Json | undefined, b: Json | undefined) => diff(a, b).map(({ surface: _s, ...d }) => d);

const role = (id: string, extra: Record<string, Json> = {}): Record<string, Json> => ({
  id, name: `role ${id}`, selfUri: `/roles/${id}`, userCount: 3,
  permissionPolicies: [
    { name: 'authorization:role', policyId: 'p-1', actionSet: ['view', 'edit'] },
    { name: 'recording:retentionPolicy', policyId: 'p-2', actionSet: ['view'] },
  ],
  ...extra,
});

// ---- no false drift ----

test('reordered keyed arrays, sets and object keys are not drift', () => {
  const a = { entities: [role('a'), role('b')], ipAddressAllowlist: ['10.0.0.0/8', '192.0.2.0/24'] };
  const rb = role('b');
  const b = {
    ipAddressAllowlist: ['192.0.2.0/24', '10.0.0.0/8', '10.0.0.0/8'],
    entities: [{ ...rb, permissionPolicies: [...(rb.permissionPolicies as Json[])].reverse() }, role('a', { permissionPolicies: [
      { actionSet: ['edit', 'view'], name: 'authorization:role', policyId: 'p-9' },
      { name: 'recording:retentionPolicy', actionSet: ['view'] },
    ] })],
  };
  assert.equal(diff(a, b), []);
});

test('volatile fields, "30" vs 30 and empty-vs-absent optional fields are not drift', () => {
  const a = { entities: [role('a', { accessTokenValiditySeconds: 30, description: '' })], timeout: '1800', extra: null };
  const b = { entities: [role('a', { accessTokenValiditySeconds: '30', userCount: 99, selfUri: '/moved', dateModified: 'now', scope: [], notes: {} })], timeout: 1800, attributes: { selfUri: 'x' } };
  assert.equal(diff(a, b), []);
});

test('identical documents and two missing documents give no drift', () => {
  const a = { entities: [role('a')] };
  assert.equal(diff(a, a), []);
  assert.equal(diff(a, JSON.parse(JSON.stringify(a))), []);
  assert.equal(diff(undefined, undefined), []);
});

// ---- real drift ----

test('a modified value is reported at its exact path with old and new values', () => {
  assert.equal(brief({ entities: [role('a', { description: 'x' })] }, { entities: [role('a', { description: 'y' })] }), [
    { path: ['entities', { key: 'id', value: 'a' }, 'description'], pathText: 'entities[id=a].description', kind: 'MODIFIED', old: 'x', new: 'y' },
  ]);
});

test('ADDED and REMOVED keys are reported explicitly, nested objects in normalized form', () => {
  const a = { settings: { mfa: true, old: 'gone' } };
  const b = { settings: { mfa: true, password: { minimumLength: '12', selfUri: 'x' } } };
  assert.equal(brief(a, b), [
    { path: ['settings', 'old'], pathText: 'settings.old', kind: 'REMOVED', old: 'gone' },
    { path: ['settings', 'password'], pathText: 'settings.password', kind: 'ADDED', new: { minimumLength: 12 } },
  ]);
});

test('a value becoming empty is REMOVED, an empty one becoming set is ADDED', () => {
  assert.equal(brief({ notes: 'x', list: [] }, { notes: '', list: ['a'] }).map((d) => `${d.kind} ${d.pathText}`), ['ADDED list', 'REMOVED notes']);
});

test('a removed or added keyed element is one drift at the element path', () => {
  const a = { entities: [role('a'), role('b'), role('c')] };
  const b = { entities: [role('a'), role('c'), role('d')] };
  const got = brief(a, b);
  assert.equal(got.map((d) => `${d.kind} ${d.pathText}`), ['REMOVED entities[id=b]', 'ADDED entities[id=d]']
    .sort((x, y) => (x.split(' ')[1] < y.split(' ')[1] ? -1 : 1)));
  const removed = got.find((d) => d.kind === 'REMOVED')!;
  assert.equal((removed.old as Record<string, Json>).name, 'role b');
  assert.is((removed.old as Record<string, Json>).selfUri, undefined, 'old value is normalized');
});

test('a nested keyed element and a set member added or removed', () => {
  const a = { entities: [role('a')], ipAddressAllowlist: ['10.0.0.0/8', '192.0.2.0/24'] };
  const rb = role('a');
  const pols = rb.permissionPolicies as Record<string, Json>[];
  const b: Json = {
    entities: [{ ...rb, permissionPolicies: [{ ...pols[0], actionSet: ['view', 'edit', 'delete'] }, { name: 'telephony:plugin', actionSet: ['all'] }] }],
    ipAddressAllowlist: ['0.0.0.0/0', '192.0.2.0/24'],
  };
  assert.equal(brief(a, b).map((d) => [d.kind, d.pathText, d.old ?? d.new]), [
    ['ADDED', 'entities[id=a].permissionPolicies[name=authorization:role].actionSet[=delete]', 'delete'],
    ['REMOVED', 'entities[id=a].permissionPolicies[name=recording:retentionPolicy]', { actionSet: ['view'], name: 'recording:retentionPolicy' }],
    ['ADDED', 'entities[id=a].permissionPolicies[name=telephony:plugin]', { actionSet: ['all'], name: 'telephony:plugin' }],
    ['ADDED', 'ipAddressAllowlist[=0.0.0.0/0]', '0.0.0.0/0'],
    ['REMOVED', 'ipAddressAllowlist[=10.0.0.0/8]', '10.0.0.0/8'],
  ].sort((x, y) => ((x[1] as string) < (y[1] as string) ? -1 : 1)));
});

test("a composite key ('domain+entityName') matches elements on all its fields", () => {
  const r: NormalizeRules = { volatileFields: ['id'], arrayKeys: [{ path: 'policies', key: 'domain+entityName' }, { path: 'policies[].actionSet', key: '$value' }] };
  const a = { policies: [{ id: '1', domain: 'routing', entityName: 'queue', actionSet: ['view'] }, { id: '2', domain: 'routing', entityName: 'skill', actionSet: ['view'] }] };
  const b: Json = { policies: [{ id: '9', domain: 'routing', entityName: 'skill', actionSet: ['view'] }, { id: '8', domain: 'routing', entityName: 'queue', actionSet: ['edit', 'view'] }, { domain: 'user', entityName: 'queue', actionSet: ['view'] }] };
  assert.equal(diffDocuments(S, a, b, r).map((d) => [d.kind, d.pathText, d.path[1]]), [
    ['ADDED', 'policies[domain=routing,entityName=queue].actionSet[=edit]', { key: 'domain+entityName', value: ['routing', 'queue'] }],
    ['ADDED', 'policies[domain=user,entityName=queue]', { key: 'domain+entityName', value: ['user', 'queue'] }],
  ]);
  // Same length and same first field at the same position: still a different element.
  assert.equal(diffDocuments(S, { policies: [{ domain: 'routing', entityName: 'queue' }] }, { policies: [{ domain: 'routing', entityName: 'skill' }] }, r).map((d) => `${d.kind} ${d.pathText}`), [
    'REMOVED policies[domain=routing,entityName=queue]', 'ADDED policies[domain=routing,entityName=skill]',
  ].sort((x, y) => (x.split(' ')[1] < y.split(' ')[1] ? -1 : 1)));
});

test('ordered arrays compare by position; a longer or shorter list adds or removes the tail', () => {
  assert.equal(brief({ mediaRegions: ['us-east-1', 'us-west-2'] }, { mediaRegions: ['us-west-2', 'us-east-1', 'eu-west-1'] }).map((d) => [d.kind, d.pathText, d.old, d.new]), [
    ['MODIFIED', 'mediaRegions[0]', 'us-east-1', 'us-west-2'],
    ['MODIFIED', 'mediaRegions[1]', 'us-west-2', 'us-east-1'],
    ['ADDED', 'mediaRegions[2]', undefined, 'eu-west-1'],
  ]);
  assert.equal(brief({ order: [1, 2, 3] }, { order: [1] }).map((d) => `${d.kind} ${d.pathText}`), ['REMOVED order[1]', 'REMOVED order[2]']);
});

test('a type change is one MODIFIED at that path', () => {
  assert.equal(brief({ a: { b: { c: 1 } } }, { a: { b: 'flat' } }), [
    { path: ['a', 'b'], pathText: 'a.b', kind: 'MODIFIED', old: { c: 1 }, new: 'flat' },
  ]);
  assert.equal(brief({ a: [1] }, { a: { 0: 1 } }).map((d) => `${d.kind} ${d.pathText}`), ['MODIFIED a']);
  assert.equal(brief({ a: 30 }, { a: '31' }), [{ path: ['a'], pathText: 'a', kind: 'MODIFIED', old: 30, new: 31 }]);
  assert.equal(brief({ a: 7 }, { a: '007' }).map((d) => d.kind), ['MODIFIED']);
});

test('keys with dots, brackets and quotes are quoted in the path text', () => {
  assert.equal(brief({ properties: { 'a.b': 1, 'x[0]': 's', 'q"k': true } }, { properties: { 'a.b': 2, 'x[0]': 't', 'q"k': false } }).map((d) => d.pathText), [
    'properties["a.b"]', 'properties["q\\"k"]', 'properties["x[0]"]',
  ]);
});

test('a surface missing on one side is one drift at the root', () => {
  assert.equal(brief(undefined, { a: 1, selfUri: 'x' }), [{ path: [], pathText: '', kind: 'ADDED', new: { a: 1 } }]);
  assert.equal(brief({ a: '1' }, undefined), [{ path: [], pathText: '', kind: 'REMOVED', old: { a: 1 } }]);
});

test('a keyed array with duplicate or missing keys falls back to the normalized order', () => {
  const a = { entities: [{ id: 'x', v: 1 }, { id: 'x', v: 2 }] };
  const b = { entities: [{ id: 'x', v: 1 }, { id: 'x', v: 3 }] };
  assert.equal(brief(a, b).map((d) => `${d.pathText} ${d.old}->${d.new}`), ['entities[1].v 2->3']);
});

test('output is sorted by path text and carries the surface', () => {
  const got = diff({ z: 1, a: 1, m: { b: 1 } }, { z: 2, a: 2, m: { b: 2 } });
  assert.equal(got.map((d) => d.pathText), ['a', 'm.b', 'z']);
  assert.ok(got.every((d) => d.surface === S));
});

test('diffSnapshots walks every surface in sorted order with its own rules', () => {
  const rulesFor = (s: string): NormalizeRules => (s === 'auth' ? { volatileFields: [], arrayKeys: [{ path: 'allow', key: '$value' }] } : RULES);
  const got = diffSnapshots(
    { roles: { entities: [role('a')] }, auth: { allow: ['a', 'b'] }, gone: { x: 1 } },
    { roles: { entities: [role('a', { name: 'renamed' })] }, auth: { allow: ['b', 'a'] }, fresh: { y: 1 } },
    rulesFor,
  );
  assert.equal(got.map((d) => `${d.surface}:${d.kind}:${d.pathText}`), ['fresh:ADDED:', 'gone:REMOVED:', 'roles:MODIFIED:entities[id=a].name']);
});

test.run();
