// The shipped examples must stay valid: a user copies them first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { loadRoutes } from '../src/route/load-routes.ts';
import { loadWaivers } from '../src/waivers/index.ts';
import { buildBundle } from '../src/policy/bundle.ts';
import { createPolicyEngine, ENTRYPOINT } from '../src/policy/engine.ts';

const EX = resolve('examples');

test('examples/driftwarden.yaml is a valid configuration', () => {
  const c = loadConfig(join(EX, 'driftwarden.yaml'));
  assert.equal(c.orgs.map((o) => o.id), ['acme-us', 'acme-eu']);
  assert.is(c.orgs[0]!.apiBase, 'https://api.mypurecloud.com');
  assert.is(c.routes, join(EX, 'routes.yaml'));
});

test('examples/routes.yaml is a valid routing table once its secrets are in the environment', () => {
  const env = {
    PAGERDUTY_ROUTING_KEY: 'R'.repeat(32), SLACK_SECURITY_WEBHOOK: 'https://hooks.slack.com/services/T0/B0/x',
    TEAMS_COMPLIANCE_WEBHOOK: 'https://example.webhook.office.com/workflows/x', SMTP_PASSWORD: 'p',
  };
  const table = loadRoutes(join(EX, 'routes.yaml'), env);
  assert.ok(table);
});

test('examples/policy-data.yaml tunes the shipped policies', async () => {
  const bundle = buildBundle({ dirs: [resolve('policies')], dataFiles: [join(EX, 'policy-data.yaml')], entrypoints: [ENTRYPOINT], base: process.cwd(), cacheDir: false });
  const engine = await createPolicyEngine(bundle);
  const v = await engine.evaluate({
    org: 'x', baseline: {}, drift: [], gaps: [],
    snapshot: { 'authentication-settings': { multifactorAuthenticationRequired: true, passwordRequirements: { minimumLength: 12 }, ipAddressAllowlist: ['203.0.113.0/24', '10.0.0.0/8'] } },
  });
  const rules = v.posture.map((p) => p.rule).sort();
  // 12 < 14 from the data file; 10.0.0.0/8 is outside the allowed ranges.
  assert.equal(rules, ['driftwarden.posture.ip_allowlist_outside_allowed', 'driftwarden.posture.password_too_short']);
});

test('examples/waivers.yaml is valid under the example config\'s waiver policy', () => {
  const c = loadConfig(join(EX, 'driftwarden.yaml'));
  const w = loadWaivers(c.waivers!, c.waiverPolicy, new Date('2026-11-25T00:00:00Z'));
  assert.equal(w.map((x) => x.id), ['W-2026-014', 'W-2026-015']);
});

test.run();
