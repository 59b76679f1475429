// routes.yaml → redact → route → one digest per channel → local receivers, the way the pipeline
// will wire it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceivers, LOCAL_ROUTING_KEY, type Receivers } from '../../src/receivers/index.ts';
import { parseRoutes } from '../../src/route/load-routes.ts';
import { routeFindings } from '../../src/route/route-findings.ts';
import { createNotifiers, channelSecrets } from '../../src/notify/create-notifiers.ts';
import { compileRedactionRules } from '../../src/redact/rules.ts';
import { redactFinding } from '../../src/redact/redact-finding.ts';
import { findingId, orgId, ruleId, runId, surfaceId } from '../../src/model/ids.ts';
import type { Finding, Severity } from '../../src/model/findings.ts';
import type { Notifier } from '../../src/notify/notifier.ts';

const t = suite<{ rx: Receivers; notifiers: Notifier[] }>('route and deliver', { rx: undefined as never, notifiers: [] });
t.before(async (c) => { c.rx = await startReceivers(); });
t.after(async (c) => { await Promise.all(c.notifiers.map((n) => n.close?.())); await c.rx.close(); });

const raw = (i: number, severity: Severity, framework: string): Finding => ({
  id: findingId(`fnd-${i}`), kind: 'drift', org: orgId('acme-prod'), surface: surfaceId('auth-settings'),
  pathText: `authentication.setting${i}`, rule: ruleId('auth.settings'), title: `Setting ${i} changed`,
  severity, sensitivity: 'internal', frameworks: [{ framework, control: 'X.1' }], driftKind: 'MODIFIED', old: i, new: i + 1,
});

t('each channel gets exactly its findings, in one digest', async (c) => {
  const env = { SLACK_URL: c.rx.slack.url, TEAMS_URL: c.rx.teams.url, PD_KEY: LOCAL_ROUTING_KEY };
  const table = parseRoutes(`
channels:
  oncall: { type: pagerduty, routingKeyEnv: PD_KEY, url: "${c.rx.pagerduty.url}", throttle: { minTimeMs: 0 } }
  security: { type: slack, urlEnv: SLACK_URL, throttle: { minTimeMs: 0 } }
  it: { type: teams, urlEnv: TEAMS_URL, throttle: { minTimeMs: 0 } }
  compliance: { type: email, from: dw@acme.example, to: audit@acme.example, smtp: { host: 127.0.0.1, port: ${c.rx.smtp.port} }, throttle: { minTimeMs: 0 } }
routes:
  - { match: { severityAtLeast: high }, channels: [oncall], continue: true }
  - { match: { framework: HIPAA }, channels: [compliance] }
  - { match: { severityAtLeast: medium }, channels: [security] }
default: { channels: [it] }
`, 'routes.yaml', env);
  const rules = compileRedactionRules({ fingerprintKey: 'route-and-deliver-key-000001', knownSecrets: channelSecrets(table) });
  const findings = [raw(1, 'critical', 'SOC2'), raw(2, 'high', 'HIPAA'), raw(3, 'medium', 'SOC2'), raw(4, 'low', 'SOC2'), raw(5, 'info', 'HIPAA')]
    .map((f) => redactFinding(f, rules));
  const routed = routeFindings(findings, table);
  const notifiers = createNotifiers(table, { knownSecrets: channelSecrets(table) });
  c.notifiers.push(...notifiers.values());
  const receipts = await Promise.all([...routed].map(([name, batch]) => notifiers.get(name)!.send(batch, { runId: runId('run-9'), org: orgId('acme-prod'), idempotencyKey: `run-9:${name}` })));
  assert.ok(receipts.every((r) => r.status === 'delivered'), JSON.stringify(receipts.map((r) => r.error)));

  assert.equal((c.rx.pagerduty.accepted as { dedup_key: string }[]).map((e) => e.dedup_key).sort(), ['fnd-1', 'fnd-2']);
  assert.is(c.rx.smtp.received.length, 1);
  assert.is(c.rx.smtp.received[0]!.parsed.header('x-driftwarden-finding'), 'fnd-2, fnd-5');
  assert.is(c.rx.slack.accepted.length, 1, 'one digest, not one message per finding');
  const slackText = JSON.stringify(c.rx.slack.accepted[0]);
  assert.ok(slackText.includes('Setting 1 changed') && slackText.includes('Setting 3 changed') && !slackText.includes('Setting 2 changed'));
  const teamsText = JSON.stringify(c.rx.teams.accepted);
  assert.ok(teamsText.includes('Setting 4 changed') && !teamsText.includes('Setting 3 changed'));
  assert.not.ok(c.rx.allReceivedText().includes(c.rx.slack.url), 'no webhook URL echoed into any message');
});

t.run();
