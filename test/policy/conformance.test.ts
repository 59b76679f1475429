// OPA conformance: every case of ../shared/opa-conformance compiled with our compiler and
// evaluated through the unmodified @open-policy-agent/opa-wasm SDK. A case listed in
// exceptions.yaml must fail (the list only shrinks); any other case must pass.
// DW_CONFORMANCE_REPORT=<file> writes every case's outcome as JSON (for triage).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { compilePolicies } from '../../src/policy/compiler/index.ts';
import { compileToIr } from '../../src/policy/compiler/index.ts';
import { printIr } from '../../src/policy/compiler/ir/print.ts';
import { parseQuery } from '../../src/policy/compiler/parse/index.ts';
import { visitBodyVars } from '../../src/policy/compiler/check/safety.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteRoot = join(repo, '..', 'shared', 'opa-conformance', 'v1');

type Case = {
  note: string; query: string; modules?: string[]; data?: unknown; input?: unknown; input_term?: string;
  want_result?: Record<string, unknown>[]; want_error_code?: string; want_error?: string;
  strict_error?: boolean; sort_bindings?: boolean;
};

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

const exceptions = new Map<string, string>();
for (const e of (parseYaml(readFileSync(join(repo, 'test', 'policy', 'exceptions.yaml'), 'utf8')) as { exceptions?: { note: string; reason: string }[] } | null)?.exceptions ?? []) {
  exceptions.set(e.note, e.reason);
}

/** Canonical JSON: object keys sorted, so comparisons ignore key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const sortArray = (v: unknown): unknown => (Array.isArray(v) ? [...v].sort((a, b) => (canon(a) < canon(b) ? -1 : canon(a) > canon(b) ? 1 : 0)) : v);

type Plan = { entrypoint: string; modules: string[]; mode: 'direct'; variable: string } | { entrypoint: string; modules: string[]; mode: 'query'; vars: string[] };

const DIRECT = /^\s*data((?:\.[A-Za-z_][\w]*)*)\s*=\s*([A-Za-z_]\w*)\s*$/;

/** How a case is run: `data.a.b = x` through entry point a/b; any other query compiled as
 *  a rule collecting its bindings (`__dwquery__/rows`). */
/** `input_term` in Rego syntax (sets, ...) that JSON cannot carry: the query gets
 *  `with input as <term>` instead (single-expression queries only). */
function regoInputTerm(c: Case): string | undefined {
  if (c.input_term === undefined) return undefined;
  try { JSON.parse(c.input_term); return undefined; } catch { return c.input_term; }
}

function planCase(c: Case): Plan {
  const modules = c.modules ?? [];
  const m = DIRECT.exec(c.query);
  const regoInput = regoInputTerm(c);
  if (regoInput !== undefined) {
    if (/[\n;]/.test(c.query.trim())) throw new Error('input_term in Rego syntax with a multi-expression query');
    c = { ...c, query: `${c.query.trim()} with input as ${regoInput}` };
  }
  if (m && regoInput === undefined && m[2] !== 'input' && m[2] !== 'data' && (c.want_result?.length ?? 0) <= 1) return { entrypoint: m[1]!.slice(1).replace(/\./g, '/'), modules, mode: 'direct', variable: m[2]! };
  const body = parseQuery(c.query, 'query.rego');
  const vars = new Set<string>();
  visitBodyVars(body, (v) => { if (v.name !== 'data' && v.name !== 'input' && !v.name.startsWith('$')) vars.add(v.name); });
  const names = [...vars].sort();
  const obj = `{${names.map((n) => `${JSON.stringify(n)}: ${n}`).join(', ')}}`;
  const query = c.query.trim().split('\n').map((l) => `\t${l}`).join('\n');
  const mod = `package __dwquery__\n\nrows contains ${obj} if {\n${query}\n}\n`;
  return { entrypoint: '__dwquery__/rows', modules: [...modules, mod], mode: 'query', vars: names };
}

type Outcome = { pass: boolean; detail: string };

/** OPA compile error codes -> the driftwarden diagnostic codes that mean the same. */
const COMPILE_ERROR_CODES: Readonly<Record<string, RegExp>> = {
  rego_parse_error: /^DW30\d\d$/,
  rego_unsafe_var_error: /^DW3101$/,
  rego_recursion_error: /^DW3103$/,
  rego_type_error: /^DW31(0[4-9]|\d\d)$/,
  rego_compile_error: /^DW3\d{3}$/,
};

async function runCase(c: Case): Promise<Outcome> {
  let plan: Plan;
  try { plan = planCase(c); } catch (e) { return { pass: false, detail: `query not supported: ${String((e as Error).message ?? e)}` }; }
  let input: unknown = c.input;
  if (c.input_term !== undefined && regoInputTerm(c) === undefined) input = JSON.parse(c.input_term);
  const sources = plan.modules.map((text, i) => ({ file: `case/module-${i}.rego`, text }));
  const wantsError = (c.want_error_code !== undefined || c.want_error !== undefined) && !c.strict_error;
  let compiled;
  try {
    compiled = compilePolicies(sources, { entrypoints: [plan.entrypoint], cacheDir: false });
  } catch (e) {
    const msg = (e as Error).message;
    // Compile-time errors (rego_*) must come out of our compiler, with the matching kind.
    const want = c.want_error_code ?? '';
    if (want.startsWith('rego_')) {
      const code = /DW\d{4}/.exec(msg)?.[0] ?? '';
      const expected = COMPILE_ERROR_CODES[want];
      if (!expected || expected.test(code)) return { pass: true, detail: `compile error as expected: ${msg}` };
      return { pass: false, detail: `wanted ${want}, got compile error ${msg}` };
    }
    return { pass: false, detail: `compile error: ${msg}` };
  }
  let rows: unknown[];
  try {
    const policy = await loadCompiledPolicy(compiled.wasm, { data: c.data ?? {} });
    rows = policy.evaluate(input, 0);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (wantsError) {
      if (c.want_error_code === 'eval_conflict_error' && !/conflict/.test(msg)) return { pass: false, detail: `wanted a conflict error, got: ${msg}` };
      return { pass: true, detail: `error as expected: ${msg}` };
    }
    return { pass: false, detail: `evaluation error: ${msg}` };
  }
  if (wantsError) return { pass: false, detail: `wanted error ${c.want_error_code ?? ''} ${c.want_error ?? ''}, got result ${JSON.stringify(rows)}` };
  const want = c.want_result ?? [];
  let got: unknown, expected: unknown;
  if (plan.mode === 'direct') {
    const v = plan.variable;
    got = rows.length === 0 ? [] : rows.map((r) => ({ [v]: c.sort_bindings ? sortArray((r as { result: unknown }).result) : (r as { result: unknown }).result }));
    expected = want.map((w) => ({ [v]: c.sort_bindings ? sortArray(w[v]) : w[v] }));
  } else {
    const set = rows.length === 0 ? [] : ((rows[0] as { result: unknown[] }).result ?? []);
    const norm = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, c.sort_bindings ? sortArray(v) : v]));
    got = sortArray(set.map((r) => norm(r as Record<string, unknown>)));
    expected = sortArray(want.map(norm));
  }
  if (canon(got) === canon(expected)) return { pass: true, detail: '' };
  return { pass: false, detail: `expected ${canon(expected)}\n     got ${canon(got)}` };
}

const seen = new Map<string, number>();
const report: Record<string, Outcome & { file: string }> = {};
let passed = 0, total = 0;

for (const file of yamlFiles(suiteRoot)) {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { cases: Case[] };
  for (const c of doc.cases) {
    const n = seen.get(c.note) ?? 0;
    seen.set(c.note, n + 1);
    const id = n === 0 ? c.note : `${c.note} #${n + 1}`;
    const rel = relative(suiteRoot, file);
    total++;
    test(id, async () => {
      const out = await runCase(c);
      report[id] = { ...out, file: rel };
      if (out.pass) passed++;
      const listed = exceptions.get(id);
      if (listed !== undefined) {
        assert.ok(!out.pass, `${id} passes now: remove it from test/policy/exceptions.yaml (listed because: ${listed})`);
        return;
      }
      if (!out.pass) {
        let ir = '';
        try { ir = printIr(compileToIr(planCase(c).modules.map((text, i) => ({ file: `case/module-${i}.rego`, text })), [planCase(c).entrypoint]).ir); } catch { /* compile error already in detail */ }
        assert.unreachable(`${rel}: ${id}\n  ${out.detail}\n  query: ${c.query}\n${(c.modules ?? []).join('\n---\n')}\n${ir.split('\n').slice(0, 120).join('\n')}`);
      }
    });
  }
}

test.after(() => {
  console.log(`\nconformance: ${passed}/${total} passed`);
  const out = process.env.DW_CONFORMANCE_REPORT;
  if (out) writeFileSync(out, JSON.stringify(report, null, 1));
});

test.run();
