// GenesysClient against the simulator over real HTTP: token reuse/refresh on 401, 429 storms
// with Retry-After (seconds and HTTP date), 5xx and connection resets, paging, 403, pacing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, SIM_AUDITOR, AUDITOR_PERMISSIONS, type Simulator } from '../../src/simulator/index.ts';
import { Credentials } from '../../src/auth/credentials.ts';
import { resolveEndpoints } from '../../src/auth/regions.ts';
import { TokenCache } from '../../src/auth/token-cache.ts';
import { clientCredentialsFetcher } from '../../src/auth/token-endpoint.ts';
import { GenesysClient, type ClientEvent, type GenesysClientOptions } from '../../src/genesys/client.ts';
import { connectGenesys } from '../../src/genesys/connect.ts';
import { GenesysAuthError, GenesysForbiddenError, GenesysRetriesExhausted } from '../../src/genesys/errors.ts';
import { seededRandom } from '../../src/genesys/retry-policy.ts';
import type { JsonObject } from '../../src/model/findings.ts';

const t = suite('GenesysClient (simulator)');
let sim: Simulator;
t.before(async () => { sim = await startSimulator({ seed: 3 }); });
t.after(async () => { await sim.close(); });
t.after.each(() => {
  sim.setFaults({ storm429: 0, error5xxRate: 0, resetRate: 0, retryAfterSec: 1, retryAfterAsDate: false });
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
});

const auditor = () => new Credentials(SIM_AUDITOR.clientId, SIM_AUDITOR.clientSecret, 'test');
function connect(extra: Partial<GenesysClientOptions> = {}) {
  const events: ClientEvent[] = [];
  const conn = connectGenesys({
    region: sim.url, credentials: auditor(), requestsPerMinute: 60_000, random: seededRandom(5),
    retry: { baseDelayMs: 10, maxDelayMs: 50 }, onEvent: (e) => events.push(e), ...extra,
  });
  return { ...conn, events };
}
const logSince = (n: number) => sim.log.slice(n);
const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => assert.unreachable('expected a rejection'), (e: unknown) => e);

t('expireTokens(): concurrent requests share one refresh and all complete', async () => {
  const { client, tokens } = connect();
  await client.get('/api/v2/routing/settings');
  sim.expireTokens();
  const mark = sim.log.length;
  const results = await Promise.all(Array.from({ length: 6 }, () => client.get('/api/v2/tokens/timeout')));
  assert.is(results.length, 6);
  // Numbers may come back as strings (simulator quirk), so check the value, not the type.
  assert.ok(results.every((r) => Number((r as JsonObject)['idleTokenTimeoutSeconds']) > 0));
  assert.is(logSince(mark).filter((l) => l.path === '/oauth/token').length, 1, 'one refresh for the whole burst');
  assert.ok(logSince(mark).some((l) => l.status === 401), 'the server did reject the old token');
  assert.is(tokens.fetchCount, 2);
  await client.close();
});

t('revokeTokens() with a still-valid client: transparent refresh', async () => {
  const { client, events } = connect();
  await client.get('/api/v2/routing/settings');
  sim.revokeTokens(SIM_AUDITOR.clientId);
  assert.equal(await client.get('/api/v2/routing/settings/contactcenter'), { removeSkillsFromBlindTransfer: true });
  assert.is(events.filter((e) => e.type === 'token-refresh').length, 1);
  await client.close();
});

t('revokeTokens() while the secret no longer works: DwFailure upstream, never an empty result', async () => {
  const endpoints = resolveEndpoints(sim.url);
  let creds = auditor();
  // The credentials are re-read on each token request, as after a secret rotation elsewhere.
  const tokens = new TokenCache(() => clientCredentialsFetcher(endpoints, creds)());
  const client = new GenesysClient({ apiBase: endpoints.apiBase, tokens, requestsPerMinute: 60_000 });
  await client.get('/api/v2/routing/settings');
  creds = new Credentials(SIM_AUDITOR.clientId, 'rotated-away', 'test');
  sim.revokeTokens();
  const e = await rejection(client.getAllPages('/api/v2/authorization/roles', { paging: 'page-number' }));
  assert.instance(e, GenesysAuthError);
  const f = e as GenesysAuthError;
  assert.is(f.error.kind, 'upstream');
  assert.match(f.message, 'authentication failed');
  assert.match(f.message, 'token was revoked or expired');
  assert.match(f.message, 'invalid_client');
  assert.match(f.message, '/api/v2/authorization/roles');
  await client.close();
});

t('429 storm: completes, and the retry came at least Retry-After (1 s) after the 429', async () => {
  const { client, events } = connect();
  await client.get('/api/v2/routing/settings');
  sim.setFaults({ storm429: 2, retryAfterSec: 1 });
  const mark = sim.log.length;
  assert.equal(await client.get('/api/v2/routing/settings'), { resetAgentScoreOnPresenceChange: false });
  const hits = logSince(mark).filter((l) => l.path === '/api/v2/routing/settings');
  assert.equal(hits.map((h) => h.status), [429, 429, 200]);
  assert.is(hits[0]!.retryAfter, '1');
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i]!.at - hits[i - 1]!.at >= 1000, `gap ${hits[i]!.at - hits[i - 1]!.at} ms`);
  const retries = events.filter((e) => e.type === 'retry');
  assert.equal(retries.map((r) => r.type === 'retry' && [r.reason, r.waitMs, r.retryAfter]), [['rate-limited', 1000, '1'], ['rate-limited', 1000, '1']]);
  await client.close();
});

t('Retry-After as an HTTP date is honoured', async () => {
  const sent: number[] = [];
  const events: ClientEvent[] = [];
  const { client } = connect({ onEvent: (e) => { events.push(e); if (e.type === 'request') sent.push(Date.now()); } });
  await client.get('/api/v2/routing/settings');
  sim.setFaults({ storm429: 1, retryAfterSec: 1, retryAfterAsDate: true });
  const mark = sim.log.length;
  await client.get('/api/v2/routing/settings');
  const first = logSince(mark)[0]!;
  assert.is(first.status, 429);
  const date = Date.parse(first.retryAfter ?? '');
  assert.ok(/GMT$/.test(first.retryAfter ?? '') && !Number.isNaN(date), `an HTTP date: ${first.retryAfter}`);
  // 2 ms of slack for timer vs wall-clock granularity; ignoring the date would be ~1-2 s early.
  assert.ok(sent[sent.length - 1]! >= date - 2, `the retry was sent no earlier than the date (${sent[sent.length - 1]! - date} ms)`);
  assert.ok(events.some((e) => e.type === 'retry' && e.retryAfter === first.retryAfter));
  await client.close();
});

t('429 without Retry-After falls back to jittered backoff', async () => {
  const { client, events } = connect();
  await client.get('/api/v2/routing/settings');
  sim.setFaults({ storm429: 1, retryAfterSec: 0 });
  const mark = sim.log.length;
  await client.get('/api/v2/routing/settings');
  const hits = logSince(mark);
  assert.equal(hits.map((h) => [h.status, h.retryAfter]), [[429, undefined], [200, undefined]]);
  const retry = events.find((e) => e.type === 'retry');
  assert.ok(retry && retry.type === 'retry' && retry.retryAfter === undefined && retry.waitMs < 10, 'first backoff is below base (10 ms)');
  await client.close();
});

t('5xx until the attempt cap: DwFailure upstream naming the path, attempts and last status', async () => {
  const { client, events } = connect({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
  await client.get('/api/v2/routing/settings');
  sim.setFaults({ error5xxRate: 1 });
  const mark = sim.log.length;
  const e = await rejection(client.get('/api/v2/recording/settings'));
  assert.instance(e, GenesysRetriesExhausted);
  const f = e as GenesysRetriesExhausted;
  assert.is(f.error.kind, 'upstream');
  assert.is(f.error.code, 'DW4101');
  assert.match(f.message, 'GET /api/v2/recording/settings failed after 3 attempts (last status 503');
  assert.is(logSince(mark).filter((l) => l.path === '/api/v2/recording/settings').length, 3);
  assert.is(events.filter((x) => x.type === 'retry').length, 2);
  await client.close();
});

t('connection resets and 5xx on idempotent reads are retried to success', async () => {
  const { client } = connect({ retry: { maxAttempts: 12, baseDelayMs: 2, maxDelayMs: 10 } });
  sim.setFaults({ resetRate: 0.3, error5xxRate: 0.2 });
  const mark = sim.log.length;
  const { entities } = await client.getAllPages('/api/v2/authorization/roles', { paging: 'page-number', pageSize: 2 });
  sim.setFaults({ resetRate: 0, error5xxRate: 0 });
  const statuses = logSince(mark).map((l) => l.status);
  assert.ok(statuses.includes(0) && statuses.includes(503), `faults happened: ${statuses.join(',')}`);
  const direct = await client.get('/api/v2/authorization/roles', { pageSize: 100 }) as JsonObject;
  assert.is(entities.length, direct['total']);
  await client.close();
});

const idsOf = (entities: readonly unknown[]) => entities.map((e) => String((e as JsonObject)['id'])).sort();

t('page-number paging returns every entity exactly once', async () => {
  const { client } = connect();
  const direct = await client.get('/api/v2/authorization/roles', { pageSize: 100 }) as JsonObject;
  const total = direct['total'] as number;
  assert.ok(total > 3, 'enough roles for several pages');
  const mark = sim.log.length;
  const { entities } = await client.getAllPages('/api/v2/authorization/roles', { paging: 'page-number', pageSize: 3, query: { userCount: 'false' } });
  // Entity order within a page varies between reads (simulator quirk): compare as sets.
  const ids = idsOf(entities);
  assert.is(ids.length, total);
  assert.is(new Set(ids).size, total);
  assert.equal(ids, idsOf(direct['entities'] as JsonObject[]));
  const pages = logSince(mark).filter((l) => l.path === '/api/v2/authorization/roles');
  assert.is(pages.length, Math.ceil(total / 3));
  assert.ok(pages.every((p) => p.query?.includes('userCount=false')), 'extra query carried on every page');
  await client.close();
});

t('cursor paging follows nextUri to the end', async () => {
  const { client } = connect();
  const all = await client.getAllPages('/api/v2/integrations/credentials/listing', { paging: 'cursor', pageSize: 200 });
  const mark = sim.log.length;
  const paged = await client.getAllPages('/api/v2/integrations/credentials/listing', { paging: 'cursor', pageSize: 2 });
  assert.ok(all.entities.length > 2);
  assert.equal(idsOf(paged.entities), idsOf(all.entities));
  assert.is(new Set(idsOf(paged.entities)).size, all.entities.length);
  assert.is(logSince(mark).length, Math.ceil(all.entities.length / 2));
  await client.close();
});

t('403 is a typed error carrying the missing permission', async () => {
  const { client } = connect();
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'oauth:client:view'));
  const e = await rejection(client.get('/api/v2/oauth/clients'));
  assert.instance(e, GenesysForbiddenError);
  assert.is((e as GenesysForbiddenError).missingPermission, 'oauth:client:view');
  assert.is((e as GenesysForbiddenError).status, 403);
  await client.close();
});

t('POST (audit query) works and is paced through the same limiter', async () => {
  // 4 per minute = a budget of 2 per 30 s: two queries go out, the third waits for the refill.
  const { client } = connect({ requestsPerMinute: 4 });
  const body = { interval: `${new Date(Date.now() - 86400000).toISOString()}/${new Date().toISOString()}`, serviceName: 'Routing', pageNumber: 1, pageSize: 25 };
  const mark = sim.log.length;
  const first = await Promise.all([0, 1].map(() => client.post('/api/v2/audits/query/realtime', body)));
  assert.ok(first.every((r) => Array.isArray((r as JsonObject)['entities'])));
  const third = client.post('/api/v2/audits/query/realtime', body).then(() => 'sent', () => 'dropped');
  await new Promise((r) => setTimeout(r, 300));
  assert.is(logSince(mark).filter((l) => l.path === '/api/v2/audits/query/realtime').length, 2, 'the third query is held back');
  await client.close();
  assert.is(await third, 'dropped');
});

t.run();
