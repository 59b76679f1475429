import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findJsonSyntaxError } from '../../src/baseline/json-syntax.ts';
import { parseDriftPathText } from '../../src/baseline/path-text.ts';
import { deleteAt, getAt, setAt } from '../../src/baseline/path-edit.ts';
import type { Json } from '../../src/model/findings.ts';

const json = suite('json syntax locator');

json('agrees with JSON.parse on what is valid, and points at the first bad character', () => {
  const cases: [string, number | null][] = [
    ['{}', null], ['[1, -2.5e3, "a\\u00e9\\n", true, false, null, {"k": []}]', null], ['  {"a":{"b":[[]]}}  ', null],
    ['{"a":}', 5], ['{"a":1,}', 7], ['[1,2', 4], ['{"a" 1}', 5], ['tru', 0], ['1 2', 2], ['"\\u12"', 1],
    ['-', 0], ['{"a":01}', 6], ['', 0], ['[1,]', 3], ['{a:1}', 1], ['"a\tb"', 2], ['{"a":1}}', 7], ['\uFEFF{}', 0],
  ];
  for (const [text, offset] of cases) {
    let valid = true;
    try { JSON.parse(text); } catch { valid = false; }
    const err = findJsonSyntaxError(text);
    assert.is(err === null, valid, `validity of ${JSON.stringify(text)}`);
    assert.is(err?.offset ?? null, offset, `offset for ${JSON.stringify(text)}`);
  }
});

json('deep nesting does not overflow the stack', () => {
  const deep = '['.repeat(200000) + ']'.repeat(199999);
  assert.equal(findJsonSyntaxError(deep), { offset: 399999, message: 'expected "," or "]", found end of file' });
});

const paths = suite('drift path text');

paths('reads the diff stage\'s path format: keys, positions, keyed and set elements, quoted keys', () => {
  const ok = (t: string) => { const r = parseDriftPathText(t); if (!r.ok) throw new Error(`${t}: ${r.message}`); return r.segments; };
  assert.equal(ok(''), []);
  assert.equal(ok('authentication.ipAddressAllowlist[0]'), ['authentication', 'ipAddressAllowlist', 0]);
  assert.equal(ok('entities[id=abc-1].permissions[12]'), ['entities', { key: 'id', value: 'abc-1' }, 'permissions', 12]);
  assert.equal(ok('allow[=10.0.0.0/8]'), ['allow', { key: '$value', value: '10.0.0.0/8' }]);
  assert.equal(ok('a["b.c"]["d]"].e'), ['a', 'b.c', 'd]', 'e']);
  assert.equal(ok('x[name="a]b"]'), ['x', { key: 'name', value: 'a]b' }]);
  assert.equal(ok('x[id=7]'), ['x', { key: 'id', value: 7 }]);
  for (const bad of ['a..b', 'a.', '.a', 'a[01]', 'a[', 'a[x]', 'a]b', 'a[0]b']) assert.not.ok(parseDriftPathText(bad).ok, bad);
});

const edit = suite('path edits');
const doc: Json = { a: { b: 1 }, list: [10, 20, 30], ents: [{ id: 'x', v: 1 }, { id: 7, v: 2 }] };

edit('get, set and delete leave the input untouched', () => {
  const before = JSON.stringify(doc);
  assert.equal(getAt(doc, ['ents', { key: 'id', value: '7' }, 'v']), { found: true, value: 2 });
  assert.equal(getAt(doc, ['a', 'zz']), { found: false });
  const set = setAt(doc, ['a', 'c'], [1]);
  assert.equal(set.ok && set.doc, { ...doc, a: { b: 1, c: [1] } });
  const app = setAt(doc, ['list', 3], 40);
  assert.equal(app.ok && (app.doc as { list: Json }).list, [10, 20, 30, 40]);
  const keyed = setAt(doc, ['ents', { key: 'id', value: 'y' }], { id: 'y', v: 3 });
  assert.equal(keyed.ok && (keyed.doc as { ents: Json }).ents, [{ id: 'x', v: 1 }, { id: 7, v: 2 }, { id: 'y', v: 3 }]);
  const del = deleteAt(doc, ['list', 1]);
  assert.equal(del.ok && (del.doc as { list: Json }).list, [10, 30]);
  const delKeyed = deleteAt(doc, ['ents', { key: 'id', value: 'x' }]);
  assert.equal(delKeyed.ok && (delKeyed.doc as { ents: Json }).ents, [{ id: 7, v: 2 }]);
  const delMissing = deleteAt(doc, ['nope', 'deeper']);
  assert.ok(delMissing.ok && delMissing.doc === doc);
  assert.is(JSON.stringify(doc), before);
});

edit('refuses edits that do not fit the document', () => {
  assert.not.ok(setAt(doc, ['a', 'b', 'c'], 1).ok);       // 1 is not an object
  assert.not.ok(setAt(doc, ['list', 5], 1).ok);           // gap in the array
  assert.not.ok(setAt(doc, ['missing', 'child'], 1).ok);  // parent absent
  assert.not.ok(setAt(doc, ['a', 0], 1).ok);              // index into an object
  assert.not.ok(deleteAt(doc, []).ok);
});

edit('set elements are matched by value; keyed values match raw numeric strings', () => {
  const d: Json = { allow: ['10.0.0.0/8', '192.168.0.0/16', '10.0.0.0/8'], ents: [{ id: '42', v: 1 }] };
  const del = deleteAt(d, ['allow', { key: '$value', value: '10.0.0.0/8' }]);
  assert.equal(del.ok && (del.doc as { allow: Json }).allow, ['192.168.0.0/16']);
  const add = setAt(d, ['allow', { key: '$value', value: '172.16.0.0/12' }], '172.16.0.0/12');
  assert.equal(add.ok && (add.doc as { allow: Json }).allow, ['10.0.0.0/8', '192.168.0.0/16', '10.0.0.0/8', '172.16.0.0/12']);
  assert.equal(getAt(d, ['ents', { key: 'id', value: 42 }, 'v']), { found: true, value: 1 });
});

json.run();
paths.run();
edit.run();
