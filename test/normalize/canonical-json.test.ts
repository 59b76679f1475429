import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/normalize/index.ts';

test('the same data in any key order gives the same compact text', () => {
  const a = canonicalJson({ b: [1, { y: 2, x: 1 }], a: 'x' });
  const b = canonicalJson({ a: 'x', b: [1, { x: 1, y: 2 }] });
  assert.is(a, '{"a":"x","b":[1,{"x":1,"y":2}]}');
  assert.is(a, b);
});

test('integer-like keys sort by code unit, not in JS enumeration order', () => {
  assert.is(canonicalJson({ 9: 'a', 10: 'b', x: 'c' }), '{"10":"b","9":"a","x":"c"}');
});

test('strings are escaped as JSON and -0 is written as 0', () => {
  assert.is(canonicalJson({ 'q"k': 'line\nbreak\u2028', n: -0 }), '{"n":0,"q\\"k":"line\\nbreak\u2028"}');
  assert.equal(JSON.parse(canonicalJson({ 'q"k': 'a\\b' })), { 'q"k': 'a\\b' });
});

test('the pretty form indents by two spaces and ends with a newline', () => {
  assert.is(canonicalJson({ b: [], a: { c: [1, 2] }, d: {} }, { pretty: true }), '{\n  "a": {\n    "c": [\n      1,\n      2\n    ]\n  },\n  "b": [],\n  "d": {}\n}\n');
  assert.is(canonicalJson(null, { pretty: true }), 'null\n');
});

test.run();
