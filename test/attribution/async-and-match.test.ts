// The asynchronous Audit API query (windows beyond the realtime 14 days) against the simulator,
// and the matching rules that pick one event for a finding.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SIM_ADMIN } from '../../src/simulator/index.ts';
import { connectOrg } from '../../src/pipeline/connect.ts';
import { createAttribution, locusOf, matchEvent, AUDIT_TARGETS, type AuditEvent } from '../../src/attribution/index.ts';
import { makeFindingId } from '../../src/classify/finding-id.ts';
import { UNCLASSIFIED_RULE } from '../../src/classify/classify.ts';
import { orgId, surfaceId } from '../../src/model/ids.ts';
import type { Finding } from '../../src/model/findings.ts';
import { ORG, setMfa, workspace, type Workspace } from '../lifecycle/harness.ts';

let ws: Workspace;
test.before(async () => { ws = await workspace(); });
test.after(async () => { await ws?.close(); });

const org = orgId(ORG);
const finding = (surface: string, pathText: string, extra: Partial<Finding> = {}): Finding => ({
  id: makeFindingId(org, surfaceId(surface), pathText, UNCLASSIFIED_RULE), kind: 'drift', org, surface: surfaceId(surface), pathText,
  rule: UNCLASSIFIED_RULE, title: 't', severity: 'high', sensitivity: 'internal', frameworks: [], driftKind: 'MODIFIED', state: 'new', ...extra,
});

test('a change older than the realtime window is found through the asynchronous query', async () => {
  await setMfa(ws, false);
  const cfg = ws.config();
  const { client } = connectOrg(cfg, cfg.orgs[0]!, { env: ws.env });
  try {
    const stage = createAttribution(client, { lookbackDays: 30, pollMs: 0 });
    const now = new Date(Date.now() + 20 * 86_400_000);
    const [f] = await stage.attribute(org, [finding('authentication-settings', 'multifactorAuthenticationRequired')], now, now);
    assert.is(f!.attribution?.found, true, JSON.stringify(f!.attribution));
    assert.is(f!.attribution?.client, SIM_ADMIN.name);
    assert.equal(f!.attribution?.newValues, ['false']);
    const paths = ws.sim.log.map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/, 'ID')}`);
    assert.ok(paths.includes('POST /api/v2/audits/query'), 'asynchronous query started');
    assert.ok(paths.includes('GET /api/v2/audits/query/ID'), 'status polled');
    assert.ok(paths.includes('GET /api/v2/audits/query/ID/results'), 'results read');
    assert.ok(paths.includes('POST /api/v2/audits/query/realtime'), 'the last 14 days still come from the realtime query');
  } finally { await client.close(); }
});

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: 'e', eventDate: '2026-11-01T00:00:00.000Z', action: 'Update', entityType: 'Role', remoteIp: ['198.51.100.1'], changes: [], ...over,
});

test('locus: entity id from entities[id=…], property up to the first array element', () => {
  assert.equal(locusOf({ pathText: 'entities[id=r-1].permissionPolicies[domain=routing,entityName=queue].actionSet' }, AUDIT_TARGETS.roles!),
    { entityId: 'r-1', property: 'permissionPolicies' });
  assert.equal(locusOf({ pathText: 'ipAddressAllowlist[="0.0.0.0/0"]' }, AUDIT_TARGETS['authentication-settings']!), { property: 'ipAddressAllowlist' });
  assert.equal(locusOf({ pathText: 'hipaa' }, AUDIT_TARGETS.features!), { entityId: 'hipaa', property: 'hipaa' });
  assert.is(locusOf({ pathText: 'name' }, AUDIT_TARGETS.roles!), undefined, 'a collection path without an entity cannot be matched');
});

test('match: same entity, related property, latest before now; whole-entity drift matches create/delete', () => {
  const now = new Date('2026-11-10T00:00:00.000Z');
  const f = finding('roles', 'entities[id=r-1].description');
  const events = [
    event({ id: 'old', entityId: 'r-1', eventDate: '2026-11-02T00:00:00.000Z', changes: [{ property: 'description', oldValues: ['a'], newValues: ['b'] }] }),
    event({ id: 'new', entityId: 'r-1', eventDate: '2026-11-05T00:00:00.000Z', changes: [{ property: 'description', oldValues: ['b'], newValues: ['c'] }] }),
    event({ id: 'other-entity', entityId: 'r-2', eventDate: '2026-11-06T00:00:00.000Z', changes: [{ property: 'description', oldValues: [], newValues: [] }] }),
    event({ id: 'other-prop', entityId: 'r-1', eventDate: '2026-11-07T00:00:00.000Z', changes: [{ property: 'name', oldValues: [], newValues: [] }] }),
    event({ id: 'future', entityId: 'r-1', eventDate: '2026-11-11T00:00:00.000Z', changes: [{ property: 'description', oldValues: [], newValues: [] }] }),
  ];
  assert.is(matchEvent(f, locusOf(f, AUDIT_TARGETS.roles!)!, events, now)?.event.id, 'new');
  const added = finding('roles', 'entities[id=r-9]', { driftKind: 'ADDED' });
  const lifecycle = [event({ id: 'upd', entityId: 'r-9', action: 'Update' }), event({ id: 'create', entityId: 'r-9', action: 'Create' })];
  assert.is(matchEvent(added, locusOf(added, AUDIT_TARGETS.roles!)!, lifecycle, now)?.event.id, 'create');
  assert.is(matchEvent(f, locusOf(f, AUDIT_TARGETS.roles!)!, [], now), undefined);
});

test('secret findings are attributed without their values', async () => {
  const { attributionOf } = await import('../../src/attribution/index.ts');
  const f = finding('trunk-base-settings', 'entities[id=t].properties.trunk_authentication_password', { sensitivity: 'secret' });
  const a = attributionOf(f, { event: event({ client: 'x' }), change: { property: 'properties.trunk_authentication_password', oldValues: ['hunter2'], newValues: ['hunter3'] } });
  assert.is(a.found, true);
  assert.is(a.oldValues, undefined);
  assert.is(a.newValues, undefined);
  assert.not.match(JSON.stringify(a), /hunter/);
  const plain = finding('integrations', 'entities[id=i].config.properties.url');
  const enclosing = attributionOf(plain, { event: event({}), change: { property: 'config.properties', oldValues: ['{"apiKey":"k1"}'], newValues: ['{"apiKey":"k2"}'] }, exact: false });
  assert.is(enclosing.newValues, undefined, 'an enclosing property\'s values may hold secrets the finding never saw');
  assert.match(enclosing.note ?? '', /enclosing property/);
  const same = attributionOf(plain, { event: event({}), change: { property: 'config.properties.url', oldValues: ['a'], newValues: ['b'] }, exact: true });
  assert.equal(same.newValues, ['b']);
});

test('factories: attribution off when disabled, waivers off without a file, lifecycle always on', async () => {
  const { createAttributionStage } = await import('../../src/pipeline/factories/attribution.ts');
  const { createWaiversStage } = await import('../../src/pipeline/factories/waivers.ts');
  const { createLifecycleStage } = await import('../../src/pipeline/factories/lifecycle.ts');
  const cfg = ws.config();
  const { client } = connectOrg(cfg, cfg.orgs[0]!, { env: ws.env });
  try {
    await ws.withStore(async (store) => {
      const ctx = { config: cfg, store, env: ws.env, redaction: {} as never, stateDir: ws.dir };
      assert.ok(await createAttributionStage(ctx, client), 'enabled by default');
      assert.is(await createAttributionStage({ ...ctx, config: { ...cfg, attribution: { enabled: false, lookbackDays: 14 } } }, client), undefined);
      assert.is(cfg.waivers, null);
      assert.is(await createWaiversStage(ctx), undefined);
      assert.ok(await createLifecycleStage(ctx));
    });
  } finally { await client.close(); }
});

test.run();
