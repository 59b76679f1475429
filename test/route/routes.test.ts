import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRoutes, parseRoutes } from '../../src/route/load-routes.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeFindings, channelsFor } from '../../src/route/route-findings.ts';
import { globMatch } from '../../src/route/glob.ts';
import { DwFailure, formatDwError } from '../../src/model/errors.ts';
import type { Finding } from '../../src/model/findings.ts';
import { findingId, orgId, ruleId, surfaceId, type FindingId } from '../../src/model/ids.ts';
import { markRedacted, type Redacted } from '../../src/redact/redacted.ts';
import type { FindingState } from '../../src/route/types.ts';

const ENV = { SLACK_URL: 'https://hooks.slack.com/services/T1/B1/abc', PD_KEY: 'k'.repeat(32), SMTP_PW: 'pw-123456' };
const YAML = `
version: 1
reminderInterval: 12h
channels:
  oncall: { type: pagerduty, routingKeyEnv: PD_KEY }
  security: { type: slack, urlEnv: SLACK_URL }
  teams: { type: teams, url: "https://example.invalid/workflows/x" }
  compliance:
    type: email
    from: driftwarden@acme.example
    to: [compliance@acme.example]
    smtp: { host: 127.0.0.1, port: 2525, user: dw, passwordEnv: SMTP_PW }
routes:
  - name: page-critical
    match: { severityAtLeast: critical }
    channels: oncall
    continue: true
  - name: soc2-to-compliance
    match: { framework: SOC2, path: "authentication.**" }
    channels: [compliance]
  - name: exactly-medium-roles
    match: { severity: medium, surface: "role*" }
    channels: [teams]
  - name: secret-or-regressed
    match: { sensitivity: secret, state: [regressed] }
    channels: [oncall, security]
  - name: other-org
    match: { org: beta-org, kind: posture, rule: "mfa.*" }
    channels: [teams]
  - name: critical-catch
    match: { severityAtLeast: critical }
    channels: [security]
default:
  channels: [security]
`;

const table = parseRoutes(YAML, 'routes.yaml', ENV);

// Routing is tested on plain findings branded for the test; redaction has its own suite.
const f = (over: Partial<Finding>): Redacted<Finding> => markRedacted({
  id: findingId(`f-${Math.abs(JSON.stringify(over).split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7))}`),
  kind: 'drift', org: orgId('acme'), surface: surfaceId('auth-settings'), pathText: 'authentication.mfa', rule: ruleId('auth.mfa'),
  title: 't', severity: 'low', sensitivity: 'internal', frameworks: [], ...over,
});

test('loads channels with secrets from the environment', () => {
  const sl = table.channels.get('security');
  assert.is(sl?.type, 'slack');
  if (sl?.type === 'slack') assert.is(sl.url.reveal(), ENV.SLACK_URL);
  const pd = table.channels.get('oncall');
  if (pd?.type === 'pagerduty') assert.is(pd.url, 'https://events.pagerduty.com/v2/enqueue');
  assert.is(table.reminderIntervalMs, 12 * 3_600_000);
  assert.is(JSON.stringify(sl), JSON.stringify(sl).replace(ENV.SLACK_URL, ''), 'the URL never serializes');
});

test('first match wins; continue lets later rules match too', () => {
  const critical = f({ severity: 'critical', frameworks: [{ framework: 'SOC2', control: 'CC6.1' }], pathText: 'authentication.ipAddressAllowlist[=x]' });
  assert.equal(channelsFor(critical, table), ['oncall', 'compliance']); // page-critical continues, soc2 stops before critical-catch
  const highSoc2 = f({ severity: 'high', frameworks: [{ framework: 'SOC2', control: 'CC6.1' }], pathText: 'authentication.mfa' });
  assert.equal(channelsFor(highSoc2, table), ['compliance']);
});

test('severityAtLeast vs severity exactly', () => {
  assert.equal(channelsFor(f({ severity: 'medium', surface: surfaceId('roles') }), table), ['teams']);
  assert.equal(channelsFor(f({ severity: 'high', surface: surfaceId('roles') }), table), ['security'], 'high is not exactly medium -> default');
  assert.equal(channelsFor(f({ severity: 'critical', surface: surfaceId('roles') }), table), ['oncall', 'security']);
});

test('path glob: ** crosses segments, * does not', () => {
  assert.ok(globMatch('authentication.**', 'authentication.passwordRequirements.minimumLength'));
  assert.not.ok(globMatch('authentication.*', 'authentication.passwordRequirements.minimumLength'));
  assert.ok(globMatch('entities[id=*].name', 'entities[id=abc].name'));
  const outside = f({ frameworks: [{ framework: 'SOC2', control: 'CC6.1' }], pathText: 'features.hipaa' });
  assert.equal(channelsFor(outside, table), ['security']);
});

test('framework matches by name or framework:control', () => {
  const t2 = parseRoutes(`
channels: { s: { type: slack, url: "https://x.invalid/a" }, t: { type: teams, url: "https://x.invalid/b" } }
routes:
  - { match: { framework: "ISO27001:A.9.*" }, channels: [t] }
default: { channels: [s] }
`, 'r.yaml', {});
  assert.equal(channelsFor(f({ frameworks: [{ framework: 'ISO27001', control: 'A.9.2' }] }), t2), ['t']);
  assert.equal(channelsFor(f({ frameworks: [{ framework: 'ISO27001', control: 'A.12.1' }] }), t2), ['s']);
});

test('state, org, kind and rule conditions; unknown state never matches a state rule', () => {
  const secret = f({ sensitivity: 'secret' });
  const states = new Map<FindingId, FindingState>([[secret.id, 'regressed']]);
  assert.equal(channelsFor(secret, table, 'regressed'), ['oncall', 'security']);
  assert.equal(channelsFor(secret, table, undefined), ['security']);
  const routed = routeFindings([secret], table, { states });
  assert.equal([...routed.keys()], ['oncall', 'security']);
  assert.equal(channelsFor(f({ org: orgId('beta-org'), kind: 'posture', rule: ruleId('mfa.required') }), table), ['teams']);
  assert.equal(channelsFor(f({ org: orgId('beta-org'), kind: 'drift', rule: ruleId('mfa.required') }), table), ['security']);
});

test('routeFindings groups by channel, keeps input order, is pure', () => {
  const a = f({ severity: 'critical', title: 'a' });
  const b = f({ severity: 'low', title: 'b' });
  const c = f({ severity: 'critical', title: 'c' });
  const input = [a, b, c];
  const snapshot = JSON.stringify(input);
  const out = routeFindings(input, table);
  assert.equal(out.get('oncall')?.map((x) => x.title), ['a', 'c']);
  assert.equal(out.get('security')?.map((x) => x.title), ['a', 'b', 'c']);
  assert.is(JSON.stringify(input), snapshot);
  assert.equal(routeFindings(input, table), out);
});

test('default route with no channels drops unmatched findings', () => {
  const t = parseRoutes(`
channels: { s: { type: slack, url: "https://x.invalid/a" } }
routes: [ { match: { severityAtLeast: high }, channels: [s] } ]
`, 'r.yaml', {});
  assert.is(routeFindings([f({ severity: 'low' })], t).size, 0);
});

const failure = (text: string, env: Record<string, string> = {}) => {
  try { parseRoutes(text, 'routes.yaml', env); } catch (e) { if (e instanceof DwFailure) return e.error; throw e; }
  throw new Error('expected a DwFailure');
};

test('schema errors name file:line:col', () => {
  const e = failure(`channels:
  s: { type: slack, url: "https://x.invalid" }
routes:
  - match: { severityAtLeast: urgent }
    channels: [s]
`);
  assert.is(e.code, 'DW5011');
  assert.equal(e.at, { file: 'routes.yaml', line: 4, col: 31 });
  assert.match(formatDwError(e), /^routes\.yaml:4:31 DW5011 routes\.0\.match\.severityAtLeast: must be one of/);
});

test('unknown key, unknown channel, missing env var and bad routing key point at the node', () => {
  const unknownKey = failure(`channels:\n  s: { type: slack, url: "https://x.invalid/u", colour: red }\nroutes: []\n`);
  assert.is(unknownKey.code, 'DW5011');
  assert.equal(unknownKey.at?.line, 2);
  const unknownChannel = failure(`channels:\n  s: { type: slack, url: "https://x.invalid/u" }\nroutes:\n  - channels: [s, nope]\n`);
  assert.is(unknownChannel.code, 'DW5013');
  assert.equal(unknownChannel.at, { file: 'routes.yaml', line: 4, col: 19 });
  const env = failure(`channels:\n  s: { type: slack, urlEnv: MISSING_URL }\nroutes: []\n`);
  assert.is(env.code, 'DW5014');
  assert.equal(env.at, { file: 'routes.yaml', line: 2, col: 29 });
  const pd = failure(`channels:\n  p: { type: pagerduty, routingKey: short }\nroutes: []\n`);
  assert.is(pd.code, 'DW5015');
  const syntax = failure(`channels: [\n`);
  assert.is(syntax.code, 'DW5010');
  const clear = failure(`channels:\n  s: { type: slack, url: "http://hooks.example.com/x" }\nroutes: []\n`);
  assert.is(clear.code, 'DW5018');
  assert.equal(clear.at?.line, 2);
  const mail = failure(`channels:\n  m: { type: email, from: "a@b.c\\r\\nBcc: x@y.z", to: a@b.c, smtp: { host: h, port: 25 } }\nroutes: []\n`);
  assert.is(mail.code, 'DW5011');
});

test('loadRoutes reads a file; a missing file is DW5012', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-routes-'));
  const file = join(dir, 'routes.yaml');
  writeFileSync(file, 'channels: { s: { type: slack, url: "http://127.0.0.1:9/x" } }\nroutes: []\ndefault: { channels: [s] }\n');
  assert.equal(loadRoutes(file, {}).defaultChannels, ['s']);
  try { loadRoutes(join(dir, 'nope.yaml'), {}); assert.unreachable(); }
  catch (e) { assert.is((e as DwFailure).error.code, 'DW5012'); }
  rmSync(dir, { recursive: true });
});

test.run();
