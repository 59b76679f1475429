// The durable outbox (issue 5 §6): messages are written in the run's transaction and delivered
// after commit, per channel in order, with retries; a crash at any point loses nothing and, as
// seen by the receivers, sends nothing twice. See README.md in this folder for the protocol.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Outbox, DeliveryOutcome } from '../../pipeline/stages.ts';
import type { Store } from '../../store/store.ts';
import type { RouteTable } from '../../route/types.ts';
import type { Finding, RunRecord } from '../../model/findings.ts';
import { findingId, ruleId, surfaceId } from '../../model/ids.ts';
import type { Redacted } from '../../redact/redacted.ts';
import type { RedactionRules } from '../../redact/rules.ts';
import { redactFinding } from '../../redact/redact-finding.ts';
import type { DeliveryError, DeliveryReceipt, Notifier, NotifyContext } from '../notifier.ts';
import type { PagerDutyNotifier } from '../pagerduty.ts';
import { planOutbox } from './plan.ts';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './retry.ts';
import {
  claimMessage, deleteNotificationState, insertMessage, listMessages, listUndelivered, loadNotificationState, markDead, markDelivered,
  markFailed, recordPartDelivered, requeueDead, saveNotificationState, type MessageQuery, type OutboxMessage,
} from './rows.ts';

/** Points of a delivery where a test can stop the process (crash-safety tests). */
export const CHECKPOINTS = ['claimed', 'acked', 'part-recorded', 'sent', 'settled'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

export type OutboxDeps = {
  readonly store: Store;
  readonly table: RouteTable;
  readonly notifiers: ReadonlyMap<string, Notifier>;
  /** Redacts the "channel is dead" announcements like any finding. */
  readonly redaction: RedactionRules;
  /** Re-send an unchanged open finding after this long; Infinity = never. */
  readonly reminderMs: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): jitter. Seed it in tests. */
  readonly random?: () => number;
  /** Called synchronously at each checkpoint of a send (tests stop the process there). */
  readonly onCheckpoint?: (point: Checkpoint, message: { readonly channel: string; readonly idempotencyKey: string }) => void;
};

export interface DurableOutbox extends Outbox {
  /** Messages for `driftwarden outbox`: pending, dead, ... */
  list(query?: MessageQuery): Promise<readonly OutboxMessage[]>;
  /** Puts dead messages (all, or those ids) back in line; the next deliver() sends them. */
  retryDead(ids?: readonly string[]): Promise<number>;
  /** Stops the notifiers' throttles. */
  close(): Promise<void>;
}

type Tally = Map<string, Map<string, { readonly status: 'delivered' | 'pending' | 'dead'; readonly detail: string }>>;

/** Claims of outbox instances delivering in this process right now (a same-pid claim that is
 *  not here belongs to an instance that died with an exception: it may be taken over). */
const activeClaims = new Set<string>();
const HOST = hostname().replace(/\|/g, '_');

export function createOutbox(deps: OutboxDeps): DurableOutbox {
  const { store, table, notifiers } = deps;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const checkpoint = deps.onCheckpoint ?? (() => {});
  const claim = `${HOST}|${process.pid}|${randomBytes(6).toString('hex')}`;
  let queue: Promise<unknown> = Promise.resolve();

  /** True while another live sender holds the message: then its channel waits (order). */
  function heldElsewhere(m: OutboxMessage): boolean {
    if (m.status !== 'delivering' || m.claim === '' || m.claim === claim) return false;
    if (Date.parse(m.leaseUntil) <= now().getTime()) return false;
    const [host, pidText] = m.claim.split('|');
    if (host !== HOST) return true; // cannot see that process: trust the lease
    const pid = Number(pidText);
    if (pid === process.pid) return activeClaims.has(m.claim);
    try { process.kill(pid, 0); return true; } catch (e) { return (e as { code?: string }).code === 'EPERM'; }
  }

  async function send(notifier: Notifier, m: OutboxMessage, parts: number[]): Promise<DeliveryReceipt> {
    const failed = (error: DeliveryError): DeliveryReceipt => ({
      channel: m.channel, channelType: table.channels.get(m.channel)?.type ?? 'slack', idempotencyKey: m.idempotencyKey,
      status: 'failed', retryable: error.retryable, error, parts: [{ index: 0, findingIds: m.findingIds, status: 'failed', error }],
    });
    const ctx: NotifyContext = {
      runId: m.runId, org: m.org, idempotencyKey: m.idempotencyKey, deliveredParts: [...parts],
      onPartDelivered: async (i) => {
        checkpoint('acked', m);
        parts.push(i);
        await recordPartDelivered(store, m.id, claim, parts);
        checkpoint('part-recorded', m);
      },
    };
    try {
      if (m.kind === 'resolve') {
        const pd = notifier as Partial<PagerDutyNotifier>;
        if (typeof pd.resolve !== 'function') return failed({ code: 'DW5304', retryable: false, message: `channel "${m.channel}" cannot resolve incidents (not PagerDuty)` });
        return await pd.resolve.call(notifier, m.findingIds, ctx);
      }
      // Written by enqueue from Redacted<Finding> values (or a redacted notice): stored JSON of
      // redacted data is still redacted.
      return await notifier.send(JSON.parse(m.payloadJson) as Redacted<Finding>[], ctx);
    } catch (e) {
      // A notifier should return failures as values; a throw is treated as retryable.
      return failed({ code: 'DW5302', retryable: true, message: `notifier threw: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) });
    }
  }

  /** Gives up on a message and, in the same transaction, tells the other channels. */
  async function bury(m: OutboxMessage, by: string, error: string, tally: Tally): Promise<boolean> {
    const announced = await store.transaction(async (tx) => {
      if (!(await markDead(tx, m.id, by, error))) return -1;
      if (m.kind === 'notice') return 0; // no announcements of announcements
      let n = 0;
      const notice = deadChannelNotice(m, error, deps.redaction);
      // At most one announcement per dead channel, per other channel, per hour: several dead
      // messages (one per run while a webhook is revoked) are one piece of news.
      const hour = now().toISOString().slice(0, 13).replace(/\D/g, '');
      const dead = createHash('sha256').update(m.channel).digest('hex').slice(0, 12);
      for (const other of notifiers.keys()) {
        if (other === m.channel) continue;
        const key = `notice:${hour}:${dead}:${other}`;
        if (await insertMessage(tx, { idempotencyKey: key, runId: m.runId, org: m.org, channel: other, kind: 'notice', payloadJson: JSON.stringify([notice]), findingIds: [notice.id] }, now().toISOString())) n++;
      }
      return n;
    });
    if (announced >= 0) note(tally, m, 'dead', error);
    return announced > 0;
  }

  /** Sends one channel's messages in sequence; stops at the first that must wait. Returns true
   *  when a dead message was announced on other channels (they need another pass). */
  async function deliverChannel(channel: string, messages: readonly OutboxMessage[], tally: Tally): Promise<boolean> {
    let announced = false;
    const notifier = notifiers.get(channel);
    /** The channel stops here; the messages behind `i` keep their place in line. */
    const wait = (i: number, why: string): boolean => {
      note(tally, messages[i]!, 'pending', why);
      for (const later of messages.slice(i + 1)) note(tally, later, 'pending', 'waiting behind an earlier message');
      return announced;
    };
    for (let i = 0; i < messages.length; i++) {
      let m = messages[i]!;
      if (!notifier) {
        if (heldElsewhere(m)) return wait(i, 'being sent by another process');
        announced = (await bury(m, m.claim, `DW5301 channel "${channel}" is not in routes.yaml any more`, tally)) || announced;
        continue;
      }
      for (;;) {
        const waitMs = Date.parse(m.nextAttemptAt) - now().getTime();
        if (waitMs > 0) {
          // Later messages of this channel wait behind it: order is kept.
          if (waitMs > policy.maxInlineWaitMs) return wait(i, `attempt ${m.attempts + 1} due ${m.nextAttemptAt}${m.lastError ? ` after ${m.lastError}` : ''}`);
          await sleep(waitMs);
        }
        if (heldElsewhere(m)) return wait(i, 'being sent by another process');
        if (!(await claimMessage(store, m, claim, new Date(now().getTime() + policy.leaseMs).toISOString()))) return wait(i, 'taken by another sender');
        m = { ...m, status: 'delivering', attempts: m.attempts + 1, claim };
        checkpoint('claimed', m);
        const parts = [...m.partsDelivered];
        const receipt = await send(notifier, m, parts);
        checkpoint('sent', m);
        if (receipt.status === 'delivered' || receipt.status === 'empty') {
          await markDelivered(store, m.id, claim, now().toISOString());
          checkpoint('settled', m);
          note(tally, m, 'delivered', '');
          break;
        }
        const err = receipt.error ?? { code: 'DW5302', retryable: true, message: `delivery ${receipt.status}` };
        const text = `${err.code} ${err.message}`;
        if (!receipt.retryable) {
          announced = (await bury(m, claim, text, tally)) || announced;
          checkpoint('settled', m);
          break;
        }
        if (m.attempts >= policy.maxAttempts) {
          announced = (await bury(m, claim, `DW5303 gave up after ${m.attempts} attempts; last: ${text}`, tally)) || announced;
          checkpoint('settled', m);
          break;
        }
        const next = new Date(now().getTime() + retryDelayMs(policy, m.attempts, err.retryAfterMs, random)).toISOString();
        await markFailed(store, m.id, claim, text, next);
        checkpoint('settled', m);
        m = { ...m, status: 'failed', nextAttemptAt: next, lastError: text, partsDelivered: parts };
      }
    }
    return announced;
  }

  async function deliverAll(): Promise<readonly DeliveryOutcome[]> {
    const tally: Tally = new Map();
    activeClaims.add(claim);
    try {
      // A dead message enqueues announcements on the other channels: deliver those too.
      for (let pass = 0; pass < 3; pass++) {
        const byChannel = new Map<string, OutboxMessage[]>();
        for (const m of await listUndelivered(store)) {
          const list = byChannel.get(m.channel);
          if (list) list.push(m); else byChannel.set(m.channel, [m]);
        }
        // Channels are independent: a slow or rate-limited webhook never delays a page.
        const announced = await Promise.all([...byChannel].map(([c, list]) => deliverChannel(c, list, tally)));
        if (!announced.some(Boolean)) break;
      }
    } finally { activeClaims.delete(claim); }
    return outcomes(tally);
  }

  return {
    async enqueue(tx, run: RunRecord, findings, resolved) {
      const at = now();
      const plan = planOutbox({ run, findings, resolved, table, previous: await loadNotificationState(tx, run.org), now: at, reminderMs: deps.reminderMs });
      let inserted = 0;
      for (const m of plan.messages) if (await insertMessage(tx, m, at.toISOString())) inserted++;
      for (const s of plan.save) await saveNotificationState(tx, run.org, run.id, s);
      for (const f of plan.forget) await deleteNotificationState(tx, f.findingId, f.channel);
      return inserted;
    },
    deliver() {
      // One delivery at a time per outbox: the same claim must not be used by two loops.
      const run = queue.then(deliverAll, deliverAll);
      queue = run.catch(() => undefined);
      return run;
    },
    list: (query) => listMessages(store, query),
    retryDead: (ids) => requeueDead(store, now().toISOString(), ids),
    async close() { await Promise.all([...notifiers.values()].map((n) => n.close?.())); },
  };
}

function note(tally: Tally, m: OutboxMessage, status: 'delivered' | 'pending' | 'dead', detail: string): void {
  let t = tally.get(m.channel);
  if (!t) tally.set(m.channel, (t = new Map()));
  t.set(m.id, { status, detail });
}

/** One line per channel for the run report: delivered / waiting / dead, with the first reason. */
function outcomes(tally: Tally): DeliveryOutcome[] {
  return [...tally].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([channel, byId]) => {
    const all = [...byId.values()];
    const of = (s: string) => all.filter((x) => x.status === s);
    const delivered = of('delivered'), pending = of('pending'), dead = of('dead');
    const detail = [
      delivered.length ? `${delivered.length} delivered` : '',
      pending.length ? `${pending.length} waiting (${pending[0]!.detail})` : '',
      dead.length ? `${dead.length} dead (${dead[0]!.detail})` : '',
    ].filter(Boolean).join('; ');
    return { channel, status: dead.length ? 'dead' : pending.length ? 'pending' : 'delivered', detail };
  });
}

/** The announcement of a dead message, as a finding every channel can render. */
function deadChannelNotice(m: OutboxMessage, error: string, redaction: RedactionRules): Redacted<Finding> {
  return redactFinding({
    // Stable per channel: PagerDuty folds repeated announcements into one incident.
    id: findingId(`dw-channel-${createHash('sha256').update(m.channel).digest('hex').slice(0, 20)}`),
    kind: 'coverage-gap', org: m.org, surface: surfaceId('driftwarden.notify'), pathText: `channels.${m.channel}`,
    rule: ruleId('driftwarden.channel-dead'), title: `Alerts to channel "${m.channel}" are not being delivered`,
    severity: 'high', sensitivity: 'internal', frameworks: [],
    message: `A ${m.kind} message of run ${m.runId} was given up: ${error}. Fix the channel in routes.yaml, then run \`driftwarden outbox --retry\`.`,
  }, redaction);
}
