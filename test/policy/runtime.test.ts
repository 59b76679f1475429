// The AssemblyScript runtime driven through the unmodified opa-wasm SDK, with hand-written IR.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emitWasm } from '../../src/policy/compiler/emit/index.ts';
import { loadCompiledPolicy, type CompiledPolicy } from '../../src/policy/runtime/index.ts';
import { DwFailure } from '../../src/model/errors.ts';
import type { IrPolicy } from '../../src/policy/compiler/ir/types.ts';
import { L, S, B, resultOf, planCalling, policy, builtinCallPolicy } from './runtime-ir.ts';

const load = (ir: IrPolicy, opts: Parameters<typeof loadCompiledPolicy>[1] = { hostBuiltins: {} }): Promise<CompiledPolicy> =>
  loadCompiledPolicy(emitWasm(ir), opts);

async function failureOf(fn: () => unknown): Promise<DwFailure> {
  try {
    await fn();
  } catch (e) {
    assert.instance(e, DwFailure);
    return e as DwFailure;
  }
  throw new Error('expected a DwFailure');
}

/** Echo policy: returns the input document as is. */
const echo = policy({ plans: [{ name: 't/echo', blocks: [[{ op: 'AssignVar', source: L(0), target: 2 }, ...resultOf(2)]] }] });

test('constant policy', async () => {
  const p = await load(policy({ consts: ['{"a":[1,2.5,"x"],"b":null}'], plans: [{ name: 't/c', blocks: [[{ op: 'MakeConst', index: 0, target: 2 }, ...resultOf(2)]] }] }));
  assert.equal(p.entrypoints, { 't/c': 0 });
  assert.equal(p.evaluate(), [{ result: { a: [1, 2.5, 'x'], b: null } }]);
  assert.equal(p.evaluate({ any: 1 }, 't/c'), [{ result: { a: [1, 2.5, 'x'], b: null } }]);
});

test('input lookup: defined, and [] when undefined', async () => {
  const p = await load(policy({ strings: ['x'], plans: [{ name: 't/x', blocks: [[{ op: 'Dot', source: L(0), key: S(1), target: 2 }, ...resultOf(2)]] }] }));
  assert.equal(p.evaluate({ x: 'hi' }), [{ result: 'hi' }]);
  assert.equal(p.evaluate({ y: 1 }), []);
  assert.equal(p.evaluate(), []);
  assert.equal(p.evaluate([1, 2]), []);
});

test('Scan over input builds a partial set (dumped in canonical order)', async () => {
  const ir = policy({
    strings: ['items', 'enabled', 'name'],
    plans: [planCalling('t/names', 'g0.data.t.names')],
    funcs: [{
      name: 'g0.data.t.names', params: [0, 1], return: 2, path: ['t', 'names'],
      blocks: [
        [
          { op: 'MakeSet', target: 3 },
          { op: 'Dot', source: L(0), key: S(1), target: 4 },
          { op: 'Scan', source: 4, key: 5, value: 6, block: [
            { op: 'Dot', source: L(6), key: S(2), target: 7 },
            { op: 'Equal', a: L(7), b: B(true) },
            { op: 'Dot', source: L(6), key: S(3), target: 8 },
            { op: 'SetAdd', value: L(8), set: 3 },
          ] },
        ],
        [{ op: 'AssignVarOnce', source: L(3), target: 2 }],
      ],
    }],
  });
  const p = await load(ir);
  const items = [
    { name: 'zeta', enabled: true }, { name: 'alpha', enabled: true }, { name: 'mid', enabled: false },
    { name: 'beta', enabled: true }, { name: 'alpha', enabled: true }, { enabled: true },
  ];
  assert.equal(p.evaluate({ items }), [{ result: ['alpha', 'beta', 'zeta'] }]);
  assert.equal(p.evaluate({ items: { k1: { name: 'o', enabled: true } } }), [{ result: ['o'] }]);
  assert.equal(p.evaluate({ items: 7 }), [{ result: [] }]);
  assert.equal(p.evaluate({}), [{ result: [] }]);
});

test('Not, Block/Break counts and ReturnLocal', async () => {
  const ir = policy({
    strings: ['deny', 'x', 'second', 'unreached'],
    plans: [planCalling('t/allow', 'g0.data.t.allow'), planCalling('t/brk', 'g0.data.t.brk'), planCalling('t/ret', 'g0.data.t.ret')],
    funcs: [
      { name: 'g0.data.t.allow', params: [0, 1], return: 2, path: ['t', 'allow'], blocks: [[
        { op: 'Not', block: [{ op: 'Dot', source: L(0), key: S(1), target: 3 }, { op: 'Equal', a: L(3), b: B(true) }] },
        { op: 'AssignVarOnce', source: B(true), target: 2 },
      ]] },
      { name: 'g0.data.t.brk', params: [0, 1], return: 2, path: ['t', 'brk'], blocks: [
        [{ op: 'Block', blocks: [[{ op: 'Break', index: 1 }]] }, { op: 'AssignVarOnce', source: S(4), target: 2 }],
        [{ op: 'Block', blocks: [[{ op: 'Break', index: 0 }], [{ op: 'Nop' }]] }, { op: 'AssignVarOnce', source: S(3), target: 2 }],
      ] },
      { name: 'g0.data.t.ret', params: [0, 1], return: 2, path: ['t', 'ret'], blocks: [
        [{ op: 'AssignVar', source: S(2), target: 3 }, { op: 'Scan', source: 0, key: 4, value: 5, block: [{ op: 'ReturnLocal', source: 3 }] }],
        [{ op: 'AssignVarOnce', source: S(4), target: 2 }],
      ] },
    ],
  });
  const p = await load(ir);
  assert.equal(p.evaluate({ deny: true }, 't/allow'), []);
  assert.equal(p.evaluate({ deny: false }, 't/allow'), [{ result: true }]);
  assert.equal(p.evaluate({}, 't/allow'), [{ result: true }]);
  assert.equal(p.evaluate({}, 't/brk'), [{ result: 'second' }]);
  assert.equal(p.evaluate([1, 2], 't/ret'), [{ result: 'x' }]);
  assert.equal(p.evaluate([], 't/ret'), [{ result: 'unreached' }]);
});

test('AssignVarOnce conflict aborts with file:row:col: var assignment conflict', async () => {
  const ir = policy({
    strings: ['a', 'b'],
    plans: [planCalling('t/p', 'g0.data.t.p')],
    funcs: [{ name: 'g0.data.t.p', params: [0, 1], return: 2, path: ['t', 'p'], blocks: [
      [{ op: 'AssignVarOnce', source: S(1), target: 2, loc: [0, 3, 5] }],
      [{ op: 'AssignVarOnce', source: S(1), target: 2, loc: [0, 4, 5] }],
      [{ op: 'AssignVarOnce', source: S(2), target: 2, loc: [0, 5, 7] }],
    ] }],
  });
  const p = await load(ir);
  const f = await failureOf(() => p.evaluate({}));
  assert.is(f.error.code, 'DW3301');
  assert.is(f.error.message, 'var assignment conflict');
  assert.equal(f.error.at, { file: 'policies/test.rego', line: 5, col: 7 });
  assert.match(f.message, 'policies/test.rego:5:7');
  // The runtime stays usable after an abort (the heap is reset by the next evaluation).
  const again = await failureOf(() => p.evaluate({}));
  assert.is(again.error.code, 'DW3301');
});

test('ObjectInsertOnce conflict aborts with object insert conflict; same value is fine', async () => {
  const mk = (second: number) => policy({
    strings: ['k', 'a', 'b'],
    plans: [{ name: 't/o', blocks: [[
      { op: 'MakeObject', target: 2 },
      { op: 'ObjectInsertOnce', key: S(1), value: S(2), object: 2, loc: [0, 2, 1] },
      { op: 'ObjectInsertOnce', key: S(1), value: S(second), object: 2, loc: [0, 9, 3] },
      ...resultOf(2),
    ]] }],
  });
  assert.equal((await load(mk(2))).evaluate(), [{ result: { k: 'a' } }]);
  const f = await failureOf(async () => (await load(mk(3))).evaluate());
  assert.is(f.error.message, 'object insert conflict');
  assert.equal(f.error.at, { file: 'policies/test.rego', line: 9, col: 3 });
});

test('With on input replaces a path, restores it, and clears the memo', async () => {
  const ir = policy({
    strings: ['x', 'patched', 'outer', 'inner', 'after', 'y'],
    plans: [{ name: 't/w', blocks: [[
      { op: 'Call', func: 'g0.data.t.x', args: [L(0), L(1)], result: 3 },
      { op: 'With', local: 0, path: [1], value: S(2), block: [
        { op: 'Call', func: 'g0.data.t.x', args: [L(0), L(1)], result: 4 },
        { op: 'Dot', source: L(0), key: S(6), target: 6 },
      ] },
      { op: 'Call', func: 'g0.data.t.x', args: [L(0), L(1)], result: 5 },
      { op: 'MakeObject', target: 2 },
      { op: 'ObjectInsert', key: S(3), value: L(3), object: 2 },
      { op: 'ObjectInsert', key: S(4), value: L(4), object: 2 },
      { op: 'ObjectInsert', key: S(5), value: L(5), object: 2 },
      { op: 'ObjectInsert', key: S(6), value: L(6), object: 2 },
      ...resultOf(2),
    ]] }],
    funcs: [{ name: 'g0.data.t.x', params: [0, 1], return: 2, path: ['t', 'x'], blocks: [[
      { op: 'Dot', source: L(0), key: S(1), target: 3 },
      { op: 'AssignVarOnce', source: L(3), target: 2 },
    ]] }],
  });
  const p = await load(ir);
  assert.equal(p.evaluate({ x: 'orig', y: 1 }), [{ result: { outer: 'orig', inner: 'patched', after: 'orig', y: 1 } }]);
  // input.y missing inside the With: the plan's block fails, and the result is undefined.
  assert.equal(p.evaluate({ x: 'a' }), []);
  // Input that is not an object: With builds an object for the path.
  assert.equal(p.evaluate({ x: 'b', y: [1] }), [{ result: { outer: 'b', inner: 'patched', after: 'b', y: [1] } }]);
});

test('CallDynamic finds the function by its data path', async () => {
  const ir = policy({
    strings: ['t', 'which', 'A', 'B'],
    plans: [{ name: 't/dyn', blocks: [[
      { op: 'Dot', source: L(0), key: S(2), target: 3 },
      { op: 'CallDynamic', path: [S(1), L(3)], args: [0, 1], result: 2 },
      ...resultOf(2),
    ]] }],
    funcs: [
      { name: 'g0.data.t.a', params: [0, 1], return: 2, path: ['t', 'a'], blocks: [[{ op: 'AssignVarOnce', source: S(3), target: 2 }]] },
      { name: 'g0.data.t.b', params: [0, 1], return: 2, path: ['t', 'b'], blocks: [[{ op: 'AssignVarOnce', source: S(4), target: 2 }]] },
    ],
  });
  const p = await load(ir);
  assert.equal(p.evaluate({ which: 'a' }), [{ result: 'A' }]);
  assert.equal(p.evaluate({ which: 'b' }), [{ result: 'B' }]);
  assert.equal(p.evaluate({ which: 'c' }), []);
  assert.equal(p.evaluate({ which: 1 }), []);
});

test('plain rules are memoised per evaluation; host builtins go through opa_builtinN', async () => {
  let calls = 0;
  const ir = policy({
    builtins: [{ name: 'test.tick', arity: 0 }],
    plans: [{ name: 't/m', blocks: [[
      { op: 'Call', func: 'g0.data.t.tick', args: [L(0), L(1)], result: 3 },
      { op: 'Call', func: 'g0.data.t.tick', args: [L(0), L(1)], result: 4 },
      { op: 'With', local: 1, path: [], value: B(true), block: [{ op: 'Call', func: 'g0.data.t.tick', args: [L(0), L(1)], result: 5 }] },
      { op: 'MakeArray', capacity: 3, target: 2 },
      { op: 'ArrayAppend', value: L(3), array: 2 },
      { op: 'ArrayAppend', value: L(4), array: 2 },
      { op: 'ArrayAppend', value: L(5), array: 2 },
      ...resultOf(2),
    ]] }],
    funcs: [{ name: 'g0.data.t.tick', params: [0, 1], return: 2, path: ['t', 'tick'], blocks: [[
      { op: 'Call', func: 'test.tick', args: [], result: 3 },
      { op: 'AssignVarOnce', source: L(3), target: 2 },
    ]] }],
  });
  const p = await load(ir, { hostBuiltins: { 'test.tick': () => ++calls } });
  assert.equal(p.evaluate({}), [{ result: [1, 1, 2] }]);
  assert.equal(p.evaluate({}), [{ result: [3, 3, 4] }]);
});

test('host builtin arguments arrive as JSON; undefined result makes the call fail', async () => {
  const seen: unknown[] = [];
  const ir = policy({
    strings: ['undef'],
    consts: ['{"k":[1,"two",null]}'],
    builtins: [{ name: 'test.echo', arity: 2 }],
    plans: [{ name: 't/h', blocks: [[
      { op: 'MakeConst', index: 0, target: 3 },
      { op: 'MakeSet', target: 4 },
      { op: 'SetAdd', value: S(1), set: 4 },
      { op: 'SetAdd', value: B(false), set: 4 },
      { op: 'Call', func: 'test.echo', args: [L(0), L(3)], result: 2 },
      { op: 'Call', func: 'test.echo', args: [L(4), L(2)], result: 5 },
      ...resultOf(5),
    ]] }],
  });
  const p = await load(ir, {
    hostBuiltins: {
      'test.echo': (a: unknown, b: unknown) => {
        seen.push([a, b]);
        return a === 'undef' ? undefined : { a, b };
      },
    },
  });
  assert.equal(p.evaluate('in'), [{ result: { a: [false, 'undef'], b: { a: 'in', b: { k: [1, 'two', null] } } } }]);
  assert.equal(seen[0], ['in', { k: [1, 'two', null] }]);
  assert.equal(p.evaluate('undef'), []);
});

test('a host builtin without implementation fails with DW3302; one that throws with DW3303', async () => {
  const ir = policy({ builtins: [{ name: 'test.none', arity: 1 }], plans: [{ name: 't/n', blocks: [[{ op: 'Call', func: 'test.none', args: [L(0)], result: 2 }, ...resultOf(2)]] }] });
  assert.is((await failureOf(async () => (await load(ir)).evaluate(1))).error.code, 'DW3302');
  const throwing = await load(ir, { hostBuiltins: { 'test.none': () => { throw new Error('boom'); } } });
  const f = await failureOf(() => throwing.evaluate(1));
  assert.is(f.error.code, 'DW3303');
  assert.match(f.message, 'boom');
});

test('without hostBuiltins the HOST_BUILTINS registry is registered', async () => {
  const ir = policy({
    consts: ['"10KB"'],
    builtins: [{ name: 'units.parse_bytes', arity: 1 }],
    plans: [{ name: 't/u', blocks: [[{ op: 'MakeConst', index: 0, target: 3 }, { op: 'Call', func: 'units.parse_bytes', args: [L(3)], result: 2 }, ...resultOf(2)]] }],
  });
  const p = await loadCompiledPolicy(emitWasm(ir));
  assert.equal(p.evaluate(), [{ result: 10000 }]);
});

test('falsy inputs are real inputs; undefined is no input', async () => {
  const p = await load(echo);
  for (const v of [false, 0, '', null]) assert.equal(p.evaluate(v), [{ result: v }]);
  assert.equal(p.evaluate(undefined), []);
});

test('setData then evaluate; data never mutated by With', async () => {
  const ir = policy({
    strings: ['limits', 'max', 'over'],
    plans: [{ name: 't/d', blocks: [[
      { op: 'Dot', source: L(1), key: S(1), target: 3 },
      { op: 'Dot', source: L(3), key: S(2), target: 4 },
      { op: 'With', local: 1, path: [1, 2], value: S(3), block: [{ op: 'AssignVar', source: L(1), target: 5 }] },
      { op: 'MakeArray', capacity: 3, target: 2 },
      { op: 'ArrayAppend', value: L(4), array: 2 },
      { op: 'ArrayAppend', value: L(5), array: 2 },
      { op: 'ArrayAppend', value: L(1), array: 2 },
      ...resultOf(2),
    ]] }],
  });
  const p = await load(ir, { data: { limits: { max: 3, min: 1 } }, hostBuiltins: {} });
  const first = [{ result: [3, { limits: { max: 'over', min: 1 } }, { limits: { max: 3, min: 1 } }] }];
  assert.equal(p.evaluate(), first);
  assert.equal(p.evaluate(), first);
  p.setData({ limits: { max: 10 } });
  assert.equal(p.evaluate(), [{ result: [10, { limits: { max: 'over' } }, { limits: { max: 10 } }] }]);
});

test('20,000 evaluations keep memory flat (heap reset works)', async () => {
  const ir = policy({
    strings: ['items'],
    plans: [{ name: 't/n', blocks: [[
      { op: 'Dot', source: L(0), key: S(1), target: 3 },
      { op: 'Call', func: 'count', args: [L(3)], result: 2 },
      ...resultOf(2),
    ]] }],
    builtins: [{ name: 'count', arity: 1 }],
  });
  const p = await load(ir, { data: { big: Array.from({ length: 500 }, (_, i) => ({ i, s: `row ${i}` })) }, hostBuiltins: {} });
  const input = { items: Array.from({ length: 50 }, (_, i) => ({ id: i, tags: ['a', 'b'] })) };
  assert.equal(p.evaluate(input), [{ result: 50 }]);
  const before = p.memoryBytes();
  let ok = 0;
  for (let i = 0; i < 20000; i++) if (p.evaluate(input)[0]?.result === 50) ok++;
  assert.is(ok, 20000);
  assert.is(p.memoryBytes(), before);
});

test('memory grows for big inputs (SDK-grown) and big intermediate values (runtime-grown)', async () => {
  const p = await load(echo);
  const big = { s: 'x'.repeat(1_000_000), a: Array.from({ length: 30_000 }, (_, i) => i) };
  const [row] = p.evaluate(big);
  assert.is((row.result as typeof big).s.length, 1_000_000);
  assert.is((row.result as typeof big).a[29_999], 29_999);
  const range = await load(policy({
    consts: ['1', '300000'],
    builtins: [{ name: 'numbers.range', arity: 2 }, { name: 'count', arity: 1 }],
    plans: [{ name: 't/r', blocks: [[
      { op: 'MakeConst', index: 0, target: 3 }, { op: 'MakeConst', index: 1, target: 4 },
      { op: 'Call', func: 'numbers.range', args: [L(3), L(4)], result: 5 },
      { op: 'Call', func: 'count', args: [L(5)], result: 2 }, ...resultOf(2),
    ]] }],
  }));
  const before = range.memoryBytes();
  assert.equal(range.evaluate(), [{ result: 300000 }]);
  assert.ok(range.memoryBytes() > before);
  const grown = range.memoryBytes();
  for (let i = 0; i < 5; i++) assert.equal(range.evaluate(), [{ result: 300000 }]);
  assert.is(range.memoryBytes(), grown);
});

test('JSON round trip: unicode, escapes, big ints, floats, nested (via json.marshal)', async () => {
  const ir = policy({ builtins: [{ name: 'json.marshal', arity: 1 }], plans: [{ name: 't/j', blocks: [[{ op: 'Call', func: 'json.marshal', args: [L(0)], result: 2 }, ...resultOf(2)]] }] });
  const p = await load(ir);
  const text = '{"z":[1,-0.5,1e+300,12345678901234567890,9007199254740993,-9223372036854775808],"a":"h\\u00e9llo \\u2603 \\ud83d\\ude00 \\"q\\" \\\\ \\n\\t\\u0001 /","m":{"n":{"o":[true,false,null,{}]}}}';
  const [row] = p.evaluate(new TextEncoder().encode(text).buffer);
  const out = row.result as string;
  assert.is(
    out,
    '{"a":"héllo ☃ 😀 \\"q\\" \\\\ \\n\\t\\u0001 /","m":{"n":{"o":[true,false,null,{}]}},"z":[1,-0.5,1e+300,12345678901234567890,9007199254740993,-9223372036854775808]}',
  );
  // And the echo policy returns the same value to JS.
  const e = await load(echo);
  assert.equal(e.evaluate({ s: 'ü😀\u0000"', n: [1.5, -2, 0] }), [{ result: { s: 'ü😀\u0000"', n: [1.5, -2, 0] } }]);
});

test('sets are dumped in canonical order null<bool<number<string<array<object<set', async () => {
  const consts = ['"b"', '1', 'null', 'true', '[1]', '{"a":1}', '"a"', '0.5', 'false', '[0,9]', '{"a":0}', '-3'];
  const stmts: IrPolicy['plans'][number]['blocks'][number][number][] = [{ op: 'MakeSet', target: 2 }];
  consts.forEach((_, i) => stmts.push({ op: 'MakeConst', index: i, target: 10 + i }, { op: 'SetAdd', value: L(10 + i), set: 2 }));
  stmts.push({ op: 'MakeSet', target: 3 }, { op: 'SetAdd', value: L(11), set: 3 }, { op: 'SetAdd', value: L(3), set: 2 });
  stmts.push({ op: 'MakeObject', target: 4 }, { op: 'ObjectInsert', key: L(11), value: S(0), object: 4 }, { op: 'ObjectInsert', key: L(14), value: S(0), object: 4 }, { op: 'SetAdd', value: L(4), set: 2 });
  stmts.push(...resultOf(2));
  const p = await load(policy({ consts, plans: [{ name: 't/s', blocks: [stmts] }] }));
  assert.equal(p.evaluate(), [{ result: [null, false, true, -3, 0.5, 1, 'a', 'b', [0, 9], [1], { '1': 'result', '[1]': 'result' }, { a: 0 }, { a: 1 }, [1]] }]);
});

test('Rego equality across int/float, Len counts code points, Dot on arrays and sets', async () => {
  const ir = policy({
    strings: ['héllo😀'],
    consts: ['1', '1.0', '[10,20]', '1.5'],
    plans: [{ name: 't/e', blocks: [[
      { op: 'MakeConst', index: 0, target: 3 },
      { op: 'MakeConst', index: 1, target: 4 },
      { op: 'Equal', a: L(3), b: L(4) },
      { op: 'Len', source: S(1), target: 5 },
      { op: 'MakeConst', index: 2, target: 6 },
      { op: 'Dot', source: L(6), key: L(4), target: 7 },
      { op: 'MakeSet', target: 8 },
      { op: 'SetAdd', value: L(3), set: 8 },
      { op: 'Dot', source: L(8), key: L(4), target: 9 },
      { op: 'MakeArray', capacity: 3, target: 2 },
      { op: 'ArrayAppend', value: L(5), array: 2 },
      { op: 'ArrayAppend', value: L(7), array: 2 },
      { op: 'ArrayAppend', value: L(9), array: 2 },
      ...resultOf(2),
    ]] }],
  });
  assert.equal((await load(ir)).evaluate(), [{ result: [6, 20, 1] }]);
});

test('ObjectMerge, type tests, NotEqual, ResetLocal and number constructors', async () => {
  const ir = policy({
    strings: ['12345678901234567890', '2.5', 'a', 'b'],
    consts: ['{"a":{"x":1,"y":1},"k":1}', '{"a":{"y":2,"z":2},"k":2,"n":[1]}'],
    plans: [{ name: 't/m', blocks: [[
      { op: 'MakeConst', index: 0, target: 3 },
      { op: 'MakeConst', index: 1, target: 4 },
      { op: 'ObjectMerge', a: 3, b: 4, target: 5 },
      { op: 'IsObject', source: L(5) },
      { op: 'Dot', source: L(4), key: S(3), target: 6 },
      { op: 'NotEqual', a: L(6), b: L(5) },
      { op: 'MakeNumberRef', index: 1, target: 7 },
      { op: 'MakeNumberRef', index: 2, target: 8 },
      { op: 'MakeNumberInt', value: -7, target: 9 },
      { op: 'AssignInt', value: 3, target: 10 },
      { op: 'MakeNull', target: 11 },
      { op: 'ResetLocal', target: 10 },
      { op: 'IsUndefined', source: 10 },
      { op: 'IsDefined', source: 11 },
      { op: 'Not', block: [{ op: 'IsArray', source: L(5) }] },
      { op: 'Not', block: [{ op: 'IsSet', source: L(11) }] },
      { op: 'MakeArray', capacity: 5, target: 2 },
      { op: 'ArrayAppend', value: L(5), array: 2 },
      { op: 'ArrayAppend', value: L(7), array: 2 },
      { op: 'ArrayAppend', value: L(8), array: 2 },
      { op: 'ArrayAppend', value: L(9), array: 2 },
      { op: 'ArrayAppend', value: L(11), array: 2 },
      { op: 'Call', func: 'json.marshal', args: [L(7)], result: 12 },
      { op: 'ArrayAppend', value: L(12), array: 2 },
      ...resultOf(2),
    ]] }],
  });
  assert.equal((await load(ir)).evaluate(), [{ result: [
    { a: { x: 1, y: 1, z: 2 }, k: 1, n: [1] }, 12345678901234567890, 2.5, -7, null, '12345678901234567890',
  ] }]);
  // ObjectMerge of a non-object fails the block.
  const bad = policy({ consts: ['1', '{}'], plans: [{ name: 't/b', blocks: [[
    { op: 'MakeConst', index: 0, target: 3 }, { op: 'MakeConst', index: 1, target: 4 },
    { op: 'ObjectMerge', a: 3, b: 4, target: 2 }, ...resultOf(2),
  ]] }] });
  assert.equal((await load(bad)).evaluate(), []);
});

test('unknown entry point and illegal entry point id', async () => {
  const p = await load(echo);
  assert.is((await failureOf(() => p.evaluate(1, 'nope'))).error.code, 'DW3304');
  assert.is((await failureOf(() => p.evaluate(1, 7))).error.code, 'DW3390');
});

test.run();
