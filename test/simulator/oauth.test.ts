import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SIM_ADMIN, SIM_AUDITOR, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, tokenFor } from './helpers.ts';

const t = suite<{ sim: Simulator }>('simulator: oauth and tokens');

t.before(async (ctx) => { ctx.sim = await startSimulator({ seed: 11, quirks: false, tokenLifetimeSec: 3600 }); });
t.after(async (ctx) => { await ctx.sim.close(); });

const tokenRequest = (sim: Simulator, auth: string | undefined, body: string) => fetch(`${sim.url}/oauth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
  body,
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

t('client credentials with Basic auth issue a bearer token with the configured lifetime', async ({ sim }) => {
  const res = await tokenRequest(sim, basic(SIM_AUDITOR.clientId, SIM_AUDITOR.clientSecret), 'grant_type=client_credentials');
  assert.is(res.status, 200);
  const body = await res.json() as Record<string, unknown>;
  assert.is(body.token_type, 'bearer');
  assert.is(body.expires_in, 3600);
  assert.type(body.access_token, 'string');
  const me = await call(sim, body.access_token as string, '/api/v2/tokens/me');
  assert.is(me.status, 200);
  assert.is(me.json.OAuthClient.id, SIM_AUDITOR.clientId);
  assert.is(me.json.organization.id, sim.orgId);
});

t('a wrong secret, an unknown client or credentials in the body get invalid_client', async ({ sim }) => {
  for (const [auth, body] of [
    [basic(SIM_AUDITOR.clientId, 'wrong'), 'grant_type=client_credentials'],
    [basic('no-such-client', 'x'), 'grant_type=client_credentials'],
    [undefined, `grant_type=client_credentials&client_id=${SIM_AUDITOR.clientId}&client_secret=${SIM_AUDITOR.clientSecret}`],
  ] as const) {
    const res = await tokenRequest(sim, auth, body);
    assert.is(res.status, 400);
    assert.equal(await res.json(), { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
  }
});

t('an unsupported grant type is refused', async ({ sim }) => {
  const res = await tokenRequest(sim, basic(SIM_ADMIN.clientId, SIM_ADMIN.clientSecret), 'grant_type=password');
  assert.is(res.status, 400);
  assert.is(((await res.json()) as { error: string }).error, 'unsupported_grant_type');
});

t('API calls without a bearer token get authentication.required, a bogus one bad.credentials', async ({ sim }) => {
  const none = await call(sim, undefined, '/api/v2/organizations/me');
  assert.is(none.status, 401);
  assert.is(none.json.code, 'authentication.required');
  assert.is(none.json.contextId, none.headers.get('inin-correlation-id'));
  const bogus = await call(sim, 'not-a-token', '/api/v2/organizations/me');
  assert.is(bogus.status, 401);
  assert.is(bogus.json.code, 'bad.credentials');
});

t('expireTokens makes existing tokens 401 while a fresh token works', async ({ sim }) => {
  const old = await tokenFor(sim, SIM_AUDITOR);
  assert.is((await call(sim, old, '/api/v2/organizations/me')).status, 200);
  sim.expireTokens();
  const expired = await call(sim, old, '/api/v2/organizations/me');
  assert.is(expired.status, 401);
  assert.is(expired.json.message, 'Invalid login credentials.');
  const fresh = await tokenFor(sim, SIM_AUDITOR);
  assert.is((await call(sim, fresh, '/api/v2/organizations/me')).status, 200);
});

t('a zero lifetime yields tokens that are expired on first use', async () => {
  const sim = await startSimulator({ tokenLifetimeSec: 0 });
  try {
    const token = await tokenFor(sim, SIM_AUDITOR);
    assert.is((await call(sim, token, '/api/v2/organizations/me')).status, 401);
  } finally {
    await sim.close();
  }
});

t('revokeTokens(clientId) revokes only that client; DELETE /tokens/me revokes the caller', async ({ sim }) => {
  const auditor = await tokenFor(sim, SIM_AUDITOR);
  const admin = await tokenFor(sim, SIM_ADMIN);
  sim.revokeTokens(SIM_AUDITOR.clientId);
  assert.is((await call(sim, auditor, '/api/v2/organizations/me')).status, 401);
  assert.is((await call(sim, admin, '/api/v2/organizations/me')).status, 200);
  assert.is((await call(sim, admin, '/api/v2/tokens/me', { method: 'DELETE' })).status, 204);
  assert.is((await call(sim, admin, '/api/v2/organizations/me')).status, 401);
});

t('the request log records token calls with the client id', async ({ sim }) => {
  const entry = sim.log.find((e) => e.path === '/oauth/token' && e.status === 200);
  assert.ok(entry);
  assert.ok(entry.clientId === SIM_AUDITOR.clientId || entry.clientId === SIM_ADMIN.clientId);
});

t.run();
