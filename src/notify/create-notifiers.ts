// One notifier per declared channel of a routing table.
import type { ChannelConfig, RouteTable } from '../route/types.ts';
import type { Notifier } from './notifier.ts';
import { createSlackNotifier, type ChannelOptions } from './slack.ts';
import { createTeamsNotifier } from './teams.ts';
import { createPagerDutyNotifier } from './pagerduty.ts';
import { createEmailNotifier } from './email.ts';

export function createNotifier(channel: ChannelConfig, opts: ChannelOptions = {}): Notifier {
  switch (channel.type) {
    case 'slack': return createSlackNotifier(channel, opts);
    case 'teams': return createTeamsNotifier(channel, opts);
    case 'pagerduty': return createPagerDutyNotifier(channel, opts);
    case 'email': return createEmailNotifier(channel, opts);
  }
}

export function createNotifiers(table: RouteTable, opts: ChannelOptions = {}): ReadonlyMap<string, Notifier> {
  return new Map([...table.channels].map(([name, c]) => [name, createNotifier(c, opts)]));
}

/** Every credential a routing table holds: pass them as `knownSecrets` to redaction and notifiers. */
export function channelSecrets(table: RouteTable) {
  return [...table.channels.values()].flatMap((c) =>
    c.type === 'slack' || c.type === 'teams' ? [c.url] : c.type === 'pagerduty' ? [c.routingKey] : c.smtp.password ? [c.smtp.password] : []);
}
