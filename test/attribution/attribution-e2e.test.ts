// Attribution against the simulator's Audit API: the admin client that made each change is named,
// one audit query per audit service (not per finding), "not found in the audit window"
// when the change is older than the window, and a loud note (not a failed run) on HTTP 403.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDITOR_PERMISSIONS, SIM_ADMIN, SIM_AUDITOR } from '../../src/simulator/index.ts';
import { applyDemoDrift } from '../../src/simulator/admin.ts';
import { listFindings } from '../../src/lifecycle/finding-rows.ts';
import { orgId } from '../../src/model/ids.ts';
import type { Finding } from '../../src/model/findings.ts';
import { AUDIT_TARGETS } from '../../src/attribution/index.ts';
import { captureBaseline, ORG, workspace, type Workspace } from '../lifecycle/harness.ts';

const SURFACES = ['authentication-settings', 'idle-token-timeout', 'oauth-clients', 'media-retention-policies', 'organization', 'features'];
let ws: Workspace;
test.before(async () => {
  ws = await workspace({ surfaces: SURFACES });
  await captureBaseline(ws);
});
test.after(async () => { await ws?.close(); });

const DAY = 86_400_000;
const realtimeQueries = () => ws.sim.log.filter((e) => e.path === '/api/v2/audits/query/realtime').length;
const drift = (fs: readonly Finding[] | undefined) => (fs ?? []).filter((f) => f.kind === 'drift');

test('every new drift finding names the admin client that made the change', async () => {
  await applyDemoDrift(ws.admin);
  await ws.admin.request('PATCH', '/api/v2/organizations/features/hipaa', { enabled: true });
  const before = realtimeQueries();
  const r = await ws.check(new Date(), { attribution: true });
  assert.is(r.outcome.exitCode, 1);
  const found = drift(r.attributed);
  assert.ok(found.length >= 6, `expected the demo drift, got ${found.map((f) => `${f.surface}:${f.pathText}`).join(', ')}`);
  for (const f of found) {
    assert.is(f.attribution?.found, true, `${f.surface}:${f.pathText} -> ${JSON.stringify(f.attribution)}`);
    assert.is(f.attribution?.client, SIM_ADMIN.name);
    assert.ok(f.attribution?.time && f.attribution.time <= new Date().toISOString());
    assert.ok(f.attribution?.remoteIp);
  }
  const mfa = found.find((f) => f.pathText === 'multifactorAuthenticationRequired')!;
  assert.equal({ action: mfa.attribution?.action, property: mfa.attribution?.property, old: mfa.attribution?.oldValues, new: mfa.attribution?.newValues },
    { action: 'Update', property: 'multifactorAuthenticationRequired', old: ['true'], new: ['false'] });
  const created = found.find((f) => f.surface === 'oauth-clients' && f.driftKind === 'ADDED')!;
  assert.is(created.attribution?.action, 'Create');
  const retention = found.find((f) => f.surface === 'media-retention-policies')!;
  assert.match(retention.attribution?.property ?? '', /days$/);
  assert.equal(retention.attribution?.newValues, ['7']);
  const feature = found.find((f) => f.surface === 'features')!;
  assert.equal({ property: feature.attribution?.property, new: feature.attribution?.newValues }, { property: 'hipaa', new: ['true'] });
  // organization, features, auth settings, timeout (Directory) + oauth (PeoplePermissions) +
  // retention (Quality): three services, three queries for all the findings.
  const services = new Set(found.map((f) => AUDIT_TARGETS[f.surface]!.serviceName));
  assert.is(services.size, 3);
  assert.is(realtimeQueries() - before, services.size, 'one query per audit service, not per finding or surface');
  assert.is(ws.sim.log.filter((e) => e.path === '/api/v2/audits/query').length, 0, 'a 14-day window needs no asynchronous query');
  // Kept in the store (without values) for `driftwarden findings`.
  const listed = await ws.withStore((s) => listFindings(s, { org: orgId(ORG) }));
  const row = listed.find((f) => f.pathText === 'multifactorAuthenticationRequired')!;
  assert.is(row.attribution?.client, SIM_ADMIN.name);
  assert.is(row.attribution?.oldValues, undefined, 'values are not stored');
  // What `driftwarden findings` prints is redacted like every other output: no raw entity ids or IPs.
  const printed = (await ws.cli(['findings', '--json'])).stdout;
  const rawId = /entities\[id=([^\]]+)\]/.exec(created.pathText)![1]!;
  assert.ok(printed.includes('oauth-clients'));
  assert.not.ok(printed.includes(rawId), 'entity uuid masked');
  assert.not.ok(printed.includes(mfa.attribution!.remoteIp!), 'remote IP masked');
  assert.match(printed, /changed by|config-admin-automation/);
});

test('ongoing findings are not queried again; a change outside the window is "not found in the audit window"', async () => {
  await ws.admin.request('PATCH', '/api/v2/organizations/features/xmppFederation', { enabled: true });
  const before = realtimeQueries();
  // Thirty days later: the default 14-day window no longer reaches the change.
  const r = await ws.check(new Date(Date.now() + 30 * DAY), { attribution: true });
  const feature = drift(r.attributed).find((f) => f.pathText === 'xmppFederation');
  assert.is(feature?.state, 'new');
  assert.is(feature!.attribution?.found, false);
  assert.match(feature!.attribution?.note ?? '', /^not found in the audit window/);
  assert.is(realtimeQueries() - before, 1, 'only the service with new drift is queried');
  const mfa = r.persisted.find((f) => f.pathText === 'multifactorAuthenticationRequired')!;
  assert.is(mfa.state, 'ongoing');
  assert.is(mfa.attribution?.client, SIM_ADMIN.name, 'an ongoing finding keeps its attribution');
});

test('HTTP 403 on the Audit API: the run still succeeds, the note says why, loudly', async () => {
  ws.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'audits:audit:view'));
  try {
    await ws.admin.request('PATCH', '/api/v2/organizations/authentication/settings', { domainAllowlistEnabled: false });
    await ws.admin.request('PATCH', '/api/v2/organizations/features/custserv', { enabled: true });
    const before = realtimeQueries();
    const r = await ws.check(new Date(Date.now() + 31 * DAY), { attribution: true });
    assert.is(r.outcome.exitCode, 1, 'drift, not a failed run');
    assert.is(r.outcome.record.status, 'drift');
    const fresh = drift(r.attributed).filter((f) => f.state === 'new');
    assert.is(fresh.length, 2);
    for (const f of fresh) {
      assert.is(f.attribution?.found, false);
      assert.match(f.attribution?.note ?? '', /ATTRIBUTION UNAVAILABLE.*403.*audits:audit:view/);
    }
    assert.is(realtimeQueries() - before, 1, 'both findings are Directory entities: one query');
  } finally {
    ws.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
  }
});

test.run();
