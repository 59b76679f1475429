// Native builtins of the AssemblyScript runtime, each called with constant arguments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emitWasm } from '../../src/policy/compiler/emit/index.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';
import { builtinCallPolicy } from './runtime-ir.ts';

/** [builtin, JSON args, expected result (undefined = Rego-undefined)]. */
const CASES: readonly (readonly [string, readonly string[], unknown])[] = [
  ['equal', ['1', '1.0'], true], ['neq', ['[1]', '[1]'], false], ['lt', ['"a"', '"b"'], true],
  ['lt', ['null', 'false'], true], ['gte', ['{"a":1}', '[9]'], true],
  ['plus', ['1', '2'], 3], ['plus', ['0.1', '0.2'], 0.30000000000000004], ['plus', ['9223372036854775807', '1'], 9223372036854775808],
  ['minus', ['5', '7'], -2], ['mul', ['6', '7'], 42], ['div', ['7', '2'], 3.5], ['div', ['8', '2'], 4], ['div', ['1', '0'], undefined],
  ['rem', ['7', '3'], 1], ['rem', ['-7', '3'], -1], ['rem', ['7.5', '2'], undefined], ['plus', ['"a"', '1'], undefined],
  ['abs', ['-3'], 3], ['round', ['2.5'], 3], ['round', ['-2.5'], -3], ['ceil', ['1.2'], 2], ['floor', ['-1.2'], -2],
  ['numbers.range', ['1', '4'], [1, 2, 3, 4]], ['numbers.range', ['2', '0'], [2, 1, 0]], ['numbers.range_step', ['0', '10', '5'], [0, 5, 10]],
  ['to_number', ['"12.5"'], 12.5], ['to_number', ['true'], 1], ['to_number', ['"x"'], undefined], ['to_number', ['null'], 0],
  ['is_number', ['1'], true], ['is_string', ['1'], false], ['type_name', ['{}'], 'object'], ['type_name', ['null'], 'null'],
  ['count', ['"héllo"'], 5], ['count', ['{"a":1,"b":2}'], 2], ['count', ['1'], undefined],
  ['sum', ['[1,2,3.5]'], 6.5], ['product', ['[2,3,4]'], 24], ['max', ['[3,"a",1]'], 'a'], ['min', ['[]'], undefined],
  ['sort', ['[3,1,"b",null,2]'], [null, 1, 2, 3, 'b']], ['all', ['[true,true]'], true], ['any', ['[false,1]'], false],
  ['array.concat', ['[1]', '[2,3]'], [1, 2, 3]], ['array.slice', ['[1,2,3,4]', '1', '3'], [2, 3]],
  ['array.slice', ['[1,2,3]', '-5', '9'], [1, 2, 3]], ['array.slice', ['[1,2,3]', '2', '1'], []], ['array.reverse', ['[1,2,3]'], [3, 2, 1]],
  ['object.get', ['{"a":{"b":1}}', '["a","b"]', '0'], 1], ['object.get', ['{"a":1}', '"x"', '"d"'], 'd'], ['object.get', ['{"a":1}', '[]', '0'], { a: 1 }],
  ['object.keys', ['{"b":1,"a":2}'], ['a', 'b']], ['object.remove', ['{"a":1,"b":2,"c":3}', '["a","c"]'], { b: 2 }],
  ['object.filter', ['{"a":1,"b":2}', '{"a":0}'], { a: 1 }], ['object.union', ['{"a":{"x":1},"b":1}', '{"a":{"y":2},"b":3}'], { a: { x: 1, y: 2 }, b: 3 }],
  ['object.union_n', ['[{"a":1},{"b":2},{"a":3}]'], { a: 3, b: 2 }],
  ['json.marshal', ['{"b":[1,"<x>"],"a":null}'], '{"a":null,"b":[1,"\\u003cx\\u003e"]}'], ['json.unmarshal', ['"{\\"a\\":[1,2]}"'], { a: [1, 2] }],
  ['json.unmarshal', ['"{bad"'], undefined], ['json.is_valid', ['"[1]"'], true], ['json.is_valid', ['"[1"'], false],
  ['json.filter', ['{"a":{"b":1,"c":2},"d":3}', '["a/b","d"]'], { a: { b: 1 }, d: 3 }],
  ['json.remove', ['{"a":{"b":1,"c":2},"d":3}', '["a/b",["d"]]'], { a: { c: 2 } }],
  ['concat', ['", "', '["a","b"]'], 'a, b'], ['concat', ['"-"', '[1]'], undefined], ['contains', ['"abc"', '"bc"'], true],
  ['startswith', ['"abc"', '"ab"'], true], ['endswith', ['"abc"', '"ab"'], false], ['indexof', ['"héllo"', '"l"'], 2],
  ['indexof', ['"abc"', '"z"'], -1], ['indexof_n', ['"aaa"', '"aa"'], [0, 1]], ['lower', ['"ÀB"'], 'àb'], ['upper', ['"abc"'], 'ABC'],
  ['split', ['"a.b.c"', '"."'], ['a', 'b', 'c']], ['split', ['"ab"', '""'], ['a', 'b']], ['replace', ['"aXbX"', '"X"', '"-"'], 'a-b-'],
  ['strings.replace_n', ['{"a":"1","b":"2"}', '"abcab"'], '12c12'], ['substring', ['"héllo"', '1', '3'], 'éll'],
  ['substring', ['"abc"', '1', '-1'], 'bc'], ['substring', ['"abc"', '-1', '1'], undefined], ['substring', ['"abc"', '5', '1'], ''],
  ['trim', ['"xxhixx"', '"x"'], 'hi'], ['trim_left', ['"xxhix"', '"x"'], 'hix'], ['trim_right', ['"xhixx"', '"x"'], 'xhi'],
  ['trim_prefix', ['"foobar"', '"foo"'], 'bar'], ['trim_suffix', ['"foobar"', '"bar"'], 'foo'], ['trim_space', ['" \\t hi \\n"'], 'hi'],
  ['format_int', ['255', '16'], 'ff'], ['format_int', ['-10.7', '2'], '-1010'], ['strings.reverse', ['"ab😀"'], '😀ba'],
  ['strings.count', ['"cheese"', '"e"'], 3],
  ['base64.encode', ['"hello"'], 'aGVsbG8='], ['base64.decode', ['"aGVsbG8="'], 'hello'], ['base64.decode', ['"aGVsbG8"'], undefined],
  ['base64.is_valid', ['"aGk="'], true], ['base64url.encode', ['"\\u00ff\\u00fe"'], 'w7_Dvg=='], ['base64url.encode_no_pad', ['"hi?"'], 'aGk_'],
  ['base64url.decode', ['"aGk_"'], 'hi?'], ['hex.encode', ['"hi"'], '6869'], ['hex.decode', ['"6869"'], 'hi'], ['hex.decode', ['"6g"'], undefined],
  ['bits.or', ['5', '2'], 7], ['bits.and', ['6', '3'], 2], ['bits.xor', ['6', '3'], 5], ['bits.negate', ['5'], -6],
  ['bits.lsh', ['1', '4'], 16], ['bits.rsh', ['16', '2'], 4], ['bits.lsh', ['1.5', '1'], undefined],
  ['walk', ['{"a":[1]}'], [[[], { a: [1] }], [['a'], [1]], [['a', 0], 1]]],
  ['internal.member_2', ['2', '[1,2]'], true], ['internal.member_2', ['3', '{"a":3}'], true], ['internal.member_2', ['3', '"s"'], false],
  ['internal.member_3', ['"a"', '3', '{"a":3}'], true], ['internal.member_3', ['1', '3', '[3,3]'], true],
  ['glob.match', ['"*.github.com"', '[]', '"api.github.com"'], true], ['glob.match', ['"*.github.com"', '[]', '"api.cdn.github.com"'], false],
  ['glob.match', ['"api.**.com"', '["."]', '"api.cdn.github.com"'], true], ['glob.match', ['"[!abc]at"', '[]', '"cat"'], false],
  ['glob.match', ['"{cat,bat,[fr]at}"', '[]', '"rat"'], true], ['glob.match', ['"*"', 'null', '"foo.bar"'], true], ['glob.match', ['"?at"', '["f"]', '"bat"'], true],
  ['net.cidr_contains', ['"10.0.0.0/8"', '"10.1.2.3"'], true], ['net.cidr_contains', ['"10.0.0.0/8"', '"11.0.0.1"'], false],
  ['net.cidr_contains', ['"10.0.0.0/8"', '"10.1.0.0/16"'], true], ['net.cidr_contains', ['"2001:db8::/32"', '"2001:db8:1::1"'], true],
  ['net.cidr_contains', ['"2001:db8::/32"', '"2001:db9::1"'], false], ['net.cidr_contains', ['"bogus"', '"10.0.0.1"'], undefined],
  ['strings.any_prefix_match', ['["a/b","c/d"]', '"c/"'], true], ['strings.any_suffix_match', ['"abc"', '["x","bc"]'], true],
  ['strings.any_prefix_match', ['"abc"', '[1]'], undefined], ['json.is_valid', ['1'], false],
  ['object.subset', ['{"a":{"x":[1,2,3],"y":1},"b":2}', '{"a":{"x":[2,3]}}'], true], ['object.subset', ['{"a":1}', '{"a":2}'], false],
  ['object.subset', ['[1,2,3,4]', '[2,4]'], false], ['object.subset', ['"a"', '"a"'], undefined],
  ['array.flatten', ['[1,[2,[3,[]]],4]'], [1, 2, [3, []], 4]], ['json.marshal_with_options', ['{"b":[1],"a":{}}', '{"prefix":"> "}'], '> {\n> \t"a": {},\n> \t"b": [\n> \t\t1\n> \t]\n> }'], ['json.marshal_with_options', ['[1]', '{"x":1}'], undefined], ['count', ['"\u00ff"'], 1],
  ['and', ['[1]', '[1]'], undefined], ['intersection', ['[]'], undefined],
];

test('native builtins (one module per case, all through the SDK)', async () => {
  const failures: string[] = [];
  for (const [name, args, want] of CASES) {
    const p = await loadCompiledPolicy(emitWasm(builtinCallPolicy(name, [...args])), { hostBuiltins: {} });
    const rs = p.evaluate();
    const got = rs.length === 0 ? undefined : rs[0].result;
    try {
      assert.equal(got, want);
    } catch {
      failures.push(`${name}(${args.join(', ')}) = ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  }
  assert.equal(failures, []);
});

test('invalid UTF-8 from base64.decode counts one code point per bad byte (as OPA/Go)', async () => {
  const ir = builtinCallPolicy('base64.decode', ['"2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k="']);
  const blocks = ir.plans[0].blocks[0];
  const withCount = [...blocks.slice(0, 2), { op: 'Call', func: 'count', args: [{ local: 2 }], result: 3 }, ...blocks.slice(2).map((s) => (s.op === 'ObjectInsert' ? { ...s, value: { local: 3 } } : s))] as typeof blocks;
  const p = await loadCompiledPolicy(emitWasm({ ...ir, plans: [{ name: 't/p', blocks: [withCount] }] }), { hostBuiltins: {} });
  assert.equal(p.evaluate(), [{ result: 30 }]);
});

test('native builtins are not published to the host; others are', async () => {
  const p = await loadCompiledPolicy(emitWasm({ ...builtinCallPolicy('count', ['[1]']), static: {
    strings: ['result'], files: [], consts: ['[1]'], builtins: [{ name: 'count', arity: 1 }, { name: 'regex.match', arity: 2 }],
  } }), { hostBuiltins: {} });
  assert.equal(p.evaluate(), [{ result: 1 }]);
});

test.run();
