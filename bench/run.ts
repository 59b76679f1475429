// Runs every bench/*/index.ts, one child process each (so heaps do not mix), in name order.
// Each benchmark prints its own figures and ratios; a failing one makes the exit code non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .filter((name) => only === undefined || name === only)
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, name, 'index.ts')], { stdio: 'inherit', cwd: join(here, '..') });
  if (r.status !== 0) { failed++; console.log(`bench/${name} failed (exit ${r.status ?? r.signal})`); }
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed ? 1 : 0);
