// takeSnapshot against the simulator: every surface accounted for, 403 recorded as a coverage
// gap naming the permission, token expiry mid-run survived, auth failure aborts loudly.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, SIM_AUDITOR, AUDITOR_PERMISSIONS, type Simulator } from '../../src/simulator/index.ts';
import { Credentials } from '../../src/auth/credentials.ts';
import { resolveEndpoints } from '../../src/auth/regions.ts';
import { TokenCache } from '../../src/auth/token-cache.ts';
import { clientCredentialsFetcher } from '../../src/auth/token-endpoint.ts';
import { GenesysClient, type ClientEvent } from '../../src/genesys/client.ts';
import { connectGenesys } from '../../src/genesys/connect.ts';
import { SURFACES } from '../../src/genesys/surfaces.ts';
import { seededRandom } from '../../src/genesys/retry-policy.ts';
import { takeSnapshot } from '../../src/snapshot/take-snapshot.ts';
import { readSnapshotFile, writeSnapshotFile } from '../../src/snapshot/snapshot-file.ts';
import { SECRET_MASK } from '../../src/snapshot/mask-secrets.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { orgId } from '../../src/model/ids.ts';
import type { JsonObject, Snapshot } from '../../src/model/findings.ts';

const t = suite('takeSnapshot (simulator)');
let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), 'dw-take-'));
t.before(async () => { sim = await startSimulator({ seed: 21 }); });
t.after(async () => { await sim.close(); rmSync(dir, { recursive: true, force: true }); });
t.after.each(() => {
  sim.setFaults({ error5xxRate: 0 });
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
});

const auditor = () => new Credentials(SIM_AUDITOR.clientId, SIM_AUDITOR.clientSecret, 'test');
const meta = () => ({ org: orgId(sim.orgId), region: 'sim', toolVersion: '0.0.0-test', now: () => new Date('2026-11-25T12:00:00.000Z') });
const connect = (onEvent?: (e: ClientEvent) => void) => connectGenesys({
  region: sim.url, credentials: auditor(), requestsPerMinute: 60_000, random: seededRandom(1),
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...(onEvent ? { onEvent } : {}),
});
const byId = (s: Snapshot, id: string) => s.surfaces.find((x) => x.surface === id)!;

t('the read-only account snapshots every catalog surface; the file masks secret fields', async () => {
  const { client } = connect();
  const snap = await takeSnapshot(client, SURFACES, meta());
  assert.is(snap.formatVersion, 1);
  assert.is(snap.org, sim.orgId);
  assert.is(snap.takenAt, '2026-11-25T12:00:00.000Z');
  assert.equal(snap.surfaces.map((s) => s.surface), SURFACES.map((s) => s.id));
  for (const s of snap.surfaces) assert.is(s.status, 'ok', `${s.surface}: ${s.reason}`);
  const features = byId(snap, 'features').data as JsonObject;
  assert.is(typeof features['purecloud'], 'boolean');
  // Raw data (contract): secrets are still here for the redact stage to seal...
  const raw = JSON.stringify([await client.get('/api/v2/oauth/clients'), await client.get('/api/v2/telephony/providers/edges/trunkbasesettings')]);
  const secretCanaries = sim.canaries.filter((c) => raw.includes(c));
  assert.ok(secretCanaries.length >= 2, 'the simulator planted secrets to leak');
  const clients = (byId(snap, 'oauth-clients').data as JsonObject)['entities'] as JsonObject[];
  assert.ok(clients.some((c) => secretCanaries.includes(String(c['secret']))));
  // /organizations/me serves two surfaces but is read once.
  assert.is(sim.log.filter((l) => l.path === '/api/v2/organizations/me').length, 1);
  assert.ok(SURFACES.length >= 12);
  // ...but never reach a snapshot file.
  const f = join(dir, 'snap.json');
  writeSnapshotFile(f, snap, SURFACES);
  const back = readSnapshotFile(f);
  const text = JSON.stringify(back);
  for (const c of secretCanaries) assert.not.match(text, c);
  const trunks = (back.surfaces.find((x) => x.surface === 'trunk-base-settings')!.data as JsonObject)['entities'] as JsonObject[];
  assert.ok(trunks.some((tb) => (tb['properties'] as JsonObject)['trunk_authentication_password'] === SECRET_MASK));
  assert.equal(back.surfaces.find((x) => x.surface === 'roles'), byId(snap, 'roles'), 'surfaces without secrets round-trip unchanged');
  await client.close();
});

t('a 403 on one surface is recorded as forbidden naming the permission; the others succeed', async () => {
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'sso:provider:view'));
  const { client } = connect();
  const snap = await takeSnapshot(client, SURFACES, meta());
  const idp = byId(snap, 'identity-providers');
  assert.is(idp.status, 'forbidden');
  assert.is(idp.missingPermission, 'sso:provider:view');
  assert.is(idp.data, undefined);
  assert.match(idp.reason ?? '', '403');
  assert.equal(snap.surfaces.filter((s) => s.status !== 'ok').map((s) => s.surface), ['identity-providers']);
  await client.close();
});

t('expireTokens() mid-run: transparent refresh, the run completes', async () => {
  let responses = 0;
  const conn = connect((e) => { if (e.type === 'response' && ++responses === 4) sim.expireTokens(); });
  const snap = await takeSnapshot(conn.client, SURFACES, meta());
  assert.ok(snap.surfaces.every((s) => s.status === 'ok'));
  assert.is(conn.tokens.fetchCount, 2);
  await conn.client.close();
});

t('a surface that keeps failing is recorded as failed with the reason, never dropped', async () => {
  const { client } = connect();
  await client.get('/api/v2/routing/settings'); // token in hand before the outage
  sim.setFaults({ error5xxRate: 1 });
  const snap = await takeSnapshot(client, SURFACES.slice(0, 4), meta());
  assert.is(snap.surfaces.length, 4);
  for (const s of snap.surfaces) {
    assert.is(s.status, 'failed');
    assert.match(s.reason ?? '', /DW4101 GET \/api\/v2\/\S+ failed after 3 attempts \(last status 503/);
  }
  await client.close();
});

t('tokens revoked and the secret no longer accepted: the snapshot aborts with DwFailure upstream', async () => {
  const endpoints = resolveEndpoints(sim.url);
  let creds = auditor();
  const tokens = new TokenCache(() => clientCredentialsFetcher(endpoints, creds)());
  const client = new GenesysClient({ apiBase: endpoints.apiBase, tokens, requestsPerMinute: 60_000 });
  await client.get('/api/v2/routing/settings');
  creds = new Credentials(SIM_AUDITOR.clientId, 'wrong-secret', 'test');
  sim.revokeTokens(SIM_AUDITOR.clientId);
  const e = await takeSnapshot(client, SURFACES, meta()).then(() => undefined, (x: unknown) => x);
  assert.instance(e, DwFailure);
  assert.is((e as DwFailure).error.kind, 'upstream');
  assert.match((e as DwFailure).message, 'authentication failed');
  assert.match((e as DwFailure).message, 'revoked or expired');
  await client.close();
});

t.run();
