import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDITOR_PERMISSIONS, SIM_ADMIN, SIM_AUDITOR, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, readAllPages, tokenFor } from './helpers.ts';

const t = suite<{ sim: Simulator; admin: string; auditor: string }>('simulator: admin writes and the Audit API');

t.before(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 13, quirks: false });
  ctx.admin = await tokenFor(ctx.sim, SIM_ADMIN);
  ctx.auditor = await tokenFor(ctx.sim, SIM_AUDITOR);
});
t.after(async (ctx) => { await ctx.sim.close(); });

const lastHour = (): string => `${new Date(Date.now() - 3600_000).toISOString()}/${new Date(Date.now() + 3600_000).toISOString()}`;

t('an admin PUT changes a later read and is audited with string old/new values', async ({ sim, admin, auditor }) => {
  const put = await call(sim, admin, '/api/v2/tokens/timeout', { method: 'PUT', body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 900 } });
  assert.is(put.status, 200);
  assert.is((await call(sim, auditor, '/api/v2/tokens/timeout')).json.idleTokenTimeoutSeconds, 900);

  const q = await call(sim, auditor, '/api/v2/audits/query/realtime', {
    method: 'POST',
    body: { interval: lastHour(), serviceName: 'Directory', filters: [{ property: 'EntityType', value: 'OrganizationSettings' }], pageNumber: 1, pageSize: 25 },
  });
  assert.is(q.status, 200);
  assert.is(q.json.total, 1);
  assert.is(q.json.pageCount, 1);
  const e = q.json.entities[0];
  assert.is(e.action, 'Update');
  assert.is(e.serviceName, 'Directory');
  assert.is(e.client.id, SIM_ADMIN.clientId);
  assert.equal(e.remoteIp, ['127.0.0.1']);
  assert.is(e.userHomeOrgId, sim.orgId);
  assert.is(e.status, 'SUCCESS');
  assert.ok(!Number.isNaN(Date.parse(e.eventDate)));
  assert.equal(e.propertyChanges, [{ property: 'idleTokenTimeoutSeconds', oldValues: ['1800'], newValues: ['900'] }]);
});

t('PATCH on authentication settings changes the allow-list and the legacy twin', async ({ sim, admin, auditor }) => {
  const before = (await call(sim, auditor, '/api/v2/organizations/authentication/settings')).json;
  const list = [...before.ipAddressAllowlist, '0.0.0.0/0'];
  const r = await call(sim, admin, '/api/v2/organizations/authentication/settings', { method: 'PATCH', body: { ipAddressAllowlist: list } });
  assert.is(r.status, 200);
  assert.equal(r.json.passwordRequirements, before.passwordRequirements, 'PATCH keeps untouched fields');
  assert.equal((await call(sim, auditor, '/api/v2/organizations/ipaddressauthentication')).json.networkWhitelist, list);
  const q = await call(sim, auditor, '/api/v2/audits/query/realtime', {
    method: 'POST', body: { interval: lastHour(), serviceName: 'Directory', filters: [{ property: 'EntityType', value: 'AuthOrganization' }] },
  });
  const change = q.json.entities[0].propertyChanges.find((c: { property: string }) => c.property === 'ipAddressAllowlist');
  assert.ok(change.newValues.includes('0.0.0.0/0'));
  assert.ok(!change.oldValues.includes('0.0.0.0/0'));
});

t('the auditor is refused role edits with 403 naming the permission; invalid values get 400', async ({ sim, admin, auditor }) => {
  const roles = (await call(sim, auditor, '/api/v2/authorization/roles')).json.entities;
  const r = await call(sim, auditor, `/api/v2/authorization/roles/${roles[0].id}`, { method: 'PUT', body: { ...roles[0], description: 'x' } });
  assert.is(r.status, 403);
  assert.match(r.json.message, '[authorization:role:edit]');
  const bad = await call(sim, admin, '/api/v2/tokens/timeout', { method: 'PUT', body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 10 } });
  assert.is(bad.status, 400);
  assert.is(bad.json.code, 'invalid.value');
});

t('role create, update and delete show up in reads and in the audit trail', async ({ sim, admin, auditor }) => {
  const before = (await call(sim, auditor, '/api/v2/authorization/roles')).json.total;
  const created = await call(sim, admin, '/api/v2/authorization/roles', {
    method: 'POST', body: { name: 'Drift Test Role', description: 'made by a test', permissionPolicies: [{ domain: 'routing', entityName: 'queue', actionSet: ['view'], allowConditions: false }] },
  });
  assert.is(created.status, 200);
  const id = created.json.id;
  assert.is((await call(sim, auditor, '/api/v2/authorization/roles')).json.total, before + 1);

  const stale = await call(sim, admin, `/api/v2/authorization/roles/${id}`, { method: 'PATCH', body: { description: 'now broader', permissionPolicies: [{ domain: 'routing', entityName: 'queue', actionSet: ['view', 'edit'], allowConditions: false }] } });
  assert.is(stale.status, 200);
  const read = (await call(sim, auditor, `/api/v2/authorization/roles/${id}`)).json;
  assert.is(read.description, 'now broader');
  assert.equal(read.permissionPolicies[0].actionSet, ['view', 'edit']);

  assert.is((await call(sim, admin, `/api/v2/authorization/roles/${id}`, { method: 'DELETE' })).status, 204);
  assert.is((await call(sim, auditor, `/api/v2/authorization/roles/${id}`)).status, 404);

  const q = await call(sim, auditor, '/api/v2/audits/query/realtime', {
    method: 'POST',
    body: { interval: lastHour(), serviceName: 'PeoplePermissions', filters: [{ property: 'EntityId', value: id }], sort: [{ name: 'Timestamp', sortOrder: 'ascending' }] },
  });
  assert.equal(q.json.entities.map((e: { action: string }) => e.action), ['Create', 'Update', 'Delete']);
  assert.ok(q.json.entities.every((e: { entityType: string; entity: { name: string } }) => e.entityType === 'Role' && e.entity.name === 'Drift Test Role'));
  const update = q.json.entities[1];
  assert.ok(update.propertyChanges.some((c: { property: string; newValues: string[] }) => c.property === 'description' && c.newValues[0] === 'now broader'));
});

t('a created OAuth client returns its secret once, and it becomes a canary', async ({ sim, admin, auditor }) => {
  const r = await call(sim, admin, '/api/v2/oauth/clients', { method: 'POST', body: { name: 'temp client', authorizedGrantType: 'CLIENT-CREDENTIALS', accessTokenValiditySeconds: 600 } });
  assert.is(r.status, 200);
  assert.match(r.json.secret, /^CANARY-/);
  assert.ok(sim.canaries.includes(r.json.secret));
  const listed = (await call(sim, auditor, '/api/v2/oauth/clients')).json.entities.find((c: { id: string }) => c.id === r.json.id);
  assert.is(listed.name, 'temp client');
  assert.is(listed.secret, undefined);
});

t('feature flags change through PATCH /organizations/features/{name}', async ({ sim, admin, auditor }) => {
  assert.is((await call(sim, admin, '/api/v2/organizations/features/hipaa', { method: 'PATCH', body: { enabled: true } })).status, 200);
  assert.is((await call(sim, auditor, '/api/v2/organizations/me')).json.features.hipaa, true);
  assert.is((await call(sim, admin, '/api/v2/organizations/features/noSuchFeature', { method: 'PATCH', body: { enabled: true } })).status, 404);
});

t('a stale version on PUT gets 409', async ({ sim, admin, auditor }) => {
  const org = (await call(sim, auditor, '/api/v2/organizations/me')).json;
  const r = await call(sim, admin, '/api/v2/organizations/me', { method: 'PUT', body: { ...org, version: org.version - 1, name: 'x' } });
  assert.is(r.status, 409);
  const ok = await call(sim, admin, '/api/v2/organizations/me', { method: 'PUT', body: { ...org, supportURI: 'help@acme.example' } });
  assert.is(ok.status, 200);
  assert.is(ok.json.version, org.version + 1);
});

t('the asynchronous audit query goes Queued -> Running -> Succeeded and pages by cursor', async ({ sim, auditor }) => {
  const start = await call(sim, auditor, '/api/v2/audits/query', { method: 'POST', body: { interval: lastHour(), serviceName: 'PeoplePermissions' } });
  assert.is(start.json.state, 'Queued');
  const states = [];
  for (let i = 0; i < 2; i++) states.push((await call(sim, auditor, `/api/v2/audits/query/${start.json.id}`)).json.state);
  assert.equal(states, ['Running', 'Succeeded']);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await call(sim, auditor, `/api/v2/audits/query/${start.json.id}/results?pageSize=2${cursor ? `&cursor=${cursor}` : ''}`)).json;
    ids.push(...page.entities.map((e: { id: string }) => e.id));
    cursor = page.cursor;
  } while (cursor);
  assert.is(ids.length, 4, 'role create/update/delete + oauth client create');
});

t('audit queries validate input and need audits:audit:view (ALL)', async ({ sim, auditor }) => {
  const bad = await call(sim, auditor, '/api/v2/audits/query/realtime', { method: 'POST', body: { interval: 'yesterday', serviceName: 'Directory' } });
  assert.is(bad.status, 400);
  const noService = await call(sim, auditor, '/api/v2/audits/query/realtime', { method: 'POST', body: { interval: lastHour(), serviceName: 'Nope' } });
  assert.is(noService.status, 400);
  const map = await call(sim, auditor, '/api/v2/audits/query/realtime/servicemapping');
  assert.ok(map.json.services.some((s: { name: string }) => s.name === 'PeoplePermissions'));
  sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'audits:audit:view'));
  try {
    const denied = await call(sim, auditor, '/api/v2/audits/query/realtime', { method: 'POST', body: { interval: lastHour(), serviceName: 'Directory' } });
    assert.is(denied.status, 403);
    assert.is(denied.json.code, 'missing.permissions');
    assert.match(denied.json.message, 'audits:audit:view');
  } finally {
    sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
  }
});

t('integration PATCH flips intendedState in the paged listing', async ({ sim, admin, auditor }) => {
  const all = await readAllPages(sim, auditor, '/api/v2/integrations');
  const target = all.entities[all.entities.length - 1];
  const r = await call(sim, admin, `/api/v2/integrations/${target.id}`, { method: 'PATCH', body: { intendedState: 'DISABLED' } });
  assert.is(r.status, 200);
  const again = await readAllPages(sim, auditor, '/api/v2/integrations');
  assert.is(again.entities.find((e) => e.id === target.id).intendedState, 'DISABLED');
});

t.run();
