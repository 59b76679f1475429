// PagerDuty Events API v2: one event per finding with dedup_key = finding id, so repeated runs
// fold into one incident and `resolve` closes it when the drift is reverted.
import type { Severity } from '../model/findings.ts';
import type { FindingId } from '../model/ids.ts';
import type { PagerDutyChannel } from '../route/types.ts';
import { SecretString } from '../redact/secret-string.ts';
import { postJson } from './http.ts';
import { partIdempotencyKey, sendParts, type DeliveryReceipt, type Notifier, type NotifyContext } from './notifier.ts';
import { bySeverity, clip, frameworksText, oneLine, previewValue, type RF } from './render.ts';
import { createLimiter } from './throttle.ts';
import type { ChannelOptions } from './slack.ts';

export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, 'critical' | 'error' | 'warning' | 'info'>> = {
  critical: 'critical', high: 'error', medium: 'warning', low: 'info', info: 'info',
};
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, valuePreview: 4000 } as const;

export type PagerDutyEvent = {
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: Record<string, unknown>;
  readonly client?: string;
};

/** Pure: the trigger event for one finding (without routing_key, which is added at send time). */
export function triggerEvent(f: RF, ctx: NotifyContext, now: Date): PagerDutyEvent {
  const summary = oneLine(`[${f.severity}] ${f.title} — ${f.surface} ${f.pathText} (${ctx.org})`);
  return {
    event_action: 'trigger',
    dedup_key: clip(f.id, PAGERDUTY_LIMITS.dedupKey),
    client: 'driftwarden',
    payload: {
      summary: clip(summary, PAGERDUTY_LIMITS.summary),
      source: clip(`genesys-cloud:${f.org}`, 255),
      severity: PAGERDUTY_SEVERITY[f.severity],
      timestamp: now.toISOString(),
      component: clip(f.surface, 255),
      group: clip(f.frameworks[0]?.framework ?? f.surface, 255),
      class: clip(f.rule, 255),
      custom_details: {
        finding: f.id, run: ctx.runId, kind: f.kind, path: f.pathText, change: f.driftKind ?? null,
        old: f.old === undefined ? null : previewValue(f.old, PAGERDUTY_LIMITS.valuePreview),
        new: f.new === undefined ? null : previewValue(f.new, PAGERDUTY_LIMITS.valuePreview),
        frameworks: frameworksText(f), sensitivity: f.sensitivity,
        ...(f.message ? { message: clip(f.message, 2000) } : {}),
      },
    },
  };
}

export const resolveEvent = (id: FindingId): PagerDutyEvent => ({ event_action: 'resolve', dedup_key: clip(id, PAGERDUTY_LIMITS.dedupKey) });

export interface PagerDutyNotifier extends Notifier {
  /** Closes the incidents of findings that are no longer present (drift reverted). */
  resolve(findingIds: readonly FindingId[], ctx: NotifyContext): Promise<DeliveryReceipt>;
}

export function createPagerDutyNotifier(channel: PagerDutyChannel, opts: ChannelOptions = {}): PagerDutyNotifier {
  const limiter = createLimiter(channel.throttle);
  const url = new SecretString(channel.url, `${channel.name} events url`);
  const guardSecrets = [...(opts.knownSecrets ?? []), channel.routingKey];
  const now = opts.now ?? (() => new Date());

  const deliver = (events: readonly { event: PagerDutyEvent; findingIds: readonly FindingId[] }[], ctx: NotifyContext) =>
    // Events are independent incidents: one failing permanently must not hold back the others,
    // but a 429/5xx stops the run (the rest would fail the same way).
    sendParts(channel.name, 'pagerduty', ctx.idempotencyKey, events, async ({ event }, i) => {
      const body = { routing_key: channel.routingKey.reveal(), ...event };
      const r = await limiter.schedule(() => postJson(url, body, {
        guardSecrets, guardText: JSON.stringify(event), idempotencyKey: partIdempotencyKey(ctx.idempotencyKey, i),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      }));
      if (!r.ok) return r;
      let remoteId = event.dedup_key;
      try { remoteId = String((JSON.parse(r.body) as { dedup_key?: string }).dedup_key ?? remoteId); } catch { /* keep ours */ }
      return { ok: true, httpStatus: r.httpStatus, remoteId };
    }, { resume: ctx });

  return {
    channel: channel.name,
    send(batch, ctx) {
      const t = now();
      return deliver(bySeverity(batch).map((f) => ({ event: triggerEvent(f, ctx, t), findingIds: [f.id] })), ctx);
    },
    resolve(findingIds, ctx) {
      return deliver(findingIds.map((id) => ({ event: resolveEvent(id), findingIds: [id] })), ctx);
    },
    close: () => limiter.stop(),
  };
}
