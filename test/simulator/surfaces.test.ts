import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDITOR_PERMISSIONS, SIM_AUDITOR, SIMULATED_SURFACES, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, readAllPages, tokenFor } from './helpers.ts';

const t = suite<{ sim: Simulator; token: string }>('simulator: surfaces, paging, permissions');

t.before(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 5, quirks: false });
  ctx.token = await tokenFor(ctx.sim, SIM_AUDITOR);
});
t.after(async (ctx) => { await ctx.sim.close(); });

t('the auditor can read every surface, with ratelimit and correlation headers', async ({ sim, token }) => {
  assert.ok(SIMULATED_SURFACES.length >= 12);
  for (const s of SIMULATED_SURFACES) {
    const r = await call(sim, token, s.path);
    assert.is(r.status, 200, `${s.id} ${s.path}`);
    assert.ok(r.headers.get('inin-correlation-id'));
    assert.is(r.headers.get('inin-ratelimit-allowed'), '300');
    if (s.kind === 'collection') assert.ok(Array.isArray(r.json.entities), `${s.id} has entities`);
  }
});

t('organization and authentication settings have the reference shapes', async ({ sim, token }) => {
  const org = (await call(sim, token, '/api/v2/organizations/me')).json;
  assert.is(org.id, sim.orgId);
  assert.is(org.name, 'Acme Support');
  assert.is(org.selfUri, `/api/v2/organizations/${sim.orgId}`);
  assert.is(typeof org.features.hipaa, 'boolean');
  assert.match(org.defaultSiteId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^2f6e9d1c/);
  const auth = (await call(sim, token, '/api/v2/organizations/authentication/settings')).json;
  assert.equal(Object.keys(auth).sort(), ['domainAllowlist', 'domainAllowlistEnabled', 'inactivityTimeoutExclusions', 'ipAddressAllowlist', 'multifactorAuthenticationRequired', 'passwordRequirements']);
  assert.is(auth.passwordRequirements.minimumLength, 12);
  const legacy = (await call(sim, token, '/api/v2/organizations/ipaddressauthentication')).json;
  assert.equal(legacy.networkWhitelist, auth.ipAddressAllowlist);
});

t('there is no orgsettings and no GET for organization features', async ({ sim, token }) => {
  for (const path of ['/api/v2/orgsettings', '/api/v2/organizations/features']) {
    const r = await call(sim, token, path);
    assert.is(r.status, 404);
    assert.is(r.json.code, 'not.found');
  }
});

t('roles span three pages at the default page size and nextUri walks them all', async ({ sim, token }) => {
  const first = (await call(sim, token, '/api/v2/authorization/roles')).json;
  assert.is(first.pageSize, 25);
  assert.is(first.pageNumber, 1);
  assert.is(first.pageCount, 3);
  assert.is(first.nextUri, '/api/v2/authorization/roles?pageSize=25&pageNumber=2');
  assert.is(first.previousUri, undefined);
  const last = (await call(sim, token, '/api/v2/authorization/roles?pageNumber=3')).json;
  assert.is(last.nextUri, undefined);
  assert.is(last.previousUri, '/api/v2/authorization/roles?pageSize=25&pageNumber=2');
  const all = await readAllPages(sim, token, '/api/v2/authorization/roles');
  assert.is(all.pages, 3);
  assert.is(all.entities.length, first.total);
  assert.is(new Set(all.entities.map((r) => r.id)).size, first.total);
});

t('pageSize is honoured and carried on the URIs; integrations need two default pages', async ({ sim, token }) => {
  const small = (await call(sim, token, '/api/v2/integrations?pageSize=10&pageNumber=2')).json;
  assert.is(small.entities.length, 10);
  assert.is(small.pageCount, Math.ceil(small.total / 10));
  assert.is(small.nextUri, '/api/v2/integrations?pageSize=10&pageNumber=3');
  const all = await readAllPages(sim, token, '/api/v2/integrations');
  assert.is(all.pages, 2);
  assert.is(new Set(all.entities.map((e) => e.id)).size, small.total);
  const bad = await call(sim, token, '/api/v2/integrations?pageSize=0');
  assert.is(bad.status, 400);
});

t('the credential listing is cursor paged and never carries credential fields', async ({ sim, token }) => {
  const all = await readAllPages(sim, token, '/api/v2/integrations/credentials/listing');
  assert.is(all.pages, 2);
  assert.is(all.entities.length, 30);
  assert.ok(all.entities.every((c) => c.credentialFields === undefined && typeof c.type.name === 'string'));
  const one = (await call(sim, token, `/api/v2/integrations/credentials/${all.entities[0].id}`)).json;
  assert.is(one.credentialFields.clientSecret, '********');
});

t('OAuth clients and identity providers come in one envelope without paging', async ({ sim, token }) => {
  const clients = (await call(sim, token, '/api/v2/oauth/clients')).json;
  assert.is(clients.pageCount, 1);
  assert.is(clients.entities.length, clients.total);
  assert.ok(clients.entities.some((c: { id: string }) => c.id === SIM_AUDITOR.clientId));
  assert.ok(clients.entities.every((c: Record<string, unknown>) => !('secret' in c)), 'no secret without quirks (2025 behaviour)');
  const idps = (await call(sim, token, '/api/v2/identityproviders')).json;
  assert.equal(Object.keys(idps).sort(), ['entities', 'total']);
  assert.ok(idps.entities.find((p: { id: string }) => p.id === 'okta'));
});

t('a client without the permission gets 403 naming it; setPermissions acts live', async ({ sim, token }) => {
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'oauth:client:view'));
  try {
    const r = await call(sim, token, '/api/v2/oauth/clients');
    assert.is(r.status, 403);
    assert.is(r.json.code, 'missing.any.permissions');
    assert.is(r.json.message, 'Unable to perform the requested action. You must have at least one of the following permissions assigned: [oauth:client:view]');
    assert.equal(r.json.messageParams, { permissions: '[oauth:client:view]' });
    assert.is(r.json.contextId, r.headers.get('inin-correlation-id'));
    const rec = await call(sim, token, '/api/v2/recording/settings');
    assert.is(rec.status, 200, 'other surfaces are unaffected');
  } finally {
    sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
  }
  assert.is((await call(sim, token, '/api/v2/oauth/clients')).status, 200);
});

t('roles saved with wildcards come back expanded', async ({ sim, token }) => {
  const all = await readAllPages(sim, token, '/api/v2/authorization/roles?pageSize=100');
  const legacy = all.entities.find((r) => r.name === 'Legacy Queue Manager');
  const queue = legacy.permissionPolicies.find((p: { domain: string; entityName: string }) => p.domain === 'routing' && p.entityName === 'queue');
  assert.equal(queue.actionSet, ['view', 'add', 'edit', 'delete', 'join']);
  const quality = legacy.permissionPolicies.filter((p: { domain: string }) => p.domain === 'quality').map((p: { entityName: string }) => p.entityName);
  assert.equal(quality.sort(), ['calibration', 'evaluation']);
  assert.ok(!legacy.permissionPolicies.some((p: { entityName: string }) => p.entityName === '*'));
});

t('userCount=false leaves userCount out of roles', async ({ sim, token }) => {
  const r = (await call(sim, token, '/api/v2/authorization/roles?userCount=false')).json;
  assert.ok(r.entities.every((e: Record<string, unknown>) => !('userCount' in e)));
  assert.match(r.nextUri, /userCount=false/);
});

t.run();
