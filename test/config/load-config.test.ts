import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load-config.ts';
import { selectSurfaces } from '../../src/config/config.ts';
import { renderConfigSchema } from '../../src/config/schema.ts';
import { GENESYS_REGIONS, regionHosts } from '../../src/config/regions.ts';
import { resolveEndpoints } from '../../src/auth/regions.ts';
import { DwFailure } from '../../src/model/errors.ts';

const test = suite('config');
let dir = '';
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'dw-config-')); });
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Runs `fn`, expects a DwFailure, and returns its first line (`file:line:col CODE message`). */
function failure(fn: () => unknown): { line: string; code: string; kind: string } {
  try { fn(); } catch (e) {
    assert.instance(e, DwFailure);
    const f = e as DwFailure;
    return { line: f.message.split('\n')[0]!, code: f.error.code, kind: f.error.kind };
  }
  throw new Error('expected a DwFailure, nothing was thrown');
}

const MINIMAL = `orgs:
  - id: acme
    region: mypurecloud.ie
    credentials:
      env: { clientId: ACME_ID, clientSecret: ACME_SECRET }
`;

test('a minimal config gets every default, with paths resolved against the config folder', () => {
  const c = loadConfig(write('minimal.yaml', MINIMAL));
  assert.is(c.file, join(dir, 'minimal.yaml'));
  assert.is(c.dir, dir);
  assert.equal(c.orgs, [{
    id: 'acme', name: 'acme', region: 'mypurecloud.ie',
    apiBase: 'https://api.mypurecloud.ie', loginBase: 'https://login.mypurecloud.ie',
    credentials: { kind: 'env', clientIdVar: 'ACME_ID', clientSecretVar: 'ACME_SECRET' },
    schedule: null, blindAfterMinutes: null, heartbeatUrl: null,
  }]);
  assert.equal(c.surfaces, { include: 'all', exclude: [] });
  assert.equal(c.normalize.volatileFields, []);
  assert.is(c.baselines.dir, join(dir, 'baselines'));
  assert.is(c.store.path, join(dir, '.driftwarden/driftwarden.db'));
  assert.equal(c.policies, { dirs: [join(dir, 'policies')], data: [] });
  assert.is(c.findings.defaultSeverity, 'medium');
  assert.is(c.routes, null);
  assert.equal(c.rateLimit, { requestsPerMinute: 180 });
  assert.equal(c.retry, { maxRetries: 5, maxTotalWaitMs: 120000 });
  assert.is(c.waivers, null);
  assert.equal(c.waiverPolicy, { maxDays: 90, warnDays: 14 });
  assert.equal(c.notifications, { reminderHours: 24 });
  assert.equal(c.attribution, { enabled: true, lookbackDays: 14 });
  assert.equal(c.vault, { revealWindowMinutes: 60 });
});

test('a full config keeps every value it sets', () => {
  const c = loadConfig(write('full.yaml', `orgs:
  - id: sim
    name: Simulator
    apiBase: http://127.0.0.1:4010/
    credentials: { file: secrets/sim.json }
  - id: prod-eu
    region: euc2.pure.cloud
    credentials: { file: /etc/dw/prod.json }
surfaces:
  include: [organization, oauth-clients, roles]
  exclude: [integrations]
normalize:
  volatileFields: [dateModified, selfUri]
baselines: { dir: ../shared-baselines }
store: { path: /var/lib/dw/runs.db }
policies:
  dirs: [policies, extra/policies]
  data: [data/allow.yaml]
findings: { defaultSeverity: high }
routes: routes.yaml
rateLimit: { requestsPerMinute: 60 }
retry: { maxRetries: 2, maxTotalWaitMs: 5000 }
`));
  assert.equal(c.orgs[0], {
    id: 'sim', name: 'Simulator', region: null, apiBase: 'http://127.0.0.1:4010', loginBase: 'http://127.0.0.1:4010',
    credentials: { kind: 'file', path: join(dir, 'secrets/sim.json') },
    schedule: null, blindAfterMinutes: null, heartbeatUrl: null,
  });
  assert.equal(c.orgs[1]!.credentials, { kind: 'file', path: '/etc/dw/prod.json' });
  assert.is(c.orgs[1]!.apiBase, 'https://api.euc2.pure.cloud');
  assert.equal(c.surfaces, { include: ['organization', 'oauth-clients', 'roles'], exclude: ['integrations'] });
  assert.equal(c.normalize.volatileFields, ['dateModified', 'selfUri']);
  assert.is(c.baselines.dir, join(dir, '..', 'shared-baselines'));
  assert.is(c.store.path, '/var/lib/dw/runs.db');
  assert.equal(c.policies, { dirs: [join(dir, 'policies'), join(dir, 'extra/policies')], data: [join(dir, 'data/allow.yaml')] });
  assert.is(c.findings.defaultSeverity, 'high');
  assert.is(c.routes, join(dir, 'routes.yaml'));
  assert.equal(c.rateLimit, { requestsPerMinute: 60 });
  assert.equal(c.retry, { maxRetries: 2, maxTotalWaitMs: 5000 });
});

test('the loaded config is deeply frozen', () => {
  const c = loadConfig(write('frozen.yaml', MINIMAL));
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.orgs[0]!.credentials) && Object.isFrozen(c.policies.dirs));
});

test('an unknown key names file:line:col of the key', () => {
  const file = write('unknown.yaml', MINIMAL + '    colour: red\n');
  const f = failure(() => loadConfig(file));
  assert.is(f.line, `${file}:6:5 DW1102 orgs.0: unknown key "colour"`);
  assert.is(f.kind, 'bad-input');
});

test('an unknown top-level key is an error too', () => {
  const file = write('unknown-top.yaml', MINIMAL + 'baseline:\n  dir: x\n');
  assert.is(failure(() => loadConfig(file)).line, `${file}:6:1 DW1102 unknown key "baseline"`);
});

test('a wrong type names the value', () => {
  const file = write('type.yaml', MINIMAL + 'retry:\n  maxRetries: "3"\n');
  assert.is(failure(() => loadConfig(file)).line, `${file}:7:15 DW1102 retry.maxRetries: must be integer`);
});

test('a region outside the list is rejected at the value', () => {
  const file = write('region.yaml', MINIMAL.replace('mypurecloud.ie', 'euw1.pure.cloud'));
  const f = failure(() => loadConfig(file));
  assert.ok(f.line.startsWith(`${file}:3:13 DW1102 orgs.0.region: must be one of "mypurecloud.com"`), f.line);
});

test('a missing required key names its parent', () => {
  const file = write('missing.yaml', `orgs:
  - region: mypurecloud.com
    credentials: { file: c.json }
`);
  assert.is(failure(() => loadConfig(file)).line, `${file}:2:5 DW1102 orgs.0: must have required property 'id'`);
  const nested = write('missing-nested.yaml', MINIMAL.replace(', clientSecret: ACME_SECRET', ''));
  assert.is(failure(() => loadConfig(nested)).line, `${nested}:5:12 DW1102 orgs.0.credentials.env: must have required property 'clientSecret'`);
  const empty = write('empty.yaml', '');
  assert.is(failure(() => loadConfig(empty)).code, 'DW1102');
});

test('invalid YAML and an unreadable file have their own codes', () => {
  const file = write('syntax.yaml', 'orgs:\n  - id: [acme\n');
  const f = failure(() => loadConfig(file));
  assert.is(f.code, 'DW1101');
  assert.ok(f.line.startsWith(`${file}:`), f.line);
  assert.is(failure(() => loadConfig(join(dir, 'nope.yaml'))).code, 'DW1103');
});

test('checks beyond the schema still point at the source', () => {
  const dup = write('dup.yaml', MINIMAL + `  - id: acme
    region: mypurecloud.de
    credentials: { file: c.json }
`);
  assert.is(failure(() => loadConfig(dup)).line, `${dup}:6:9 DW1104 orgs.1.id: org "acme" is listed twice; org ids must be unique`);

  const both = write('both.yaml', MINIMAL + '    apiBase: https://sim.example\n');
  assert.is(failure(() => loadConfig(both)).line, `${both}:6:5 DW1105 orgs.0: set either region or apiBase, not both`);

  const neither = write('neither.yaml', 'orgs:\n  - id: acme\n    credentials: { file: c.json }\n');
  assert.is(failure(() => loadConfig(neither)).line, `${neither}:2:5 DW1105 orgs.0: set region (a Genesys Cloud domain such as mypurecloud.com) or apiBase`);

  const http = write('http.yaml', 'orgs:\n  - id: acme\n    apiBase: http://10.1.2.3:80\n    credentials: { file: c.json }\n');
  assert.is(failure(() => loadConfig(http)).line, `${http}:3:14 DW1106 orgs.0.apiBase: plain http is only allowed for a loopback simulator; use https`);

  const creds = write('creds.yaml', 'orgs:\n  - id: acme\n    region: mypurecloud.com\n    credentials: {}\n');
  assert.is(failure(() => loadConfig(creds)).code, 'DW1107');

  const overlap = write('overlap.yaml', MINIMAL + 'surfaces:\n  include: [roles]\n  exclude: [roles]\n');
  assert.is(failure(() => loadConfig(overlap)).line, `${overlap}:8:13 DW1108 surfaces.exclude.0: "roles" is also in surfaces.include; keep it in one list`);
});

test('parseConfig works on text and names the given file', () => {
  const c = parseConfig(MINIMAL, join(dir, 'sub', 'dw.yaml'));
  assert.is(c.baselines.dir, join(dir, 'sub', 'baselines'));
  assert.is(failure(() => parseConfig('orgs: 3\n', 'x.yaml')).line.split(' ').slice(1).join(' '), 'DW1102 orgs: must be array');
});

test('selectSurfaces keeps catalog order, applies exclude, and reports unknown names', () => {
  const catalog = ['organization', 'roles', 'integrations'];
  assert.equal(selectSurfaces({ surfaces: { include: 'all', exclude: ['roles'] } }, catalog), { selected: ['organization', 'integrations'], unknown: [] });
  assert.equal(selectSurfaces({ surfaces: { include: ['integrations', 'organization', 'rolez'], exclude: [] } }, catalog), { selected: ['organization', 'integrations'], unknown: ['rolez'] });
});

test('every region the config accepts is one the auth stage connects to, at the same hosts', () => {
  for (const region of GENESYS_REGIONS) {
    const e = resolveEndpoints(region);
    assert.is(e.apiBase, regionHosts(region).apiBase, region);
    assert.is(e.tokenUrl, `${regionHosts(region).loginBase}/oauth/token`, region);
  }
});

test('the checked-in schema file matches the schema the loader uses', () => {
  const file = new URL('../../src/config/driftwarden.schema.json', import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, renderConfigSchema());
  assert.is(readFileSync(file, 'utf8'), renderConfigSchema());
});

test.run();
