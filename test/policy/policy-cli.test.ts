// The policy authoring loop and the shipped policies, through the same compile path a check uses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { capture } from '../helpers/workspace.ts';
import { untar } from '../../src/policy/tar.ts';
import { buildBundle } from '../../src/policy/bundle.ts';
import { createPolicyEngine, ENTRYPOINT } from '../../src/policy/engine.ts';

const POLICIES = resolve('policies');
const run = async (argv: string[], cwd: string) => {
  const out = capture(); const err = capture();
  const code = await main(argv, { NO_COLOR: '1' }, cwd, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
};
const tmp = () => mkdtempSync(join(tmpdir(), 'dw-policy-'));

test('every shipped policy test passes under `policy test`', async () => {
  const r = await run(['policy', 'test', POLICIES, '--json'], process.cwd());
  const body = JSON.parse(r.stdout) as { passed: number; failed: number; tests: { name: string; status: string }[] };
  assert.is(r.code, 0, JSON.stringify(body.tests.filter((t) => t.status !== 'pass')));
  assert.ok(body.passed >= 20, `${body.passed} tests`);
  assert.is(body.failed, 0);
});

test('a failing test makes `policy test` exit 1 and names it', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'p.rego'), 'package demo\n\nimport rego.v1\n\nallow if input.user == "admin"\n');
  writeFileSync(join(dir, 'p_test.rego'), 'package demo_test\n\nimport rego.v1\n\nimport data.demo\n\ntest_admin if demo.allow with input as {"user": "admin"}\n\ntest_wrong if demo.allow with input as {"user": "bob"}\n');
  const r = await run(['policy', 'test', dir], dir);
  assert.is(r.code, 1);
  assert.match(r.stdout, /PASS data\.demo_test\.test_admin/);
  assert.match(r.stdout, /FAIL data\.demo_test\.test_wrong/);
  rmSync(dir, { recursive: true, force: true });
});

test('a compile error is bad input with file:line:col and a caret', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'bad.rego'), 'package bad\n\nimport rego.v1\n\nallow if {\n\tx := input.y\n\tz > 1\n}\n');
  const r = await run(['policy', 'test', dir], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\.rego:7:2 DW31\d\d .*z/);
  assert.match(r.stderr, /\^/);
  rmSync(dir, { recursive: true, force: true });
});

test('`policy build` writes an OPA-style bundle with manifest, data and a digest', async () => {
  const dir = tmp();
  const r = await run(['policy', 'build', POLICIES, '-o', join(dir, 'bundle.tar.gz'), '--json'], dir);
  assert.is(r.code, 0, r.stderr);
  const body = JSON.parse(r.stdout) as { digest: string };
  const tarball = readFileSync(join(dir, 'bundle.tar.gz'));
  assert.is(body.digest, `sha256:${createHash('sha256').update(tarball).digest('hex')}`);
  const entries = new Map(untar(gunzipSync(tarball)).map((e) => [e.name, e.data]));
  assert.ok(entries.has('/policy.wasm') && entries.has('/data.json') && entries.has('/drift.rego'));
  const manifest = JSON.parse(entries.get('/.manifest')!.toString()) as { wasm: { entrypoint: string; module: string }[] };
  assert.equal(manifest.wasm, [{ entrypoint: 'driftwarden', module: '/policy.wasm' }]);
  assert.equal([...entries.get('/policy.wasm')!.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  // Same sources, same bytes: the digest pins the policy set.
  const again = await run(['policy', 'build', POLICIES, '-o', join(dir, 'again.tar.gz'), '--json'], dir);
  assert.is(JSON.parse(again.stdout).digest, body.digest);
  rmSync(dir, { recursive: true, force: true });
});

test('`policy eval` prints the result set', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'in.json'), JSON.stringify({ drift: [{ surface: 'features', pathText: 'hipaa', kind: 'MODIFIED', old: true, new: false }] }));
  const r = await run(['policy', 'eval', '-p', POLICIES, '-i', join(dir, 'in.json'), 'data.driftwarden.drift.compliance_feature_disabled'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), [{ result: [0] }]);
  rmSync(dir, { recursive: true, force: true });
});

test('the engine classifies drift and posture in one evaluation, with METADATA severities and frameworks', async () => {
  const dir = tmp();
  const bundle = buildBundle({ dirs: [POLICIES], dataFiles: [], entrypoints: [ENTRYPOINT], base: process.cwd(), cacheDir: false });
  const engine = await createPolicyEngine(bundle);
  const v = await engine.evaluate({
    org: 'acme',
    snapshot: { 'authentication-settings': { multifactorAuthenticationRequired: false, passwordRequirements: { minimumLength: 8 } } },
    baseline: {},
    drift: [
      { surface: 'authentication-settings' as never, path: ['multifactorAuthenticationRequired'], pathText: 'multifactorAuthenticationRequired', kind: 'MODIFIED', old: true, new: false },
      { surface: 'organization' as never, path: ['name'], pathText: 'name', kind: 'MODIFIED', old: 'A', new: 'B' },
    ],
    gaps: [],
  });
  assert.equal(v.drift.map((d) => `${d.rule}#${d.driftIndex}`).sort(), ['driftwarden.drift.cosmetic_change#1', 'driftwarden.drift.mfa_disabled#0']);
  assert.equal(v.posture.map((p) => p.rule).sort(), ['driftwarden.posture.mfa_not_required', 'driftwarden.posture.password_too_short']);
  const mfa = engine.rules.get('driftwarden.drift.mfa_disabled')!;
  assert.is(mfa.severity, 'critical');
  assert.ok(mfa.frameworks.some((f) => f.framework === 'PCI DSS 4.0' && f.control === '8.4.2'));
  assert.is(engine.rules.get('driftwarden.drift.cosmetic_change')!.severity, 'low');
  assert.match(engine.digest, /^sha256:[0-9a-f]{64}$/);
  rmSync(dir, { recursive: true, force: true });
});

test('a bad severity in METADATA is reported at the annotation', async () => {
  const dir = tmp();
  mkdirSync(join(dir, 'p'));
  cpSync(POLICIES, join(dir, 'p'), { recursive: true });
  const f = join(dir, 'p', 'drift.rego');
  writeFileSync(f, readFileSync(f, 'utf8').replace('severity: critical', 'severity: catastrophic'));
  const bundle = buildBundle({ dirs: [join(dir, 'p')], dataFiles: [], entrypoints: [ENTRYPOINT], base: dir, cacheDir: false });
  try { await createPolicyEngine(bundle); assert.unreachable('should fail'); }
  catch (e) { assert.match(String((e as Error).message), /drift\.rego:\d+:\d+ DW3404 .*catastrophic/); }
  rmSync(dir, { recursive: true, force: true });
});

test.run();
