// Key files are created once, atomically: processes racing to create one all read the same key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadOrCreateKey } from '../../src/pipeline/keys.ts';
import { DwFailure } from '../../src/model/errors.ts';

const KEYS = resolve('src/pipeline/keys.ts');

test('six processes creating the same key at once all get one complete key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-keys-'));
  const file = join(dir, 'keys', 'k.key');
  const go = join(dir, 'go');
  // Each child loads the module, says it is ready, then spins until the parent says go, so all
  // of them reach loadOrCreateKey within microseconds of each other.
  const script = [
    `import { existsSync } from 'node:fs';`,
    `import { loadOrCreateKey } from ${JSON.stringify(KEYS)};`,
    `process.stderr.write('ready\\n');`,
    `while (!existsSync(${JSON.stringify(go)})) { /* spin */ }`,
    `process.stdout.write(loadOrCreateKey(${JSON.stringify(file)}, 'NO_SUCH_VAR', {}).reveal());`,
  ].join('\n');
  let ready = 0;
  const n = 6;
  const runs = await Promise.all(Array.from({ length: n }, () => new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
    let out = '', err = '';
    p.stdout.on('data', (c) => { out += c; });
    p.stderr.on('data', (c) => {
      err += c;
      if (String(c).includes('ready') && ++ready === n) writeFileSync(go, '');
    });
    p.on('close', (code) => done({ code, out, err: err.replace(/ready\n/g, '') }));
  })));
  for (const r of runs) assert.is(r.code, 0, r.err);
  const keys = new Set(runs.map((r) => r.out));
  assert.is(keys.size, 1, 'every process read the same key');
  assert.is(Buffer.from([...keys][0]!, 'base64').length, 32);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.equal(readdirSync(join(dir, 'keys')), ['k.key'], 'no temp files left');
  rmSync(dir, { recursive: true, force: true });
});

test('a key file readable by others is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-keys-'));
  const file = join(dir, 'k.key');
  writeFileSync(file, 'c2VjcmV0\n');
  chmodSync(file, 0o644);
  try { loadOrCreateKey(file, 'NO_SUCH_VAR', {}); assert.unreachable('should refuse'); }
  catch (e) { assert.instance(e, DwFailure); assert.match((e as DwFailure).error.message, /readable by others/); }
  rmSync(dir, { recursive: true, force: true });
});

test.run();
