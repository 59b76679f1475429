// The real token path (openid-client, Basic auth) against the simulator's login endpoint.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { startSimulator, SIM_AUDITOR, type Simulator } from '../../src/simulator/index.ts';
import { Credentials } from '../../src/auth/credentials.ts';
import { resolveEndpoints } from '../../src/auth/regions.ts';
import { TokenCache } from '../../src/auth/token-cache.ts';
import { clientCredentialsFetcher, TokenRequestFailure } from '../../src/auth/token-endpoint.ts';
import { connectGenesys } from '../../src/genesys/connect.ts';
import { DwFailure } from '../../src/model/errors.ts';

const t = suite('token endpoint (simulator)');
let sim: Simulator;
t.before(async () => { sim = await startSimulator({ seed: 11, tokenLifetimeSec: 300 }); });
t.after(async () => { await sim.close(); });

const auditor = () => new Credentials(SIM_AUDITOR.clientId, SIM_AUDITOR.clientSecret, 'test');
const tokenRequests = () => sim.log.filter((l) => l.path === '/oauth/token').length;

t('a token is fetched once and reused across requests', async () => {
  const before = tokenRequests();
  const { client, tokens } = connectGenesys({ region: sim.url, credentials: auditor(), requestsPerMinute: 60_000 });
  for (let i = 0; i < 5; i++) await client.get('/api/v2/routing/settings');
  await Promise.all([client.get('/api/v2/tokens/timeout'), client.get('/api/v2/tokens/timeout')]);
  assert.is(tokenRequests() - before, 1);
  assert.is(tokens.fetchCount, 1);
  await client.close();
});

t('the token is replaced proactively once 75% of its real lifetime (300 s) has passed', async () => {
  let now = 5_000_000;
  const before = tokenRequests();
  const { client } = connectGenesys({ region: sim.url, credentials: auditor(), requestsPerMinute: 60_000, now: () => now });
  await client.get('/api/v2/routing/settings');
  now += 224_000; // 74.7% of 300 s
  await client.get('/api/v2/routing/settings');
  assert.is(tokenRequests() - before, 1);
  now += 1_000; // 75.0%
  await client.get('/api/v2/routing/settings');
  assert.is(tokenRequests() - before, 2);
  // Nothing was ever rejected: the refresh happened before the server could say 401.
  assert.is(sim.log.filter((l) => l.status === 401).length, 0);
  await client.close();
});

t('a wrong secret is an upstream failure naming invalid_client, and the secret never shows', async () => {
  const wrong = new Credentials(SIM_AUDITOR.clientId, 'not-the-secret-XYZ', 'test');
  const fetchToken = clientCredentialsFetcher(resolveEndpoints(sim.url), wrong);
  const e = await fetchToken().then(() => undefined, (x: unknown) => x);
  assert.instance(e, TokenRequestFailure);
  const f = e as TokenRequestFailure;
  assert.is(f.error.code, 'DW4010');
  assert.is(f.error.kind, 'upstream');
  assert.is(f.transient, false);
  assert.match(f.message, 'invalid_client');
  assert.match(f.message, SIM_AUDITOR.clientId);
  for (const s of [f.message, inspect(f, { depth: 8 }), JSON.stringify(f)]) assert.not.match(s, 'not-the-secret-XYZ');
});

t('credentials are never sent over plain http to a non-loopback host, whatever the endpoints say', () => {
  const forged = { region: 'x', tokenUrl: 'http://login.mypurecloud.com/oauth/token', apiBase: 'http://api.mypurecloud.com', insecureLoopback: true };
  const e = (() => { try { clientCredentialsFetcher(forged, auditor()); } catch (x) { return x; } return undefined; })();
  assert.instance(e, DwFailure);
  assert.is((e as DwFailure).error.code, 'DW4006');
  assert.is((e as DwFailure).error.kind, 'bad-input');
});

t('secrets and tokens are absent from inspect/JSON of every auth and client object', async () => {
  const conn = connectGenesys({ region: sim.url, credentials: auditor(), requestsPerMinute: 60_000 });
  await conn.client.get('/api/v2/routing/settings');
  const token = (await conn.tokens.getToken()).reveal();
  const standalone = new TokenCache(clientCredentialsFetcher(conn.endpoints, auditor()));
  await standalone.getToken();
  const views = [
    inspect(conn, { depth: 10, showHidden: true }), inspect(standalone, { depth: 10, showHidden: true }),
    JSON.stringify(conn.tokens), JSON.stringify(auditor()), JSON.stringify({ c: conn.endpoints, t: conn.tokens }),
    inspect(auditor(), { depth: 10, showHidden: true }), String(await conn.tokens.getToken()),
  ];
  for (const v of views) {
    assert.not.match(v, SIM_AUDITOR.clientSecret);
    assert.not.match(v, token);
  }
  await conn.client.close();
});

t.run();
