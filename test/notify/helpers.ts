// Test wiring: redaction rules, findings redacted the real way, channel configs aimed at the
// local receivers.
import type { Finding } from '../../src/model/findings.ts';
import { findingId, orgId, ruleId, runId, surfaceId } from '../../src/model/ids.ts';
import { compileRedactionRules, type RedactionRules } from '../../src/redact/rules.ts';
import { redactFinding } from '../../src/redact/redact-finding.ts';
import type { Redacted } from '../../src/redact/redacted.ts';
import { SecretString } from '../../src/redact/secret-string.ts';
import type { EmailChannel, PagerDutyChannel, SlackChannel, TeamsChannel, Throttle } from '../../src/route/types.ts';
import type { Receivers } from '../../src/receivers/index.ts';
import type { NotifyContext } from '../../src/notify/notifier.ts';

export const rules: RedactionRules = compileRedactionRules({ fingerprintKey: 'notify-test-fingerprint-key-01' });
export const NO_THROTTLE: Throttle = { minTimeMs: 0, maxConcurrent: 1 };
export const ROUTING_KEY = 'R0utingKey0123456789abcdefABCDEF';

export function makeFinding(i: number, over: Partial<Finding> = {}): Redacted<Finding> {
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  return redactFinding({
    id: findingId(`fnd-${String(i).padStart(4, '0')}`),
    kind: 'drift', org: orgId('acme-prod'), surface: surfaceId('auth-settings'),
    pathText: `authentication.domainAllowlist[${i}]`, rule: ruleId('auth.domain-allowlist'),
    title: `Domain allow-list entry ${i} changed`, severity: severities[i % severities.length]!, sensitivity: 'internal',
    frameworks: [{ framework: 'SOC2', control: 'CC6.6' }], driftKind: 'MODIFIED',
    old: `portal${i}.acme.example`, new: `portal${i}.evil.example`, message: 'Review the change in the admin audit log.',
    ...over,
  }, rules);
}

export const ctx = (key = 'run-0001:channel'): NotifyContext => ({ runId: runId('run-0001'), org: orgId('acme-prod'), idempotencyKey: key });

export const slackChannel = (rx: Receivers): SlackChannel => ({ type: 'slack', name: 'security-slack', url: new SecretString(rx.slack.url, 'slack url'), throttle: NO_THROTTLE });
export const teamsChannel = (rx: Receivers): TeamsChannel => ({ type: 'teams', name: 'security-teams', url: new SecretString(rx.teams.url, 'teams url'), throttle: NO_THROTTLE });
export const pagerdutyChannel = (rx: Receivers): PagerDutyChannel => ({ type: 'pagerduty', name: 'oncall', url: rx.pagerduty.url, routingKey: new SecretString(ROUTING_KEY, 'pd key'), throttle: NO_THROTTLE });
export const emailChannel = (rx: Receivers): EmailChannel => ({
  type: 'email', name: 'compliance-mail', from: 'driftwarden@acme.example', to: ['compliance@acme.example', 'ciso@acme.example'],
  smtp: { host: rx.smtp.host, port: rx.smtp.port, secure: false, requireTLS: false }, throttle: NO_THROTTLE,
});

/** Slack control sequences that a value must never produce. */
export const SLACK_CONTROL = /<[!@#][^>]*>|<(?:https?|mailto):[^>]*>/;
