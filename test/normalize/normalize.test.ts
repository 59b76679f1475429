import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeDocument, canonicalNumberOf, type NormalizeRules } from '../../src/normalize/index.ts';
import { DwFailure } from '../../src/model/errors.ts';
import type { Json } from '../../src/model/findings.ts';

const NONE: NormalizeRules = { volatileFields: [], arrayKeys: [] };
const rules = (volatileFields: string[], arrayKeys: { path: string; key: string }[] = []): NormalizeRules => ({ volatileFields, arrayKeys });

const codeOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return e instanceof DwFailure ? e.error.code : 'not a DwFailure'; }
  return undefined;
};

test('objects come back with keys in sorted order at every level', () => {
  const out = normalizeDocument({ b: 1, a: { d: 1, c: 2 } }, NONE) as Record<string, Record<string, Json>>;
  assert.equal(Object.keys(out), ['a', 'b']);
  assert.equal(Object.keys(out.a), ['c', 'd']);
});

test('volatile key names are removed at any depth, patterns only where they match', () => {
  const doc = { selfUri: '/x', entities: [{ id: 'a', selfUri: '/a', policies: [{ id: 'p1', domain: 'x' }], meta: { id: 'keep' } }] };
  const out = normalizeDocument(doc, rules(['selfUri', 'entities[].policies[].id']));
  assert.equal(out, { entities: [{ id: 'a', meta: { id: 'keep' }, policies: [{ domain: 'x' }] }] });
});

test("'*' matches any one key and globs match inside a key name", () => {
  const doc = { settings: { sip: { password: 'x', host: 'h' }, web: { password: 'y', port: 1 } }, dateCreated: 1, dateModified: 2, date: 3 };
  const out = normalizeDocument(doc, rules(['settings.*.password', 'date*']));
  assert.equal(out, { settings: { sip: { host: 'h' }, web: { port: 1 } } });
});

test('canonical numeric strings become numbers; look-alikes stay strings', () => {
  const doc = { a: '30', b: '-2', c: '1.5', d: '007', e: '+1', f: ' 5', g: '0x1F', h: '1e3', i: '1.50', j: '-0', k: '9007199254740993', l: '12345678901234567890', m: '9007199254740991', n: '', o: '5 ' };
  assert.equal(normalizeDocument(doc, NONE), { a: 30, b: -2, c: 1.5, d: '007', e: '+1', f: ' 5', g: '0x1F', h: '1e3', i: '1.50', j: '-0', k: '9007199254740993', l: '12345678901234567890', m: 9007199254740991, o: '5 ' });
  assert.is(canonicalNumberOf('0'), 0);
  assert.is(canonicalNumberOf('0.25'), 0.25);
  assert.is(canonicalNumberOf('abc'), undefined);
});

test('members whose value is null, "", [] or {} (after normalizing) are dropped; elements are kept', () => {
  const doc = { a: null, b: '', c: [], d: {}, e: { selfUri: '/x' }, f: { g: { h: null } }, keep: false, zero: 0, list: [null, '', {}, []] };
  assert.equal(normalizeDocument(doc, rules(['selfUri'])), { keep: false, list: [null, '', {}, []], zero: 0 });
});

test('keyed arrays are sorted by their key; elements without a key go last in original order', () => {
  const doc: Json = { entities: [{ id: 'c' }, { name: 'no-id-1' }, { id: 'a' }, 'scalar', { id: 'b' }, { id: '', name: 'empty-id' }] };
  const out = normalizeDocument(doc, rules([], [{ path: 'entities', key: 'id' }]));
  assert.equal(out, { entities: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { name: 'no-id-1' }, 'scalar', { name: 'empty-id' }] });
});

test("a composite key ('domain+entityName') sorts by the tuple of its fields", () => {
  const doc: Json = { p: [{ domain: 'b', entityName: 'x' }, { domain: 'a', entityName: 'z' }, { domain: 'a', entityName: 'y' }, { domain: 'a' }] };
  assert.equal(normalizeDocument(doc, rules([], [{ path: 'p', key: 'domain+entityName' }])), {
    p: [{ domain: 'a', entityName: 'y' }, { domain: 'a', entityName: 'z' }, { domain: 'b', entityName: 'x' }, { domain: 'a' }],
  });
  assert.is(codeOf(() => normalizeDocument({}, rules([], [{ path: 'p', key: 'a++b' }]))), 'DW2303');
});

test('numeric keys sort as numbers and before strings', () => {
  const doc = { entities: [{ id: '10' }, { id: 'x' }, { id: '9' }] };
  assert.equal(normalizeDocument(doc, rules([], [{ path: 'entities', key: 'id' }])), { entities: [{ id: 9 }, { id: 10 }, { id: 'x' }] });
});

test("'$value' arrays are sorted and de-duplicated as sets; other arrays keep their order", () => {
  const doc = { allow: ['b', 'a', 'b', '10', 10], order: ['b', 'a', 'b'] };
  const out = normalizeDocument(doc, rules([], [{ path: 'allow', key: '$value' }]));
  assert.equal(out, { allow: [10, 'a', 'b'], order: ['b', 'a', 'b'] });
});

test("array rules match through '*'; a literal segment wins over the wildcard", () => {
  const r = rules([], [{ path: '*.list', key: '$value' }, { path: 'a.list', key: 'id' }]);
  const doc: Json = { a: { list: [{ id: 'z' }, { id: 'y' }] }, b: { list: ['z', 'y', 'z'] }, c: { other: ['z', 'y'] } };
  assert.equal(normalizeDocument(doc, r), { a: { list: [{ id: 'y' }, { id: 'z' }] }, b: { list: ['y', 'z'] }, c: { other: ['z', 'y'] } });
});

test('normalizing is pure and idempotent', () => {
  const doc: Json = { z: '1', entities: [{ id: 'b', v: [3, 1] }, { id: 'a', selfUri: 'x' }] };
  const copy = JSON.parse(JSON.stringify(doc));
  const r = rules(['selfUri'], [{ path: 'entities', key: 'id' }, { path: 'entities[].v', key: '$value' }]);
  const once = normalizeDocument(doc, r);
  assert.equal(doc, copy);
  assert.equal(normalizeDocument(once, r), once);
  assert.equal(once, { entities: [{ id: 'a' }, { id: 'b', v: [1, 3] }], z: 1 });
});

test('a "__proto__" member is kept as data, never as a prototype', () => {
  const doc = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as Json;
  const out = normalizeDocument(doc, NONE) as Record<string, Json>;
  assert.equal(Object.keys(out), ['__proto__', 'a']);
  assert.is(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":1},"a":1}');
});

test('malformed or conflicting rules fail with stable codes', () => {
  assert.is(codeOf(() => normalizeDocument({}, rules(['a..b']))), 'DW2300');
  assert.is(codeOf(() => normalizeDocument({}, rules(['a[]b']))), 'DW2300');
  assert.is(codeOf(() => normalizeDocument({}, rules(['a]']))), 'DW2300');
  assert.is(codeOf(() => normalizeDocument({}, rules(['entities[]']))), 'DW2301');
  assert.is(codeOf(() => normalizeDocument({}, rules(['*']))), 'DW2301');
  assert.is(codeOf(() => normalizeDocument({}, rules([], [{ path: 'a', key: 'id' }, { path: 'a', key: 'name' }]))), 'DW2302');
  assert.is(codeOf(() => normalizeDocument({}, rules([], [{ path: 'a', key: '' }]))), 'DW2303');
  assert.is(codeOf(() => normalizeDocument({}, rules(['a.b', '[].x'], [{ path: 'x[].y', key: 'id' }]))), undefined);
});

test.run();
