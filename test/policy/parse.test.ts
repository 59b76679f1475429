import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import type { Body, Expr, Module, Rule, Term } from '../../src/policy/compiler/ast.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { parseModule, parseQuery, parseTerm, tryParseModule } from '../../src/policy/compiler/parse/index.ts';

const CONFORMANCE = fileURLToPath(new URL('../../../shared/opa-conformance/v1', import.meta.url));

/** Compact, position-free rendering of terms so precedence tests read like Rego. */
function show(t: Term): string {
  switch (t.type) {
    case 'null': return 'null';
    case 'boolean': return String(t.value);
    case 'number': return t.value;
    case 'string': return JSON.stringify(t.value);
    case 'var': return t.name;
    case 'ref': return `${show(t.head)}${t.path.map((p) => `[${show(p)}]`).join('')}`;
    case 'array': return `[${t.items.map(show).join(', ')}]`;
    case 'set': return t.items.length === 0 ? 'set()' : `{${t.items.map(show).join(', ')}}`;
    case 'object': return `{${t.items.map(([k, v]) => `${show(k)}: ${show(v)}`).join(', ')}}`;
    case 'arraycompr': return `[${show(t.term)} | ${showBody(t.body)}]`;
    case 'setcompr': return `{${show(t.term)} | ${showBody(t.body)}}`;
    case 'objectcompr': return `{${show(t.key)}: ${show(t.value)} | ${showBody(t.body)}}`;
    case 'call': return `${t.op}(${t.args.map(show).join(', ')})`;
  }
}
function showExpr(e: Expr): string {
  const k = e.kind;
  let s: string;
  switch (k.type) {
    case 'term': s = show(k.term); break;
    case 'unify': s = `${show(k.left)} = ${show(k.right)}`; break;
    case 'assign': s = `${show(k.left)} := ${show(k.right)}`; break;
    case 'some-decl': s = `some ${k.vars.map(show).join(', ')}`; break;
    case 'some-in': s = `some ${k.key ? show(k.key) + ', ' : ''}${show(k.value)} in ${show(k.collection)}`; break;
    case 'every': s = `every ${k.key ? show(k.key) + ', ' : ''}${show(k.value)} in ${show(k.domain)} { ${showBody(k.body)} }`; break;
  }
  return (e.negated ? 'not ' : '') + s + e.with.map((w) => ` with ${show(w.target)} as ${show(w.value)}`).join('');
}
const showBody = (b: Body): string => b.map(showExpr).join('; ');
const q = (text: string): string => showBody(parseQuery(text, 'q.rego'));
const mod = (body: string): Module => parseModule(`package test\n\n${body}\n`, 'p.rego');
const rule = (body: string, i = 0): Rule => mod(body).rules[i];

function failure(f: () => unknown): DwFailure {
  try { f(); } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new assert.Assertion({ message: 'expected a DwFailure', generated: false, operator: 'throws' } as never);
}

// ------------------------------------------------------------ conformance smoke test
test('every module and query of the OPA conformance suite parses', () => {
  let modules = 0, queries = 0;
  const failures: string[] = [];
  for (const dir of readdirSync(CONFORMANCE)) {
    for (const file of readdirSync(`${CONFORMANCE}/${dir}`)) {
      const doc = parseYaml(readFileSync(`${CONFORMANCE}/${dir}/${file}`, 'utf8')) as { cases: { note: string; query: string; modules?: string[] }[] };
      for (const c of doc.cases) {
        for (const [i, m] of (c.modules ?? []).entries()) {
          const r = tryParseModule(m, `${dir}/${file}#${i}`);
          if (r.diagnostics.length > 0) failures.push(`${c.note}: ${r.diagnostics[0].message}`);
          modules++;
        }
        try { parseQuery(c.query, 'query'); queries++; } catch (e) { failures.push(`${c.note} (query): ${(e as Error).message}`); }
      }
    }
  }
  assert.equal(failures, []);
  assert.ok(modules > 900, `only ${modules} modules`);
  assert.is(queries, 788);
});

// ------------------------------------------------------------ precedence
test('arithmetic: * / % bind tighter than + -, left-associative', () => {
  assert.is(q('x = 1 + 2 * 3 - 4 / 5 % 6'), 'x = minus(plus(1, mul(2, 3)), rem(div(4, 5), 6))');
  assert.is(q('x = 1 - 2 - 3'), 'x = minus(minus(1, 2), 3)');
});

test('OPA order: in < comparison < | < & < + - < * / %', () => {
  assert.is(q('a | b & c + d == e'), 'equal(or(a, and(b, plus(c, d))), e)');
  assert.is(q('1 == 2 in xs'), 'internal.member_2(equal(1, 2), xs)');
  assert.is(q('a < b == c'), 'equal(lt(a, b), c)');
  assert.is(q('x := (1 + 2) * 3'), 'x := mul(plus(1, 2), 3)');
});

test('membership: x in xs, k, v in xs at expression level; commas in lists stay separators', () => {
  assert.is(q('x in xs'), 'internal.member_2(x, xs)');
  assert.is(q('k, v in xs'), 'internal.member_3(k, v, xs)');
  assert.is(q('f(1, 2 in xs)'), 'f(1, internal.member_2(2, xs))');
  assert.is(q('y := [1, 2 in xs]'), 'y := [1, internal.member_2(2, xs)]');
  assert.is(q('(0, 2 in [2]) in [true]'), 'internal.member_2(internal.member_3(0, 2, [2]), [true])');
});

test('unary minus: literal folds into the number, names become minus(0, x)', () => {
  assert.is(q('x := -1.5e3'), 'x := -1.5e3');
  assert.is(q('x := -input.n'), 'x := minus(0, input["n"])');
  assert.is(q('x := 3 - -2'), 'x := minus(3, -2)');
});

// ------------------------------------------------------------ terms
test('refs: dotted, bracketed, composite and call heads; whitespace ends a ref', () => {
  assert.is(q('input.a.b[0][x]'), 'input["a"]["b"][0][x]');
  assert.is(q('data.x["y"]'), 'data["x"]["y"]');
  assert.is(q('[1, 2][0]'), '[1, 2][0]');
  assert.is(q('f(x).y'), 'f(x)["y"]');
  assert.is(q('input.in'), 'input["in"]');
  assert.is(showBody(parseQuery('x := 1\n[a] = y', 'q')), 'x := 1; [a] = y');
});

test('calls with dotted names', () => {
  const t = parseTerm('object.get(input, "a", null)');
  assert.is(t.type, 'call');
  assert.is(t.type === 'call' && t.op, 'object.get');
  assert.is(q('data.lib.f(x)'), 'data.lib.f(x)');
  assert.is(q('contains("abc", "b")'), 'contains("abc", "b")');
});

test('composite literals and comprehensions', () => {
  assert.is(q('x := {1, 2}'), 'x := {1, 2}');
  assert.is(q('x := set()'), 'x := set()');
  assert.is(q('x := {}'), 'x := {}');
  assert.is(q('x := {"a": 1, "b": [true, null]}'), 'x := {"a": 1, "b": [true, null]}');
  assert.is(q('x := [y | y := xs[_]]'), 'x := [y | y := xs[$_0]]');
  assert.is(q('x := {y | some y in xs; y > 1}'), 'x := {y | some y in xs; gt(y, 1)}');
  assert.is(q('x := {k: v | v := o[k]}'), 'x := {k: v | v := o[k]}');
  assert.is(q('x := {a | b}'), 'x := {a | b}', 'comprehension wins over set union');
  assert.is(q('x := {(a | b)}'), 'x := {or(a, b)}');
  assert.is(q('x := [1, 2,]'), 'x := [1, 2]');
});

test('deeply nested literals parse in linear time (memoised speculative parsing)', () => {
  let lit = '1';
  for (let i = 0; i < 60; i++) lit = i % 2 ? `{"a": ${lit}, "b": [${lit === '1' ? 2 : 3}]}` : `[${lit}, {${i}}]`;
  const body = parseQuery(`x := ${lit}`, 'deep.rego');
  assert.is(body.length, 1);
  let bad = '1';
  for (let i = 0; i < 60; i++) bad = `{"k": [${bad}]}`;
  assert.is(failure(() => parseQuery(`x := ${bad.replace('1', '1 +')}`, 'deep.rego')).error.code, 'DW3001');
});

test('strings: JSON escapes, \\u escapes incl. surrogate pairs, raw strings', () => {
  const s = (text: string): string => { const t = parseTerm(text); assert.is(t.type, 'string'); return t.type === 'string' ? t.value : ''; };
  assert.is(s(String.raw`"a\"b\\c\/d\n\t"`), 'a"b\\c/d\n\t');
  assert.is(s(String.raw`"\u00e9"`), 'é');
  assert.is(s(String.raw`"\ud83d\ude00"`), '😀');
  assert.is(s(String.raw`"\ud83d"`), '\ufffd');
  assert.is(s('`C:\\path\\n`'), 'C:\\path\\n');
  assert.is(s('`multi\nline`'), 'multi\nline');
});

test('numbers keep their source text', () => {
  assert.is(q('x := 12345678901234567890'), 'x := 12345678901234567890');
  assert.is(q('x := 1.0e-7'), 'x := 1.0e-7');
  assert.is(q('x := 0.5'), 'x := 0.5');
  assert.is(q('x := .5 + -.25'), 'x := plus(0.5, -0.25)', 'a leading dot becomes valid JSON number text');
});

test('wildcards become fresh $_N vars', () => {
  assert.is(q('x[_] = y[_]'), 'x[$_0] = y[$_1]');
  const r = rule('f(_, _) := 1');
  assert.equal(r.head.args?.map(show), ['$_0', '$_1']);
});

// ------------------------------------------------------------ expressions
test('not, some, some-in, every, with', () => {
  assert.is(q('not x == 1'), 'not equal(x, 1)');
  assert.is(q('some x, y'), 'some x, y');
  assert.is(q('some x in xs'), 'some x in xs');
  assert.is(q('some k, v in xs'), 'some k, v in xs');
  assert.is(q('some [a, b] in pairs'), 'some [a, b] in pairs');
  assert.is(q('some numbers.range(1, 2) in xs'), 'some numbers.range(1, 2) in xs');
  assert.is(q('every x in xs { x > 0 }'), 'every x in xs { gt(x, 0) }');
  assert.is(q('every k, v in o { k != v; v }'), 'every k, v in o { neq(k, v); v }');
  assert.is(q('f(x) with input.a as 1 with data.b.c as {2} with count as mock'), 'f(x) with input["a"] as 1 with data["b"]["c"] as {2} with count as mock');
});

test('bodies: ; and new lines separate expressions', () => {
  assert.is(q('a; b\nc'), 'a; b; c');
  const f = failure(() => parseQuery('a b', 'q.rego'));
  assert.match(f.message, 'q.rego:1:3 DW3001 unexpected name "b", expected ";", a new line or the end of the query');
});

// ------------------------------------------------------------ rules
test('complete rules: :=, =, if-body, single-expression if, default', () => {
  const m = mod('p := 1\nq = 2\nr if { input.x }\ns := 3 if input.y > 1\ndefault t := false\nu if {x}');
  assert.equal(m.rules.map((r) => [r.head.kind, r.head.assign, r.head.value && show(r.head.value), showBody(r.body), r.isDefault]), [
    ['complete', true, '1', '', false],
    ['complete', false, '2', '', false],
    ['complete', false, 'true', 'input["x"]', false],
    ['complete', true, '3', 'gt(input["y"], 1)', false],
    ['complete', true, 'false', '', true],
    ['complete', false, 'true', 'x', false],
  ]);
});

test('partial sets, ref heads and partial objects', () => {
  const m = mod('s contains x if some x in input\np[k] := v if v := input[k]\na.b.c := 1\na.b[x] contains y if { x := 1; y := 2 }\nq[r][t] if r := t\nw["k"] := 1');
  assert.equal(m.rules.map((r) => [r.head.kind, r.head.ref.map(show).join('.'), r.head.key && show(r.head.key), r.head.value && show(r.head.value)]), [
    ['partial-set', '"s"', 'x', undefined],
    ['partial-object', '"p".k', undefined, 'v'],
    ['complete', '"a"."b"."c"', undefined, '1'],
    ['partial-set', '"a"."b".x', 'y', undefined],
    ['partial-object', '"q".r.t', undefined, 'true'],
    ['complete', '"w"."k"', undefined, '1'],
  ]);
});

test('layout freedom: multi-line terms, infix continuation, else on the next line, comments', () => {
  const m = mod([
    'p := [',
    '\t1, # one',
    '\t2,',
    ']',
    'q := 1 +',
    '\t2',
    'r if',
    '\tinput.x',
    'f(x) := 1 if x > 0',
    'else := 2',
    's := {x |',
    '\tsome x in input.xs',
    '\tx > 1',
    '}',
  ].join('\n'));
  assert.equal(m.rules.map((r) => [show(r.head.ref[0]), r.head.value && show(r.head.value), showBody(r.body), r.elses.length]), [
    ['"p"', '[1, 2]', '', 0],
    ['"q"', 'plus(1, 2)', '', 0],
    ['"r"', 'true', 'input["x"]', 0],
    ['"f"', '1', 'gt(x, 0)', 1],
    ['"s"', '{x | some x in input["xs"]; gt(x, 1)}', '', 0],
  ]);
});

test('functions: args, value true when omitted, multiple definitions', () => {
  const m = mod('f(x, y) := z if z := x + y\ng(x) if x > 1\ng(x) if x < -1\nh([a, b]) := a');
  assert.equal(m.rules.map((r) => [r.head.kind, r.head.args?.map(show), r.head.value && show(r.head.value)]), [
    ['function', ['x', 'y'], 'z'],
    ['function', ['x'], 'true'],
    ['function', ['x'], 'true'],
    ['function', ['[a, b]'], 'a'],
  ]);
});

test('else chains: values, bodies, else if, unconditional else', () => {
  const r = rule('p := 1 if { input.a } else := 2 if input.b else if { input.c } else = 4');
  assert.equal(r.elses.map((e) => [e.value && show(e.value), showBody(e.body)]), [
    ['2', 'input["b"]'],
    ['true', 'input["c"]'],
    ['4', ''],
  ]);
  assert.equal(r.elses.map((e) => e.pos.col), [23, 44, 64]);
});

test('imports: data/input with alias; rego.v1 and future.keywords are dropped', () => {
  const m = parseModule('package a\nimport rego.v1\nimport future.keywords.in\nimport data.lib.x\nimport input.z as w\np := 1', 'a.rego');
  assert.equal(m.imports.map((i) => [show(i.path), i.alias]), [['data["lib"]["x"]', undefined], ['input["z"]', 'w']]);
  assert.equal(m.package, ['a']);
});

// ------------------------------------------------------------ positions
test('positions: 1-based line:col on rules, exprs, terms and operators', () => {
  const m = parseModule('package a.b\n\nallow if {\n\tinput.x > 10\n\tnot deny\n}\n', 'pos.rego');
  assert.equal(m.packagePos, { file: 'pos.rego', line: 1, col: 1 });
  const r = m.rules[0];
  assert.equal(r.pos, { file: 'pos.rego', line: 3, col: 1 });
  const [e1, e2] = r.body;
  assert.equal([e1.pos.line, e1.pos.col], [4, 2]);
  assert.equal([e2.pos.line, e2.pos.col], [5, 2]);
  const call = e1.kind.type === 'term' ? e1.kind.term : undefined;
  assert.ok(call && call.type === 'call');
  if (call && call.type === 'call') {
    assert.equal([call.opPos.line, call.opPos.col], [4, 10]);
    assert.equal([call.args[1].pos.line, call.args[1].pos.col], [4, 12]);
    const ref = call.args[0];
    assert.ok(ref.type === 'ref' && ref.path[0].pos.col === 8);
  }
});

// ------------------------------------------------------------ errors
test('error: unexpected token with caret under it', () => {
  const f = failure(() => parseModule('package a\n\np if {\n  x := \n}\n', 'e.rego'));
  assert.is(f.message, 'e.rego:5:1 DW3001 unexpected "}", expected a term\n  }\n  ^');
  assert.equal(f.error.at, { file: 'e.rego', line: 5, col: 1 });
  assert.is(f.error.code, 'DW3001');
});

test('error: the caret lines up under tab-indented code', () => {
  const f = failure(() => parseModule('package a\n\np if {\n\tx := ]\n}\n', 't.rego'));
  assert.is(f.message, 't.rego:4:7 DW3001 unexpected "]", expected a term\n  \tx := ]\n  \t     ^');
});

test('error: rego v1 requires if / contains', () => {
  const f = failure(() => parseModule('package a\np { true }\n', 'e.rego'));
  assert.match(f.message, /^e\.rego:2:3 DW3005 rego v1 requires `if` before a rule body/);
  assert.match(f.message, '\n  p { true }\n    ^');
  const g = failure(() => parseModule('package a\np := 1 if true else { true }\n', 'e.rego'));
  assert.is(g.error.code, 'DW3005');
});

test('error: v0 habits get a v1 rewrite suggestion', () => {
  assert.match(failure(() => mod('p[x] { x := 1 }')).message, 'DW3005 rego v1 requires `contains` and `if` for a partial set rule: write `p contains x if { ... }`');
  assert.match(failure(() => mod('p := 1 { true }')).message, 'write `p := 1 if { ... }`');
  assert.match(failure(() => mod('f(x) = y { y := x }')).message, 'write `f(x) = y if { ... }`');
});

test('error: an unclosed bracket is blamed at the bracket, not at the end of the file', () => {
  const f = failure(() => parseModule('package a\np if {\n\tx := 1\n', 'u.rego'));
  assert.is(f.message, 'u.rego:2:6 DW3001 "{" is never closed: the file ends before its "}"\n  p if {\n       ^');
  assert.equal(failure(() => parseModule('package a\np if {\n\ty := [z | z := 1\n', 'u.rego')).error.at, { file: 'u.rego', line: 3, col: 7 });
});

test('error: default rules cannot have bodies or variables', () => {
  assert.is(failure(() => mod('default p := 1 if { true }')).error.code, 'DW3006');
  assert.is(failure(() => mod('default p := x')).error.code, 'DW3006');
  assert.is(failure(() => mod('default p')).error.code, 'DW3001');
  assert.is(failure(() => mod('default f(x, x) := 1')).error.code, 'DW3006');
});

test('error: lexical problems point at the character', () => {
  const f = failure(() => parseModule('package a\np := "abc\n', 'e.rego'));
  assert.is(f.error.code, 'DW3003');
  assert.equal(f.error.at, { file: 'e.rego', line: 2, col: 6 });
  assert.is(failure(() => parseModule('package a\np := "\\q"', 'e.rego')).error.code, 'DW3004');
  assert.is(failure(() => parseModule('package a\np := 007', 'e.rego')).error.code, 'DW3002');
  assert.is(failure(() => parseModule('package a\np := 1 ^ 2', 'e.rego')).error.code, 'DW3002');
});

test('error: structural problems', () => {
  assert.is(failure(() => parseModule('p := 1', 'e.rego')).error.code, 'DW3010');
  assert.is(failure(() => parseModule('package a\nimport foo.bar\n', 'e.rego')).error.code, 'DW3009');
  assert.is(failure(() => mod('p contains x if { true } else := 1')).error.code, 'DW3007');
  assert.is(failure(() => mod('p if { }')).error.code, 'DW3001');
  assert.is(failure(() => mod('p if { not some x }')).error.code, 'DW3001');
  assert.is(failure(() => mod('p if { every x in xs { } }')).error.code, 'DW3001');
  assert.is(failure(() => mod('p[x]')).error.code, 'DW3008');
  assert.is(failure(() => mod('p := 1 q := 2')).error.code, 'DW3001');
  assert.is(failure(() => mod('p if { x := [y | y := ] }')).error.code, 'DW3001');
  assert.match(failure(() => mod('p if { x := [y | y := ] }')).message, 'p.rego:3:23');
});

test('tryParseModule returns diagnostics instead of throwing', () => {
  const r = tryParseModule('package a\np := \n', 'e.rego');
  assert.is(r.module, undefined);
  assert.is(r.diagnostics[0].code, 'DW3001');
  assert.equal(r.diagnostics[0].pos, { file: 'e.rego', line: 3, col: 1 });
});

test('comprehension heads take operators other than `|`, which starts the body', () => {
  const a = parseTerm('[x + 1 | some x in input.ns]');
  assert.is(a.type, 'arraycompr');
  assert.is((a as { term: Term }).term.type, 'call');
  const s = parseTerm('{x * 2 | x := input.ns[_]}');
  assert.is(s.type, 'setcompr');
  const o = parseTerm('{k: v - 1 | some k, v in input.m}');
  assert.is(o.type, 'objectcompr');
  assert.is((o as { value: Term }).value.type, 'call');
  // Outside a comprehension head `|` is still set union.
  const u = parseTerm('a | b');
  assert.is(u.type, 'call');
  assert.is((u as { op: string }).op, 'or');
});

test.run();
