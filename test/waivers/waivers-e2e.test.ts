// Waivers end to end against the simulator: applied to real drift (owner in the store and in
// `driftwarden findings`), listed when near expiry, finding back once expired; a malformed or
// over-long waivers.yaml stops `check` with exit 2 and file:line:col before any API call or run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureBaseline, day, setMfa, workspace, type Workspace } from '../lifecycle/harness.ts';

const WAIVERS = (expires: string) => `version: 1
waivers:
  - id: W-MFA
    scope: { org: acme-test, surface: authentication-settings, path: "multifactor*" }
    owner: identity-team@example.com
    reason: SSO enforces MFA upstream during the IdP migration
    ticket: CHG-4711
    created: "2026-11-01"
    expires: ${expires}
`;

let ws: Workspace;
test.before(async () => {
  ws = await workspace({ waiversYaml: WAIVERS('2026-11-10'), extraConfig: ['waiverPolicy: { maxDays: 30, warnDays: 3 }'] });
  await captureBaseline(ws);
  await setMfa(ws, false);
});
test.after(async () => { await ws?.close(); });

const mfa = (r: { persisted: readonly { pathText: string }[] }) => r.persisted.find((f) => f.pathText === 'multifactorAuthenticationRequired') as
  { waiver?: { id: string; status: string; owner: string }; title: string; message?: string } | undefined;

test('an active waiver marks the finding; owner is stored and listed', async () => {
  const r = await ws.check(day(1));
  const f = mfa(r);
  assert.is(f?.waiver?.id, 'W-MFA');
  assert.is(f?.waiver?.status, 'active');
  assert.equal(r.outcome.expiringWaivers, [], 'not within warnDays yet');
  const listed = JSON.parse((await ws.cli(['findings', '--json'])).stdout) as { findings: { path: string; owner: string | null; waiver: { id: string } | null }[] };
  const row = listed.findings.find((x) => x.path === 'multifactorAuthenticationRequired');
  assert.is(row?.owner, 'identity-team@example.com');
  assert.is(row?.waiver?.id, 'W-MFA');
});

test('near expiry the waiver is listed in the run outcome', async () => {
  const r = await ws.check(day(7));
  assert.equal(r.outcome.expiringWaivers, [{ id: 'W-MFA', owner: 'identity-team@example.com', expires: '2026-11-10' }]);
  assert.is(mfa(r)?.waiver?.status, 'active');
});

test('after expiry the finding is back as "waiver expired"', async () => {
  const r = await ws.check(day(10));
  const f = mfa(r)!;
  assert.is(f.waiver?.status, 'expired');
  assert.match(f.title, /waiver expired/);
  assert.match(f.message ?? '', /W-MFA expired on 2026-11-10/);
  const rows = await ws.withStore((s) => s.query<{ waiver_status: string }>(`SELECT waiver_status FROM findings WHERE path = ?`, ['multifactorAuthenticationRequired']));
  assert.equal(rows.map((x) => x.waiver_status), ['expired']);
});

const apiCalls = () => ws.sim.log.filter((e) => e.path.startsWith('/api/v2/') || e.path === '/oauth/token').length;
const runCount = () => ws.withStore(async (s) => (await s.listRuns()).length);

test('malformed waivers.yaml: check exits 2 with file:line:col; no API call, no run recorded', async () => {
  await writeFile(join(ws.dir, 'waivers.yaml'), WAIVERS('2026-11-10').replace('    owner: identity-team@example.com\n', ''));
  const runs = await runCount();
  const calls = apiCalls();
  const r = await ws.cli(['check']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /waivers\.yaml:3:\d+ DW7102 .*owner/);
  assert.is(apiCalls(), calls, 'no API call was made');
  assert.is(await runCount(), runs, 'no run recorded');
});

test('over-long waiver: exit 2 naming the expires line, nothing applied', async () => {
  await writeFile(join(ws.dir, 'waivers.yaml'), WAIVERS('2027-03-01'));
  const runs = await runCount();
  const r = await ws.cli(['check', '--json']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /waivers\.yaml:9:14 DW7105 waiver "W-MFA" lasts 120 days/);
  assert.is(await runCount(), runs);
});

test.run();
