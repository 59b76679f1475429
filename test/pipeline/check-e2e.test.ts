// End to end through the CLI against a real simulator on 127.0.0.1: the behaviours issue 3 names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startSimulator, SIM_AUDITOR, AUDITOR_PERMISSIONS, type Simulator } from '../../src/simulator/index.ts';
import { adminSession } from '../../src/simulator/admin.ts';
import { makeWorkspace, type Workspace } from '../helpers/workspace.ts';

type Ctx = { sim: Simulator; ws: Workspace };
const e2e = suite<Ctx>('check end to end');

e2e.before.each(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 11 });
  ctx.ws = makeWorkspace(ctx.sim);
  const cap = await ctx.ws.run(['baseline', 'capture', '--as', 'Test Auditor']);
  assert.is(cap.code, 0, cap.stderr);
});
e2e.after.each(async (ctx) => {
  // No canary secret may appear in anything a command printed, in any test.
  for (const c of ctx.sim.canaries) assert.not.ok(ctx.ws.printed().includes(c), `canary ${c} leaked to CLI output`);
  ctx.ws.close();
  await ctx.sim.close();
});

const checkJson = async (ws: Workspace) => {
  const r = await ws.run(['check', '--json']);
  return { ...r, body: r.stdout ? JSON.parse(r.stdout) as { runs: { findings: { surface: string; pathText: string; driftKind?: string; old?: unknown; new?: unknown; kind: string }[]; run: { driftCount: number } }[] } : undefined };
};

e2e('a clean org has no drift although the simulator reorders, changes volatile fields and stringifies numbers', async ({ ws }) => {
  for (let i = 0; i < 3; i++) {
    const r = await checkJson(ws);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.body!.runs[0]!.run.driftCount, 0);
    assert.equal(r.body!.runs[0]!.findings, []);
  }
});

e2e('an admin change is found as exactly that drift', async ({ sim, ws }) => {
  await adminSession(sim).request('PATCH', '/api/v2/organizations/authentication/settings', { multifactorAuthenticationRequired: false });
  const r = await checkJson(ws);
  assert.is(r.code, 1, r.stderr);
  const f = r.body!.runs[0]!.findings;
  assert.is(f.length, 1, JSON.stringify(f));
  assert.is(f[0]!.surface, 'authentication-settings');
  assert.is(f[0]!.pathText, 'multifactorAuthenticationRequired');
  assert.is(f[0]!.driftKind, 'MODIFIED');
  assert.is(f[0]!.old, true);
  assert.is(f[0]!.new, false);
});

e2e('a removed key and a removed entity are found as REMOVED', async ({ sim, ws }) => {
  const admin = adminSession(sim);
  const { version: _v, supportURI: _s, ...org } = await admin.request<Record<string, unknown>>('GET', '/api/v2/organizations/me');
  await admin.request('PUT', '/api/v2/organizations/me', org);
  const policies = await admin.request<{ entities: { id: string }[] }>('GET', '/api/v2/recording/mediaretentionpolicies?pageSize=100');
  await admin.request('DELETE', `/api/v2/recording/mediaretentionpolicies/${policies.entities[0]!.id}`);
  const r = await checkJson(ws);
  assert.is(r.code, 1, r.stderr);
  const removed = r.body!.runs[0]!.findings.filter((f) => f.driftKind === 'REMOVED').map((f) => `${f.surface}:${f.pathText}`);
  assert.ok(removed.includes('organization:supportURI'), removed.join(', '));
  assert.ok(removed.some((p) => p.startsWith('media-retention-policies:entities[id=')), removed.join(', '));
});

e2e('a surface the account may not read is a loud coverage gap: exit 3 naming surface and permission', async ({ sim, ws }) => {
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'oauth:client:view'));
  const r = await ws.run(['check']);
  assert.is(r.code, 3);
  assert.match(r.stdout, /COVERAGE GAP oauth-clients: missing permission oauth:client:view/);
  assert.match(r.stdout, /high\s+coverage-gap oauth-clients|HIGH\s+coverage-gap oauth-clients/i);
  const runs = await ws.run(['runs', '--json']);
  assert.is(JSON.parse(runs.stdout).runs[0].status, 'coverage-gap');
});

e2e('rejected credentials end the run loudly with exit 3 and a recorded failed run', async ({ ws }) => {
  ws.env.SIM_SECRET = 'not-the-secret';
  const r = await ws.run(['check']);
  assert.is(r.code, 3);
  assert.match(r.stderr, /DW40\d\d/);
  assert.not.match(r.stderr, /not-the-secret/);
  const runs = await ws.run(['runs', '--json']);
  assert.is(JSON.parse(runs.stdout).runs[0].status, 'failed');
});

e2e('a 429 storm is survived and the simulator log shows Retry-After was honoured', async ({ sim, ws }) => {
  sim.setFaults({ storm429: 4, retryAfterSec: 1 });
  const r = await ws.run(['check']);
  assert.is(r.code, 0, r.stderr);
  const log = sim.log.filter((e) => e.path.startsWith('/api/v2'));
  const firstLimited = log.findIndex((e) => e.status === 429);
  assert.ok(firstLimited >= 0, 'the storm happened');
  const limited = log[firstLimited]!;
  assert.is(limited.retryAfter, '1');
  // Each throttled request is retried no sooner than Retry-After says.
  for (const [i, e] of log.entries()) {
    if (e.status !== 429) continue;
    const retry = log.slice(i + 1).find((x) => x.path === e.path && x.query === e.query);
    assert.ok(retry, `${e.path} was retried`);
    assert.ok(retry!.at - e.at >= 1000 - 5, `${e.path} retried after ${retry!.at - e.at} ms`);
  }
  assert.ok(log.slice(firstLimited).some((e) => e.status === 200), 'requests succeeded after the storm');
});

e2e('retries exhausted end with exit 3 and a message naming the attempts', async ({ sim, ws }) => {
  sim.setFaults({ error5xxRate: 1 });
  const cfg = join(ws.dir, 'driftwarden.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/retry: \{[^}]*\}/, 'retry: { maxRetries: 2, maxTotalWaitMs: 3000 }'));
  const r = await ws.run(['check']);
  assert.is(r.code, 3);
  assert.match(r.stdout + r.stderr, /attempt/);
});

e2e('a malformed baseline is bad input: exit 2 with file:line:col, nothing written', async ({ ws }) => {
  const file = join(ws.dir, 'baselines', 'acme', 'roles.json');
  writeFileSync(file, '{\n  "entities": [\n    {"id": 1,}\n  ]\n}\n');
  const commitsBefore = execFileSync('git', ['-C', ws.dir, 'rev-list', '--count', 'HEAD']).toString();
  const r = await ws.run(['check']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /roles\.json:3:\d+ DW210\d/);
  assert.match(r.stderr, /\^/);
  assert.is(execFileSync('git', ['-C', ws.dir, 'rev-list', '--count', 'HEAD']).toString(), commitsBefore);
  const reports = join(ws.dir, '.driftwarden', 'reports');
  assert.ok(!existsSync(reports) || readdirSync(reports).length === 0, 'no report written');
  const runs = await ws.run(['runs', '--json']);
  assert.equal(JSON.parse(runs.stdout).runs, []);
});

e2e('a malformed config is bad input: exit 2 with file:line:col, nothing written', async ({ ws }) => {
  const cfg = join(ws.dir, 'driftwarden.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('rateLimit: { requestsPerMinute: 3000 }', 'rateLimit: { requestsPerMinute: "fast" }'));
  const r = await ws.run(['check']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /driftwarden\.yaml:\d+:\d+ DW1102/);
  assert.not.ok(existsSync(join(ws.dir, '.driftwarden', 'driftwarden.db')), 'no store created');
});

e2e('baseline accept takes chosen drift into the baseline as a commit naming path and person', async ({ sim, ws }) => {
  await adminSession(sim).request('PUT', '/api/v2/tokens/timeout', { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 3600 });
  assert.is((await ws.run(['check'])).code, 1);
  const acc = await ws.run(['baseline', 'accept', 'idle-token-timeout:idleTokenTimeoutSeconds', '--as', 'Jane Compliance', '--reason', 'CHG-42']);
  assert.is(acc.code, 0, acc.stderr);
  const msg = execFileSync('git', ['-C', ws.dir, 'log', '-1', '--format=%an%n%B']).toString();
  assert.match(msg, /Jane Compliance/);
  assert.match(msg, /idleTokenTimeoutSeconds/);
  assert.match(msg, /CHG-42/);
  assert.is((await ws.run(['check'])).code, 0);
});

e2e('baseline accept also takes the finding id that check prints', async ({ sim, ws }) => {
  await adminSession(sim).request('PATCH', '/api/v2/organizations/authentication/settings', { multifactorAuthenticationRequired: false });
  const r = await checkJson(ws);
  const id = (r.body!.runs[0]!.findings[0] as unknown as { id: string }).id;
  assert.match(id, /^dw-[0-9a-f]{24}$/);
  const acc = await ws.run(['baseline', 'accept', id, '--as', 'Jane Compliance']);
  assert.is(acc.code, 0, acc.stderr);
  assert.match(execFileSync('git', ['-C', ws.dir, 'log', '-1', '--format=%B']).toString(), /multifactorAuthenticationRequired/);
  assert.is((await ws.run(['check'])).code, 0);
  const unknown = await ws.run(['baseline', 'accept', 'dw-000000000000000000000000']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /DW1025/);
});

e2e('one org failing does not leave the others unchecked: each is reported, the worst exit wins', async ({ ws }) => {
  const cfg = join(ws.dir, 'driftwarden.yaml');
  writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('orgs:\n', [
    'orgs:',
    '  - id: beta',
    `    apiBase: ${/apiBase: (\S+)/.exec(readFileSync(cfg, 'utf8'))![1]}`,
    '    credentials:',
    '      env: { clientId: SIM_ID, clientSecret: BETA_SECRET }',
    '',
  ].join('\n')));
  ws.env.BETA_SECRET = ws.env.SIM_SECRET;
  assert.is((await ws.run(['baseline', 'capture', '--org', 'beta'])).code, 0);
  ws.env.BETA_SECRET = 'wrong';
  const r = await ws.run(['check', '--json']);
  assert.is(r.code, 3, r.stderr);
  const body = JSON.parse(r.stdout) as { runs: { run: { org: string; status: string } }[]; failures: { org: string; error: { code: string } }[] };
  assert.equal(body.runs.map((x) => [x.run.org, x.run.status]), [['acme', 'clean']]);
  assert.equal(body.failures.map((f) => f.org), ['beta']);
  assert.match(body.failures[0]!.error.code, /^DW40/);
  assert.match(r.stderr, /^beta: DW40/m);
  const runs = JSON.parse((await ws.run(['runs', '--json'])).stdout) as { runs: { org: string; status: string }[] };
  assert.ok(runs.runs.some((x) => x.org === 'beta' && x.status === 'failed'), 'the failed run is recorded');
});

e2e.run();
