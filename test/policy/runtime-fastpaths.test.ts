// The runtime's fast paths must not change any answer: string interning (policy constants vs
// input/data strings, long, non-ASCII and escaped strings), shared key arrays of parsed
// objects (copy on write), the Scan index cache, guarded Scans (`some x in xs; x.k == c`),
// the inline key-slot cache of `x.k`, and shared small integers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePolicies } from '../../src/policy/compiler/index.ts';
import { loadCompiledPolicy, type CompiledPolicy } from '../../src/policy/runtime/index.ts';

async function compile(rego: string, data?: unknown): Promise<CompiledPolicy> {
  const { wasm } = compilePolicies([{ file: 't.rego', text: `package t\n\nimport rego.v1\n\n${rego}` }], { entrypoints: ['t'], cacheDir: false });
  return loadCompiledPolicy(wasm, data === undefined ? {} : { data });
}

const resultOf = (p: CompiledPolicy, input: unknown): Record<string, unknown> =>
  (p.evaluate(input, 't')[0]?.result ?? {}) as Record<string, unknown>;

/** Pre-encoded input (exact bytes, e.g. duplicate keys or escapes JSON.stringify won't emit). */
const raw = (text: string): ArrayBuffer => {
  const b = new TextEncoder().encode(text);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

const LONG = 'a-string-longer-than-the-forty-byte-intern-limit-of-the-parser';

test('strings equal to policy constants compare equal whatever their form', async () => {
  const p = await compile(`
short if input.s == "roles"
long if input.l == "${LONG}"
uni if input.u == "grüße ✓"
esc if input.e == "abc"
key := input["surface"]
notsame if input.s != "role"
`);
  assert.equal(resultOf(p, { s: 'roles', l: LONG, u: 'grüße ✓', e: 'abc', surface: 'x' }), {
    short: true, long: true, uni: true, esc: true, key: 'x', notsame: true,
  });
  // Escaped in the input text: the slow path builds an un-interned string.
  assert.equal(resultOf(p, raw('{"s":"r\\u006fles","e":"a\\u0062c","l":"x"}')), { short: true, esc: true, notsame: true });
  assert.equal(resultOf(p, { s: 'role', l: LONG.slice(1), u: 'grüße', e: 'abcd' }), {});
});

test('strings from data, input and builtins meet (different intern tables)', async () => {
  const p = await compile(`
same if input.name == data.names[_]
key_from_data := input.byKey[data.key]
unmarshalled if json.unmarshal("\\"roles\\"") == input.s
concat_eq if concat("", ["ro", "les"]) == input.s
`, { names: ['nobody', 'oauth-clients'], key: 'pathText' });
  assert.equal(resultOf(p, { name: 'oauth-clients', byKey: { pathText: 7 }, s: 'roles' }), {
    same: true, key_from_data: 7, unmarshalled: true, concat_eq: true,
  });
  assert.equal(resultOf(p, { name: 'oauth-client', byKey: { pathTex: 7 }, s: 'role' }), {});
});

test('set and object lookups by hash agree for strings of every length (word-wise hashing)', async () => {
  // More than 8 elements: the keyed index (hash table) is used, not the linear scan.
  const words = Array.from({ length: 14 }, (_, i) => 'abcdefghijklmnop'.slice(0, i + 1));
  const p = await compile(`
tags := {t | t := input.tags[_]}
hits := [w | w := ${JSON.stringify(words)}[_]; w in tags]
obj := {k: i | k := input.tags[i]}
found := [obj[w] | w := ${JSON.stringify(words)}[_]]
`);
  const r = resultOf(p, { tags: [...words, 'x1', 'x2', 'x3'] });
  assert.equal(r.hits, words);
  assert.equal(r.found, words.map((_, i) => i));
});

test('duplicate keys in input JSON: one key, last value wins', async () => {
  const p = await compile('v := input.a\nn := count(input)\nkeys := object.keys(input)');
  assert.equal(resultOf(p, raw('{"a":1,"b":2,"a":3}')), { v: 3, n: 2, keys: ['a', 'b'] });
});

test('objects sharing one key array stay independent (copy on write)', async () => {
  const p = await compile(`
u := object.union(input.xs[0], {"extra": 1})
second := input.xs[1]
third := y if {
	y := input.byName.c with input.byName.c.z as 9
}
after := input.byName.c
`);
  const xs = [{ a: 1, b: 2 }, { a: 3, b: 4 }];
  const byName = { a: { a: 1, b: 2 }, c: { a: 5, b: 6 } };
  assert.equal(resultOf(p, { xs, byName }), {
    u: { a: 1, b: 2, extra: 1 }, second: { a: 3, b: 4 }, third: { a: 5, b: 6, z: 9 }, after: { a: 5, b: 6 },
  });
});

test('Scan over long arrays: indexes beyond the small-int cache, fresh per evaluation', async () => {
  const p = await compile(`
hits contains i if {
\tsome i, x in input.xs
\tx == "hit"
}
also contains i if {
\tsome i, x in input.xs
\tx == "hit"
}
last := count(input.xs) - 1
`);
  const xs = Array.from({ length: 3000 }, (_, i) => (i % 997 === 0 || i === 2999 ? 'hit' : 'miss'));
  const want = [0, 997, 1994, 2991, 2999];
  assert.equal(resultOf(p, { xs }), { hits: want, also: want, last: 2999 });
  assert.equal(resultOf(p, { xs: xs.slice(0, 1000) }), { hits: [0, 997], also: [0, 997], last: 999 });
  assert.equal(resultOf(p, { xs }), { hits: want, also: want, last: 2999 });
});

test('guarded Scans skip exactly the elements their first two statements reject', async () => {
  const p = await compile(`
eq contains i if {
\tsome i, d in input.items
\td.kind == "ADDED"
}
ne contains i if {
\tsome i, d in input.items
\td.kind != "ADDED"
}
nested contains i if {
\tsome i, d in input.items
\td.kind == "ADDED"
\td.n > 1
}
over_object contains k if {
\tsome k, d in input.byName
\td.kind == "ADDED"
}
`);
  const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
  const items = [
    { kind: 'ADDED', n: 1 },
    { n: 2, kind: 'ADDED' }, // other key order: the slot hint misses
    { kind: 'REMOVED', n: 3 },
    { n: 4 }, // no such key: Dot fails, neither rule matches
    7, // not an object
    ['kind'],
    { ...many, kind: 'ADDED', n: 5 }, // > 8 keys: indexed object
    { kind: 1, n: 6 },
  ];
  assert.equal(resultOf(p, { items, byName: { a: { kind: 'ADDED' }, b: { kind: 'X' }, c: 3 } }), {
    eq: [0, 1, 6], ne: [2, 7], nested: [1, 6], over_object: ['a'],
  });
});

test('numbers: shared small integers and the values around the cache bounds', async () => {
  const p = await compile('xs := [y | x := input.ns[_]; y := x + 1]\neq if input.ns[0] == -129');
  assert.equal(resultOf(p, { ns: [-129, -128, -1, 0, 1022, 1023, 1024, 4.5] }), { xs: [-128, -127, 0, 1, 1023, 1024, 1025, 5.5], eq: true });
});

test('functions with arguments: memoised per argument list, per evaluation, cleared by with', async () => {
  const p = await compile(`
n(x) := count([d | d := input.xs[_]; d == x])
a := n("a")
b := n("b")
a_again := n("a")
one := n(1)
one_float := n(1.5)
w := y if {
	y := n("a") with input.xs as ["a", "a", "a", "a"]
}
after_with := n("a")
g(o) := o.k
ks := [g({"k": 1}), g({"k": 2})]
`);
  const r = resultOf(p, { xs: ['a', 'b', 'a', 1, 1.5] });
  assert.equal(r, { a: 2, b: 1, a_again: 2, one: 1, one_float: 1, w: 4, after_with: 2, ks: [1, 2] });
  assert.equal(resultOf(p, { xs: ['b'] }), { a: 0, b: 1, a_again: 0, one: 0, one_float: 0, w: 4, after_with: 0, ks: [1, 2] });
});

test.run();
