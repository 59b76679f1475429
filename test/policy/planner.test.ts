// check/ + plan/ + the compiler front door: diagnostics with positions, safety reordering,
// IR shapes (read through the printer), end-to-end evaluation and the compile cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Module, Pos, Rule, Term } from '../../src/policy/compiler/ast.ts';
import { parseModule } from '../../src/policy/compiler/parse/index.ts';
import { checkModules } from '../../src/policy/compiler/check/index.ts';
import { planPolicy } from '../../src/policy/compiler/plan/index.ts';
import { printIr } from '../../src/policy/compiler/ir/print.ts';
import { compilePolicies, compileToIr } from '../../src/policy/compiler/index.ts';
import { lookupBuiltin, irBuiltinName } from '../../src/policy/compiler/builtins.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';
import { DwFailure } from '../../src/model/errors.ts';

const diagnosticsOf = (text: string) => checkModules([parseModule(text, 'p.rego')]).diagnostics;

async function evalPolicy(text: string, entry: string, input?: unknown, data?: unknown): Promise<unknown[]> {
  const m = compilePolicies([{ file: 'p.rego', text }], { entrypoints: [entry], cacheDir: false });
  const p = await loadCompiledPolicy(m.wasm, { data: data ?? {} });
  return p.evaluate(input);
}

// ------------------------------------------------------------------ check
test('unsafe variable: code, name and exact position', () => {
  const d = diagnosticsOf('package t\n\nallow if {\n\tx > 1\n}\n');
  assert.is(d.length, 1);
  assert.is(d[0]!.code, 'DW3101');
  assert.match(d[0]!.message, /unsafe variable x/);
  assert.equal([d[0]!.pos.line, d[0]!.pos.col], [4, 2]);
});

test('unsafe head variable is reported', () => {
  const d = diagnosticsOf('package t\n\np contains y if { some x in input.xs }\n');
  assert.ok(d.some((x) => x.code === 'DW3101' && /unsafe variable y/.test(x.message)), JSON.stringify(d));
});

test('negated expression may not bind', () => {
  const d = diagnosticsOf('package t\n\np if { not input.xs[i] == 1 }\n');
  assert.ok(d.some((x) => x.code === 'DW3101' && /variable i/.test(x.message)), JSON.stringify(d));
});

test(':= of a variable declared in the same scope is an error', () => {
  const d = diagnosticsOf('package t\n\np if {\n\tx := 1\n\tx := 2\n}\n');
  assert.ok(d.some((x) => x.code === 'DW3102' && x.pos.line === 5), JSON.stringify(d));
});

test(':= of a function argument or of a variable used above is an error', () => {
  assert.ok(diagnosticsOf('package t\n\nf(x) := y if {\n\tx := 1\n\ty := 2\n}\n').some((x) => x.code === 'DW3102' && /function argument/.test(x.message) && x.pos.line === 4));
  assert.ok(diagnosticsOf('package t\n\np if {\n\tx == 1\n\tx := 1\n}\n').some((x) => x.code === 'DW3102' && /used above/.test(x.message) && x.pos.line === 5));
  // A comprehension before the declaration has its own x (OPA scoping).
  assert.equal(diagnosticsOf('package t\n\np := x if {\n\ty := {x | input[x]}\n\tx := count(y)\n}\n'), []);
});

test('recursion is an error naming the cycle', () => {
  const d = diagnosticsOf('package t\n\np if q\nq if p\n');
  const r = d.find((x) => x.code === 'DW3103');
  assert.ok(r, JSON.stringify(d));
  assert.match(r!.message, /data\.t\.p -> data\.t\.q -> data\.t\.p|data\.t\.q -> data\.t\.p -> data\.t\.q/);
});

test('rule conflicts: complete vs partial set, function arities, two defaults', () => {
  assert.ok(diagnosticsOf('package t\n\np := 1\np contains 2\n').some((x) => x.code === 'DW3104'));
  assert.ok(diagnosticsOf('package t\n\nf(x) := x\nf(x, y) := y\n').some((x) => x.code === 'DW3104' && /arguments/.test(x.message)));
  assert.ok(diagnosticsOf('package t\n\ndefault p := 1\ndefault p := 2\n').some((x) => x.code === 'DW3104' && /default/.test(x.message)));
  // A value rule cannot have rules below it, whatever the order of definition.
  for (const text of ['package t\n\np.q := 1\np := 2\n', 'package t\n\np := 2\np.q := 1\n']) {
    assert.ok(diagnosticsOf(text).some((x) => x.code === 'DW3104' && /data\.t\.p conflicts with rules defined below it/.test(x.message)), text);
  }
});

test('unknown function and wrong builtin arity', () => {
  const d = diagnosticsOf('package t\n\np if nosuch(1)\nq if count(1, 2, 3)\n');
  assert.ok(d.some((x) => x.code === 'DW3105' && /nosuch/.test(x.message) && x.pos.line === 3));
  assert.ok(d.some((x) => x.code === 'DW3106' && /count takes 1 argument/.test(x.message) && x.pos.line === 4));
});

test('simple type errors: arithmetic on non-number literals', () => {
  const d = diagnosticsOf('package t\n\nx := "a" + 1\ny := {1} - {2}\nz := 3 * true\n');
  assert.equal(d.filter((x) => x.code === 'DW3109').map((x) => [x.pos.line, x.pos.col]), [[3, 6], [5, 10]]);
});

test('clean policy has no diagnostics (imports, some, every, comprehensions, with)', () => {
  const d = diagnosticsOf(`package t
import data.lib.helpers as h
import input.user

default allow := false
allow if {
	some role in user.roles
	role == "admin"
	every g in user.groups { startswith(g, "team-") }
	names := {n | some x in input.items; n := x.name}
	count(names) > 0
	not deny with input.flag as true
}
deny if input.flag
`);
  assert.equal(d, []);
});

test('safety reordering: consumers move after generators', async () => {
  const rs = await evalPolicy('package t\n\np := y if {\n\ty > 1\n\ty = x + 1\n\tx = input.a\n}\n', 't/p', { a: 5 });
  assert.equal(rs, [{ result: 6 }]);
});

// ------------------------------------------------------------------ plan (IR shapes)
test('IR: partial set uses MakeSet/SetAdd and Scan; complete rule AssignVarOnce', () => {
  const { ir } = compileToIr([{ file: 'p.rego', text: 'package t\n\ns contains x if { some x in input.xs }\nc := 1 if input.a\n' }], ['t/s', 't/c']);
  const text = printIr(ir);
  assert.equal(ir.plans.map((p) => p.name), ['t/s', 't/c']);
  assert.match(text, /func g0\.data\.t\.s\(%0, %1\)/);
  assert.match(text, /= set\(\)/);
  assert.match(text, /Scan %\d+ key=%\d+ value=%\d+/);
  assert.match(text, /SetAdd %\d+ %\d+/);
  assert.match(text, /= once /);
  assert.match(text, /ResultSetAdd/);
});

test('IR: sprintf is aliased to dw.sprintf and listed in static builtins', () => {
  const { ir } = compileToIr([{ file: 'p.rego', text: 'package t\n\nm := sprintf("%d", [1])\n' }], ['t/m']);
  assert.ok(ir.static.builtins.some((b) => b.name === 'dw.sprintf' && b.arity === 2));
  assert.is(irBuiltinName('sprintf'), 'dw.sprintf');
  assert.is(lookupBuiltin('walk')?.relation, true);
});

test('planner works on a hand-built AST (no parser)', () => {
  const pos: Pos = { file: 'hand.rego', line: 1, col: 1 };
  const s = (value: string): Term => ({ type: 'string', value, pos });
  const rule: Rule = {
    head: { ref: [s('p')], kind: 'complete', value: { type: 'ref', head: { type: 'var', name: 'input', pos }, path: [s('x')], pos }, assign: true, pos },
    body: [], isDefault: false, elses: [], annotations: [], pos,
  };
  const m: Module = { file: 'hand.rego', package: ['h'], packagePos: pos, imports: [], rules: [rule], annotations: [] };
  const checked = checkModules([m]);
  assert.equal(checked.diagnostics, []);
  const { ir, diagnostics } = planPolicy(checked.policy, ['h/p']);
  assert.equal(diagnostics, []);
  const text = printIr(ir);
  assert.match(text, /Dot %0\["x"\]/);
  assert.match(text, /func g0\.data\.h\.p/);
});

// ------------------------------------------------------------------ end to end
test('e2e: default, else, functions, partial object, every, not, with', async () => {
  const text = `package t
default grade := "none"
grade := "high" if input.score > 90
else := "mid" if input.score > 50

double(x) := x * 2
owners[name] := n if { some name, n in input.owners }
all_small if every v in input.xs { v < 10 }
no_admin if not input.admin
mocked := r if r := allowed with input.admin as true
allowed if input.admin
`;
  const input = { score: 60, owners: { a: 1, b: 2 }, xs: [1, 2], admin: false };
  assert.equal(await evalPolicy(text, 't/grade', input), [{ result: 'mid' }]);
  assert.equal(await evalPolicy(text, 't/grade', {}), [{ result: 'none' }]);
  assert.equal(await evalPolicy(text, 't/owners', input), [{ result: { a: 1, b: 2 } }]);
  assert.equal(await evalPolicy(text, 't/all_small', input), [{ result: true }]);
  assert.equal(await evalPolicy(text, 't/all_small', { xs: [1, 20] }), []);
  assert.equal(await evalPolicy(text, 't/no_admin', input), [{ result: true }]);
  assert.equal(await evalPolicy(text, 't/mocked', input), [{ result: true }]);
});

test('e2e: complete rule conflict is a runtime error', async () => {
  try {
    await evalPolicy('package t\n\np := x if { some x in [1, 2] }\n', 't/p', {});
    assert.unreachable('expected a conflict');
  } catch (e) {
    assert.match(String((e as Error).message), /conflict/);
  }
});

test('e2e: whole package query merges rules and base data', async () => {
  const rs = await evalPolicy('package t\n\na := 1\nb contains 2\n', 't', {}, { t: { base: true } });
  assert.equal(rs, [{ result: { a: 1, b: [2], base: true } }]);
});

test('e2e: dynamic data refs dispatch to the matching package only', async () => {
  const text = `package test
p := data[first].allow.see if first := "primary"
q contains k if { some k; data.primary[k] }
`;
  const other = 'package primary\nallow.see := "yes"\nallow.other := 1\n';
  const m = compilePolicies([{ file: 'p.rego', text }, { file: 'o.rego', text: other }], { entrypoints: ['test/p', 'test/q'], cacheDir: false });
  const p = await loadCompiledPolicy(m.wasm, { data: { primary: { base: true } } });
  assert.equal(p.evaluate({}, 'test/p'), [{ result: 'yes' }]);
  assert.equal(p.evaluate({}, 'test/q'), [{ result: ['allow', 'base'] }]);
});

test('e2e: with mocks functions, builtins and data for callees', async () => {
  const text = `package t
f(x) := x + 100
q := count([1, 2]) + f(1)
r := data.cfg.limit
p := [a, b] if {
	a := q with count as 5 with f as 1
	b := r with data.cfg.limit as 7
}
`;
  assert.equal(await evalPolicy(text, 't/p', {}, { cfg: { limit: 1 } }), [{ result: [6, 7] }]);
  assert.equal(await evalPolicy(text, 't/q', {}, {}), [{ result: 103 }]);
});

test('e2e: with on a key inside a rule value overlays the mocked value', async () => {
  const text = 'package t\n\nq[k] := 1 if some k in ["a", "b"]\np := x if { x := [data.t.q.a, data.t.q.b] with data.t.q.a as 5 }\nr := x if { x := data.t.q with data.t.q.c as 3 }\n';
  assert.equal(await evalPolicy(text, 't/p', {}), [{ result: [5, 1] }]);
  assert.equal(await evalPolicy(text, 't/r', {}), [{ result: { a: 1, b: 1, c: 3 } }]);
});

test('e2e: ref heads build nested objects; conflicting values abort', async () => {
  const text = 'package t\n\np[q].r := i if { some i, q in ["a", "b"] }\np.c.r := 9\n';
  assert.equal(await evalPolicy(text, 't/p', {}), [{ result: { a: { r: 0 }, b: { r: 1 }, c: { r: 9 } } }]);
  try {
    await evalPolicy('package t\n\np[q].r := i if { some i, q in ["a", "a"] }\n', 't/p', {});
    assert.unreachable('expected a conflict');
  } catch (e) {
    assert.match(String((e as Error).message), /object insert conflict/);
  }
});

// ------------------------------------------------------------------ front door
test('compile errors are DwFailures with file:line:col, source line and caret', () => {
  try {
    compilePolicies([{ file: 'bad.rego', text: 'package t\n\nallow if {\n\tx > 1\n}\n' }], { entrypoints: ['t/allow'], cacheDir: false });
    assert.unreachable('expected a failure');
  } catch (e) {
    assert.instance(e, DwFailure);
    const msg = (e as DwFailure).message;
    assert.match(msg, /^bad\.rego:4:2 DW3101 unsafe variable x/);
    // The caret line repeats the source's tabs so the caret sits under `x`.
    assert.match(msg, /\n  \tx > 1\n  \t\^$/);
  }
});

test('entrypoints must name a rule or package (DW3122)', () => {
  const sources = [{ file: 'p.rego', text: 'package t\n\nf(x) := x\np := 1\n' }];
  for (const [entry, why] of [['t/nope', /does not name a rule or package/], ['t/f', /names function data\.t\.f/]] as const) {
    try {
      compilePolicies(sources, { entrypoints: [entry], cacheDir: false });
      assert.unreachable(`${entry} compiled`);
    } catch (e) {
      assert.instance(e, DwFailure);
      assert.is((e as DwFailure).error.code, 'DW3122');
      assert.match((e as DwFailure).message, why);
    }
  }
  assert.ok(compilePolicies(sources, { entrypoints: ['t', 't/p', 'data.t.p'], cacheDir: false }).wasm.length > 0);
});

test('METADATA `entrypoint: true` rules become entry points', () => {
  const text = 'package t\n\n# METADATA\n# entrypoint: true\nallow := true\n\nother := 1\n';
  const m = compilePolicies([{ file: 'p.rego', text }], { entrypoints: ['t/other'], cacheDir: false });
  assert.equal(m.entrypoints, ['t/other', 't/allow']);
  assert.equal(m.ir.plans.map((p) => p.name), ['t/other', 't/allow']);
  assert.ok(m.annotations.some((a) => a.entrypoint === true));
});

test('cache: cold compile of 20 rules < 1 s, cached compile < 50 ms and identical', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-policy-cache-'));
  try {
    const rules = Array.from({ length: 20 }, (_, i) => `r${i} if { some x in input.items; x.kind == "k${i}"; count(x.tags) > ${i} }`).join('\n');
    const sources = [{ file: 'twenty.rego', text: `package bench\n\n${rules}\n` }];
    let t0 = performance.now();
    const cold = compilePolicies(sources, { entrypoints: ['bench'], cacheDir: dir });
    const coldMs = performance.now() - t0;
    t0 = performance.now();
    const warm = compilePolicies(sources, { entrypoints: ['bench'], cacheDir: dir });
    const warmMs = performance.now() - t0;
    assert.ok(coldMs < 1000, `cold compile took ${coldMs} ms`);
    assert.ok(warmMs < 50, `cached compile took ${warmMs} ms`);
    assert.equal(Buffer.from(warm.wasm).equals(Buffer.from(cold.wasm)), true);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wasm')).length, 1);
    // A different source is a different key.
    compilePolicies([{ file: 'twenty.rego', text: `package bench\n\n${rules}\nextra := 1\n` }], { entrypoints: ['bench'], cacheDir: dir });
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wasm')).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
