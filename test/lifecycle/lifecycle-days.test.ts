// Lifecycle across simulated days against the real simulator: drift appears (new), persists
// (ongoing), is reverted (resolved), returns (regressed); a surface that cannot be read holds its
// findings open instead of resolving them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDITOR_PERMISSIONS, SIM_AUDITOR } from '../../src/simulator/index.ts';
import { listFindings } from '../../src/lifecycle/finding-rows.ts';
import { orgId } from '../../src/model/ids.ts';
import { captureBaseline, day, ORG, setMfa, workspace, type Workspace } from './harness.ts';

let ws: Workspace;
const MFA = 'multifactorAuthenticationRequired';

test.before(async () => {
  ws = await workspace();
  await captureBaseline(ws);
});
test.after(async () => { await ws?.close(); });

const stored = (all = true) => ws.withStore((s) => listFindings(s, { org: orgId(ORG), all }));
const mfaOf = <T extends { surface: string; pathText: string }>(xs: readonly T[]) => xs.find((f) => f.surface === 'authentication-settings' && f.pathText === MFA);

test('day 0: a clean org has no findings and the store stays empty', async () => {
  const r = await ws.check(day(0));
  assert.is(r.outcome.exitCode, 0);
  assert.equal(r.persisted, []);
  assert.equal(await stored(), []);
});

test('day 1: drift appears -> new, first and last seen today', async () => {
  await setMfa(ws, false);
  const r = await ws.check(day(1));
  assert.is(r.outcome.exitCode, 1);
  const f = mfaOf(r.persisted);
  assert.ok(f, 'MFA drift found');
  assert.is(f!.state, 'new');
  assert.is(f!.firstSeen, day(1).toISOString());
  assert.is(f!.lastSeen, day(1).toISOString());
  const row = mfaOf(await stored());
  assert.is(row?.state, 'new');
  assert.is(row?.lastRunId, r.outcome.record.id);
});

test('day 2: drift persists -> ongoing, firstSeen kept, lastSeen moves', async () => {
  const r = await ws.check(day(2));
  const f = mfaOf(r.persisted)!;
  assert.is(f.state, 'ongoing');
  assert.is(f.firstSeen, day(1).toISOString());
  assert.is(f.lastSeen, day(2).toISOString());
  assert.equal(r.resolved, []);
});

test('day 3: the surface cannot be read -> coverage gap is new, the MFA finding is NOT resolved', async () => {
  ws.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'directory:organization:admin'));
  // Meanwhile someone reverts it: we cannot see that, so we must not claim it.
  await setMfa(ws, true);
  const r = await ws.check(day(3));
  assert.is(r.outcome.exitCode, 3);
  assert.equal(r.resolved, [], 'nothing resolved while blind');
  const gap = r.persisted.find((f) => f.kind === 'coverage-gap');
  assert.is(gap?.surface, 'authentication-settings');
  assert.is(gap?.state, 'new');
  const row = mfaOf(await stored(false));
  assert.ok(row, 'MFA finding still listed as open');
  assert.is(row!.state, 'ongoing');
  assert.is(row!.lastSeen, day(2).toISOString(), 'last seen is when it was last observed, not today');
});

test('day 4: readable again and reverted -> MFA finding and the coverage gap resolve', async () => {
  ws.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
  const r = await ws.check(day(4));
  assert.is(r.outcome.exitCode, 0);
  const ids = new Set(r.resolved.map((f) => f.id));
  const before = await stored();
  assert.ok(ids.has(mfaOf(before)!.id), 'MFA resolved');
  assert.ok(before.some((f) => f.kind === 'coverage-gap' && ids.has(f.id)), 'coverage gap resolved');
  assert.ok(r.resolved.every((f) => f.state === 'resolved'));
  assert.is(r.outcome.resolved.length, r.resolved.length, 'run outcome carries the resolved findings');
  assert.equal(await stored(false), [], 'no open findings');
  const row = mfaOf(await stored(true))!;
  assert.is(row.state, 'resolved');
  assert.is(row.resolvedAt, day(4).toISOString());
});

test('day 5: the drift returns -> regressed, original firstSeen kept', async () => {
  await setMfa(ws, false);
  const r = await ws.check(day(5));
  const f = mfaOf(r.persisted)!;
  assert.is(f.state, 'regressed');
  assert.is(f.firstSeen, day(1).toISOString());
  assert.is(f.lastSeen, day(5).toISOString());
  assert.is(mfaOf(await stored(false))?.state, 'regressed');
});

test('per-run history records every decision about the finding', async () => {
  const rows = await ws.withStore((s) => s.query<{ state: string; at: string }>(
    `SELECT h.state AS state, h.at AS at FROM finding_history h JOIN findings f ON f.id = h.finding_id
     WHERE f.path = ? ORDER BY h.at`, [MFA]));
  assert.equal(rows.map((r) => r.state), ['new', 'ongoing', 'resolved', 'regressed']);
});

test('`driftwarden findings` lists open findings with state, dates, severity and owner', async () => {
  const human = await ws.cli(['findings']);
  assert.is(human.code, 0, human.stderr);
  assert.match(human.stdout, /regressed/);
  assert.match(human.stdout, /authentication-settings:multifactorAuthenticationRequired/);
  assert.match(human.stdout, new RegExp(`first seen ${day(1).toISOString()}`));
  const json = JSON.parse((await ws.cli(['findings', '--json'])).stdout) as { findings: { path: string; state: string; owner: string | null; severity: string; firstSeen: string; lastSeen: string }[] };
  const f = json.findings.find((x) => x.path === MFA)!;
  assert.is(f.state, 'regressed');
  assert.is(f.owner, null);
  assert.is(f.lastSeen, day(5).toISOString());
  const all = JSON.parse((await ws.cli(['findings', '--all', '--json'])).stdout) as { findings: { state: string }[] };
  assert.ok(all.findings.some((x) => x.state === 'resolved'), '--all includes resolved findings');
  assert.ok(!json.findings.some((x) => x.state === 'resolved'), 'default lists open findings only');
  const unknown = await ws.cli(['findings', '--org', 'nope']);
  assert.is(unknown.code, 2);
});

test.run();
