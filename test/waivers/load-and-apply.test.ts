// waivers.yaml validation (all-or-nothing, file:line:col) and applying waivers to findings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyWaivers, parseWaivers, WAIVER_CODES } from '../../src/waivers/index.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { makeFindingId } from '../../src/classify/finding-id.ts';
import { COVERAGE_GAP_RULE, UNCLASSIFIED_RULE } from '../../src/classify/classify.ts';
import { orgId, surfaceId } from '../../src/model/ids.ts';
import type { Finding } from '../../src/model/findings.ts';

const NOW = new Date('2026-11-05T08:00:00.000Z');
const policy = { maxDays: 30 };

const waiver = (fields: Record<string, string>, scope = '{ surface: authentication-settings, path: "multifactor*" }') => [
  `  - id: ${fields.id ?? 'W-1'}`,
  `    scope: ${scope}`,
  `    owner: ${fields.owner ?? 'sec-team@example.com'}`,
  '    reason: vendor rollout',
  '    ticket: CHG-1',
  ...(fields.created !== '' ? [`    created: ${fields.created ?? '2026-11-01'}`] : []),
  ...(fields.expires !== '' ? [`    expires: ${fields.expires ?? '2026-11-20'}`] : []),
].join('\n');
const file = (...ws: string[]) => `version: 1\nwaivers:\n${ws.join('\n')}\n`;

const failure = (text: string): DwFailure => {
  try { parseWaivers(text, 'waivers.yaml', policy, NOW); } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new Error('expected the waivers to be refused');
};

test('a valid file loads, with the day after `expires` as the end', () => {
  const ws = parseWaivers(file(waiver({})), 'waivers.yaml', policy, NOW);
  assert.is(ws.length, 1);
  assert.is(ws[0]!.endsAt.toISOString(), '2026-11-21T00:00:00.000Z');
});

test('missing expires is a schema error at the waiver, with file:line:col', () => {
  const e = failure(file(waiver({}), waiver({ id: 'W-2', expires: '' })));
  assert.is(e.error.code, WAIVER_CODES.schema);
  assert.is(e.error.kind, 'bad-input');
  assert.equal(e.error.at && { file: e.error.at.file, line: e.error.at.line }, { file: 'waivers.yaml', line: 10 });
  assert.match(e.error.message, /expires/);
  assert.match(e.message, /^waivers\.yaml:10:\d+ DW7102/);
});

test('over-long waiver points at its expires line', () => {
  const e = failure(file(waiver({}), waiver({ id: 'W-2', created: '2026-11-01', expires: '2027-01-01' })));
  assert.is(e.error.code, WAIVER_CODES.tooLong);
  assert.is(e.error.at?.line, 16);
  assert.is(e.error.at?.col, 14);
  assert.match(e.error.message, /61 days.*at most 30/);
});

test('impossible dates, future created, expires before created, duplicate ids', () => {
  assert.is(failure(file(waiver({ expires: '2026-11-31' }))).error.code, WAIVER_CODES.badDate);
  assert.is(failure(file(waiver({ created: '2026-11-06', expires: '2026-11-20' }))).error.code, WAIVER_CODES.createdFuture);
  assert.is(failure(file(waiver({ created: '2026-11-04', expires: '2026-11-03' }))).error.code, WAIVER_CODES.expiresBeforeCreated);
  assert.is(failure(file(waiver({}), waiver({}))).error.code, WAIVER_CODES.duplicateId);
  assert.is(failure('waivers: [ {').error.code, WAIVER_CODES.syntax);
  assert.is(failure(file(waiver({}, '{ surface: x }'))).error.code, WAIVER_CODES.schema, 'scope.path is required');
});

const org = orgId('acme');
const finding = (surface: string, pathText: string, kind: Finding['kind'] = 'drift'): Finding => {
  const rule = kind === 'coverage-gap' ? COVERAGE_GAP_RULE : UNCLASSIFIED_RULE;
  return { id: makeFindingId(org, surfaceId(surface), pathText, rule), kind, org, surface: surfaceId(surface), pathText, rule,
    title: 'MFA drifted', severity: 'high', sensitivity: 'internal', frameworks: [] };
};

test('apply: active waiver covers matching findings only; glob `*` stays in one segment', () => {
  const ws = parseWaivers(file(waiver({}), waiver({ id: 'W-roles' }, '{ surface: roles, path: "entities[id=r1].*" }')), 'waivers.yaml', policy, NOW);
  const mfa = finding('authentication-settings', 'multifactorAuthenticationRequired');
  const other = finding('authentication-settings', 'domainAllowlistEnabled');
  const roleName = finding('roles', 'entities[id=r1].name');
  const rolePolicy = finding('roles', 'entities[id=r1].permissionPolicies.x');
  const gap = finding('authentication-settings', '', 'coverage-gap');
  const out = applyWaivers(ws, [mfa, other, roleName, rolePolicy, gap], NOW, 3).findings;
  assert.equal(out[0]!.waiver, { id: 'W-1', owner: 'sec-team@example.com', reason: 'vendor rollout', ticket: 'CHG-1', expires: '2026-11-20', status: 'active' });
  assert.is(out[0]!.title, 'MFA drifted');
  assert.is(out[1]!.waiver, undefined);
  assert.is(out[2]!.waiver?.id, 'W-roles');
  assert.is(out[3]!.waiver, undefined, '`*` does not cross a dot');
  assert.is(out[4]!.waiver, undefined, 'coverage gaps are never waived');
});

test('apply: expiring soon is listed; an expired waiver brings the finding back, saying so', () => {
  const ws = parseWaivers(file(waiver({ expires: '2026-11-07' }), waiver({ id: 'W-later', expires: '2026-11-30' }, '{ path: "nothing" }')), 'waivers.yaml', policy, NOW);
  const mfa = finding('authentication-settings', 'multifactorAuthenticationRequired');
  const soon = applyWaivers(ws, [mfa], NOW, 3);
  assert.equal(soon.expiringSoon, [{ id: 'W-1', owner: 'sec-team@example.com', expires: '2026-11-07' }]);
  assert.is(soon.findings[0]!.waiver?.status, 'active');
  const lastDay = applyWaivers(ws, [mfa], new Date('2026-11-07T23:59:59.000Z'), 3);
  assert.is(lastDay.findings[0]!.waiver?.status, 'active', 'valid through the whole expires day');
  const after = applyWaivers(ws, [mfa], new Date('2026-11-08T00:00:00.000Z'), 3);
  assert.is(after.findings[0]!.waiver?.status, 'expired');
  assert.match(after.findings[0]!.title, /waiver expired/);
  assert.match(after.findings[0]!.message ?? '', /Waiver W-1 expired on 2026-11-07/);
  assert.equal(after.expiringSoon, [], 'an expired waiver is no longer "expiring soon"');
});

test('apply: a run lists as expiring soon only the waivers that can apply to its org', () => {
  const ws = parseWaivers(file(
    waiver({ id: 'W-acme', expires: '2026-11-07' }, '{ org: acme, path: "multifactor*" }'),
    waiver({ id: 'W-any', expires: '2026-11-07' }, '{ path: "nothing" }'),
    waiver({ id: 'W-globex', expires: '2026-11-07' }, '{ org: "glob*", path: "multifactor*" }'),
  ), 'waivers.yaml', policy, NOW);
  assert.equal(applyWaivers(ws, [], NOW, 3, 'acme').expiringSoon.map((w) => w.id), ['W-acme', 'W-any']);
  assert.equal(applyWaivers(ws, [], NOW, 3, 'globex').expiringSoon.map((w) => w.id), ['W-any', 'W-globex']);
  assert.equal(applyWaivers(ws, [], NOW, 3).expiringSoon.map((w) => w.id), ['W-acme', 'W-any', 'W-globex']);
});

test('the example in src/waivers/README.md is a valid waivers file', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../src/waivers/README.md', import.meta.url), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const ws = parseWaivers(example, 'README.md', { maxDays: 90 }, new Date('2026-11-25T00:00:00Z'));
  assert.is(ws[0]!.id, 'W-2026-014');
});

test.run();
