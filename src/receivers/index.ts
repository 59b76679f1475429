// All local receivers at once, for tests and the demo: real sockets on 127.0.0.1, port 0.
import { startSlackReceiver, type SlackReceiver } from './slack.ts';
import { startTeamsReceiver, type TeamsReceiver } from './teams.ts';
import { startPagerDutyReceiver, type PagerDutyReceiver } from './pagerduty.ts';
import { startSmtpReceiver, type SmtpReceiver } from './smtp.ts';
import { SecretString } from '../redact/secret-string.ts';
import type { EmailChannel, PagerDutyChannel, SlackChannel, TeamsChannel, Throttle } from '../route/types.ts';

export type Receivers = {
  readonly slack: SlackReceiver;
  readonly teams: TeamsReceiver;
  readonly pagerduty: PagerDutyReceiver;
  readonly smtp: SmtpReceiver;
  /** Every byte any receiver got, for leak scans: HTTP bodies and raw mail. */
  allReceivedText(): string;
  close(): Promise<void>;
};

export async function startReceivers(): Promise<Receivers> {
  const [slack, teams, pagerduty, smtp] = await Promise.all([startSlackReceiver(), startTeamsReceiver(), startPagerDutyReceiver(), startSmtpReceiver()]);
  return {
    slack, teams, pagerduty, smtp,
    allReceivedText: () => [
      ...[slack, teams, pagerduty].flatMap((r) => r.received.map((q) => `${JSON.stringify(q.headers)}\n${q.body}`)),
      ...smtp.received.map((m) => m.raw),
    ].join('\n'),
    close: async () => { await Promise.all([slack.close(), teams.close(), pagerduty.close(), smtp.close()]); },
  };
}

/** A routing key the PagerDuty receiver accepts (32 characters, like a real integration key). */
export const LOCAL_ROUTING_KEY = 'driftwardenLocalRoutingKey000001';

/** Channel configs aimed at the local receivers, for the demo and end-to-end tests. Throttles are
 *  off by default: the receivers do not rate-limit unless told to with `fail`. */
export function receiverChannels(rx: Receivers, throttle: Throttle = { minTimeMs: 0, maxConcurrent: 1 }): {
  slack: SlackChannel; teams: TeamsChannel; pagerduty: PagerDutyChannel; email: EmailChannel;
} {
  return {
    slack: { type: 'slack', name: 'slack', url: new SecretString(rx.slack.url, 'slack webhook url'), throttle },
    teams: { type: 'teams', name: 'teams', url: new SecretString(rx.teams.url, 'teams webhook url'), throttle },
    pagerduty: { type: 'pagerduty', name: 'pagerduty', url: rx.pagerduty.url, routingKey: new SecretString(LOCAL_ROUTING_KEY, 'pagerduty routing key'), throttle },
    email: {
      type: 'email', name: 'email', from: 'driftwarden@localhost.invalid', to: ['compliance@localhost.invalid'], throttle,
      smtp: { host: rx.smtp.host, port: rx.smtp.port, secure: false, requireTLS: false },
    },
  };
}

export type { SlackReceiver, TeamsReceiver, PagerDutyReceiver, SmtpReceiver };
