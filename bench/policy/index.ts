// Policy compiler and evaluation, as ratios measured in one run:
//  1. compile a 20-rule policy set cold (no cache) and from the content-hash cache;
//  2. classify 100k drift paths in ONE evaluation of the compiled Wasm (SDK included) against a
//     hand-written TypeScript classifier doing the same, on the same input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePolicies } from '../../src/policy/compiler/index.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (fn: () => void, runs: number): number => {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); }
  return median(t);
};

// --- 20 classification rules over input.drift, each a realistic test of surface/path/values.
const SURFACES = ['authentication-settings', 'oauth-clients', 'roles', 'media-retention-policies', 'idle-token-timeout'];
const rules = Array.from({ length: 20 }, (_, i) => {
  const surface = SURFACES[i % SURFACES.length];
  const variant = i % 4;
  const test = variant === 0 ? `startswith(d.pathText, "f${i}.")`
    : variant === 1 ? `endswith(d.pathText, ".k${i}")`
    : variant === 2 ? `d.kind == "ADDED"\n\tcontains(d.pathText, "x${i}")`
    : `d.new > d.old\n\tstartswith(d.pathText, "n${i}")`;
  return `r${i} contains i if {\n\tsome i, d in input.drift\n\td.surface == "${surface}"\n\t${test}\n}\n`;
});
const source = `package bench\n\nimport rego.v1\n\n${rules.join('\n')}`;

function tsClassify(drift: readonly { surface: string; pathText: string; kind: string; old?: number; new?: number }[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (let r = 0; r < 20; r++) out[`r${r}`] = [];
  drift.forEach((d, idx) => {
    for (let i = 0; i < 20; i++) {
      if (d.surface !== SURFACES[i % SURFACES.length]) continue;
      const v = i % 4;
      const hit = v === 0 ? d.pathText.startsWith(`f${i}.`)
        : v === 1 ? d.pathText.endsWith(`.k${i}`)
        : v === 2 ? d.kind === 'ADDED' && d.pathText.includes(`x${i}`)
        : d.new !== undefined && d.old !== undefined && d.new > d.old && d.pathText.startsWith(`n${i}`);
      if (hit) out[`r${i}`]!.push(idx);
    }
  });
  return out;
}

function makeDrift(n: number) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: n }, (_, i) => {
    const r = Math.floor(rnd() * 20);
    const kind = ['ADDED', 'REMOVED', 'MODIFIED'][i % 3]!;
    const prefix = ['f', 'n', 'x', 'z'][Math.floor(rnd() * 4)]!;
    return { surface: SURFACES[Math.floor(rnd() * SURFACES.length)]!, pathText: `${prefix}${r}.entities.k${r}`, kind, old: Math.floor(rnd() * 100), new: Math.floor(rnd() * 100) };
  });
}

const cache = mkdtempSync(join(tmpdir(), 'dw-bench-cache-'));
const sources = [{ file: 'bench.rego', text: source }];
const cold = time(() => { compilePolicies(sources, { entrypoints: ['bench'], cacheDir: false }); }, 5);
compilePolicies(sources, { entrypoints: ['bench'], cacheDir: cache });
const cached = time(() => { compilePolicies(sources, { entrypoints: ['bench'], cacheDir: cache }); }, 5);
rmSync(cache, { recursive: true, force: true });
console.log(`compile 20 rules: cold ${cold.toFixed(1)} ms (goal < 1000), cached ${cached.toFixed(2)} ms (goal < 50)`);

const compiled = compilePolicies(sources, { entrypoints: ['bench'], cacheDir: false });
const policy = await loadCompiledPolicy(compiled.wasm);
const drift = makeDrift(100_000);
const input = { drift };
const wasmResult = policy.evaluate(input, 'bench')[0]!.result as Record<string, number[]>;
const tsResult = tsClassify(drift);
for (const k of Object.keys(tsResult)) {
  const a = [...(wasmResult[k] ?? [])].sort((x, y) => x - y).join(',');
  const b = tsResult[k]!.join(',');
  if (a !== b) { console.error(`MISMATCH on ${k}: wasm ${wasmResult[k]?.length} vs ts ${tsResult[k]!.length}`); process.exit(1); }
}
const matches = Object.values(tsResult).reduce((n, xs) => n + xs.length, 0);
const wasmMs = time(() => { policy.evaluate(input, 'bench'); }, 5);
const tsMs = time(() => { tsClassify(drift); }, 5);
const jsonMs = time(() => { JSON.parse(JSON.stringify(input)); }, 5);
console.log(`classify 100k drift paths (${matches} matches, results identical):`);
console.log(`  compiled Rego via opa-wasm ${wasmMs.toFixed(1)} ms, hand-written TypeScript ${tsMs.toFixed(1)} ms, JSON round trip of the input ${jsonMs.toFixed(1)} ms`);
console.log(`  ratio Wasm / TypeScript = ${(wasmMs / tsMs).toFixed(2)}x (goal <= 2x); Wasm / JSON round trip = ${(wasmMs / jsonMs).toFixed(2)}x`);
