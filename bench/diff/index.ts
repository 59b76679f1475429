// Benchmark: normalize + diff of a ≥ 20 MB snapshot pair, against JSON.parse of the same bytes
// and against microdiff on the same parsed objects, all measured in this one process.
// Goals: normalize+diff ≤ 3 × JSON.parse, and < 1 × microdiff. Run:
//   node --import tsx bench/diff/index.ts      (BENCH_RUNS=n to change the number of runs)
import diff from 'microdiff';
import { diffSnapshots } from '../../src/diff/index.ts';
import { normalizeDocument } from '../../src/normalize/index.ts';
import type { Json } from '../../src/model/findings.ts';
import { generatePair, SURFACE_RULES } from './generate.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MB = 1024 * 1024;

const pair = generatePair(20251125, { roles: 3200, clients: 3000, integrations: 2500 });
const rulesFor = (s: string) => SURFACE_RULES[s] ?? { volatileFields: [], arrayKeys: [] };
console.log(`diff bench: before ${(pair.before.length / MB).toFixed(1)} MB, after ${(pair.after.length / MB).toFixed(1)} MB, ${pair.realChanges} real changes, ${RUNS} runs`);

const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const parseMs: number[] = [], oursMs: number[] = [], microMs: number[] = [];
// For context only: materializing the normalized documents, and both diffs on an unchanged pair
// (pure traversal; microdiff's time on the real pair includes ~400k changes it reports for
// reordered arrays).
const materializeMs: number[] = [], oursSameMs: number[] = [], microSameMs: number[] = [];
let drift = 0, microChanges = 0;
for (let run = 0; run <= RUNS; run++) { // run 0 warms up every contender and is not counted
  const [[a, b], tParse] = time(() => [JSON.parse(pair.before) as Record<string, Json>, JSON.parse(pair.after) as Record<string, Json>] as const);
  // Alternate the order so neither contender always runs right after a GC-heavy parse.
  let tOurs = 0, tMicro = 0;
  const ours = () => { const [d, t] = time(() => diffSnapshots(a, b, rulesFor)); drift = d.length; tOurs = t; };
  const micro = () => { const [d, t] = time(() => diff(a, b)); microChanges = d.length; tMicro = t; };
  if (run % 2) { ours(); micro(); } else { micro(); ours(); }
  if (run === 0) continue;
  parseMs.push(tParse); oursMs.push(tOurs); microMs.push(tMicro);
  const a2 = JSON.parse(pair.before) as Record<string, Json>;
  materializeMs.push(time(() => { for (const s of Object.keys(a)) normalizeDocument(a[s], rulesFor(s)); for (const s of Object.keys(b)) normalizeDocument(b[s], rulesFor(s)); })[1]);
  oursSameMs.push(time(() => diffSnapshots(a, a2, rulesFor))[1]);
  microSameMs.push(time(() => diff(a, a2))[1]);
}

const p = median(parseMs), o = median(oursMs), m = median(microMs);
console.log(`JSON.parse (both)     median ${p.toFixed(1)} ms`);
console.log(`normalize+diff        median ${o.toFixed(1)} ms  (${drift} drift paths; expected ${pair.realChanges})`);
console.log(`microdiff             median ${m.toFixed(1)} ms  (${microChanges} raw changes, no normalization)`);
console.log(`normalize+diff / JSON.parse = ${(o / p).toFixed(2)}x (goal <= 3x)`);
console.log(`normalize+diff / microdiff  = ${(o / m).toFixed(2)}x (goal < 1x)`);
console.log(`context: normalizeDocument of both (materialized) median ${median(materializeMs).toFixed(1)} ms; unchanged pair: normalize+diff ${median(oursSameMs).toFixed(1)} ms, microdiff ${median(microSameMs).toFixed(1)} ms`);
if (drift !== pair.realChanges) {
  console.error(`diff bench: found ${drift} drift paths but generated ${pair.realChanges} changes`);
  process.exitCode = 1;
}
