// What every channel implements, and the receipt it returns. Failures are values, classified as
// retryable or permanent, so the outbox stage can retry exactly what failed.
import type { DwCode } from '../model/errors.ts';
import type { Finding } from '../model/findings.ts';
import type { FindingId, OrgId, RunId } from '../model/ids.ts';
import type { Redacted } from '../redact/redacted.ts';
import type { ChannelType } from '../route/types.ts';

export type NotifyContext = {
  readonly runId: RunId;
  readonly org: OrgId;
  /** Stable for one (run, channel) delivery: a retry of the same digest reuses it (email Message-ID). */
  readonly idempotencyKey: string;
  /** Parts of this delivery acknowledged by an earlier attempt (the outbox resuming after a
   *  failure or crash): reported as delivered and not sent again. */
  readonly deliveredParts?: readonly number[];
  /** Awaited after each acknowledged part, before the next one is sent, so the outbox can
   *  persist progress between the parts of a multi-message digest. */
  readonly onPartDelivered?: (index: number) => Promise<void>;
};

/** Key of one part (one HTTP request / one mail) of a delivery: sent as an `Idempotency-Key`
 *  header (HTTP) or inside the Message-ID (mail), identical on every retry of that part. */
export const partIdempotencyKey = (idempotencyKey: string, index: number): string => `${idempotencyKey}#${index}`;

export type DeliveryError = {
  readonly code: DwCode;
  /** True: try again later (429, 5xx, network, SMTP 4xx). False: fix config or payload first. */
  readonly retryable: boolean;
  readonly message: string;
  readonly httpStatus?: number;
  readonly smtpCode?: number;
  /** From Retry-After, when the service said how long to wait. */
  readonly retryAfterMs?: number;
};

/** One message (or one PagerDuty event) of a delivery. */
export type DeliveryPart = {
  readonly index: number;
  readonly findingIds: readonly FindingId[];
  readonly status: 'delivered' | 'failed' | 'not-attempted';
  readonly httpStatus?: number;
  /** Service-side id: PagerDuty dedup_key, SMTP Message-ID. */
  readonly remoteId?: string;
  readonly error?: DeliveryError;
};

export type DeliveryReceipt = {
  readonly channel: string;
  readonly channelType: ChannelType;
  readonly idempotencyKey: string;
  /** `empty`: nothing to send. `partial`: some parts went out; retry only the others. */
  readonly status: 'delivered' | 'partial' | 'failed' | 'empty';
  readonly parts: readonly DeliveryPart[];
  /** True when every failed part may be retried as is. */
  readonly retryable: boolean;
  /** The first failure, for a one-line report. */
  readonly error?: DeliveryError;
};

export interface Notifier {
  readonly channel: string;
  send(batch: readonly Redacted<Finding>[], ctx: NotifyContext): Promise<DeliveryReceipt>;
  /** Stops the channel's throttle (and closes pooled connections). */
  close?(): Promise<void>;
}

/** Sends parts in order and stops at the first failure: when a webhook answers 429 or 5xx, the
 *  rest would only fail the same way and burn the rate budget. Those parts are `not-attempted`. */
export async function sendParts<P extends { readonly findingIds: readonly FindingId[] }>(
  channel: string, channelType: ChannelType, idempotencyKey: string, parts: readonly P[],
  sendOne: (part: P, index: number) => Promise<{ ok: true; httpStatus?: number; remoteId?: string } | { ok: false; error: DeliveryError }>,
  opts: { readonly stopOnFailure?: boolean; readonly resume?: Pick<NotifyContext, 'deliveredParts' | 'onPartDelivered'> } = {},
): Promise<DeliveryReceipt> {
  const stopOnFailure = opts.stopOnFailure ?? true;
  const done = new Set(opts.resume?.deliveredParts ?? []);
  const results: DeliveryPart[] = [];
  let stopped: DeliveryError | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (done.has(i)) { results.push({ index: i, findingIds: part.findingIds, status: 'delivered' }); continue; }
    if (stopped) {
      results.push({ index: i, findingIds: part.findingIds, status: 'not-attempted',
        error: { code: 'DW5107', retryable: true, message: 'not attempted: an earlier message of this delivery failed' } });
      continue;
    }
    const r = await sendOne(part, i);
    if (r.ok) {
      results.push({ index: i, findingIds: part.findingIds, status: 'delivered', ...(r.httpStatus !== undefined ? { httpStatus: r.httpStatus } : {}), ...(r.remoteId !== undefined ? { remoteId: r.remoteId } : {}) });
      await opts.resume?.onPartDelivered?.(i);
    } else {
      results.push({ index: i, findingIds: part.findingIds, status: 'failed', ...(r.error.httpStatus !== undefined ? { httpStatus: r.error.httpStatus } : {}), error: r.error });
      if (stopOnFailure && r.error.retryable) stopped = r.error;
    }
  }
  return receiptOf(channel, channelType, idempotencyKey, results);
}

export function receiptOf(channel: string, channelType: ChannelType, idempotencyKey: string, parts: readonly DeliveryPart[]): DeliveryReceipt {
  const delivered = parts.filter((p) => p.status === 'delivered').length;
  const failures = parts.filter((p) => p.status !== 'delivered');
  const first = parts.find((p) => p.status === 'failed')?.error;
  const status = parts.length === 0 ? 'empty' : failures.length === 0 ? 'delivered' : delivered > 0 ? 'partial' : 'failed';
  return {
    channel, channelType, idempotencyKey, status, parts,
    retryable: failures.every((p) => p.error?.retryable ?? true),
    ...(first ? { error: first } : {}),
  };
}
