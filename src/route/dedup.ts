// Decides whether a finding should be (re)notified, from what was sent before. Pure: the caller
// loads the previous state and persists the next one (the store stage).
import { severityRank, type Severity } from '../model/findings.ts';
import type { FindingId } from '../model/ids.ts';

export type NotificationRecord = { readonly severity: Severity; readonly lastSentAt: number /* epoch ms */ };
export type NotificationState = ReadonlyMap<FindingId, NotificationRecord>;

export const NOTIFY_ACTIONS = ['send', 'reminder', 'skip'] as const;
export type NotifyAction = (typeof NOTIFY_ACTIONS)[number];
export type NotifyDecision = {
  readonly action: NotifyAction;
  readonly reason: 'first-seen' | 'severity-rose' | 'reminder-due' | 'already-sent';
};

export function decideNotification(
  finding: { readonly id: FindingId; readonly severity: Severity },
  previous: NotificationRecord | undefined,
  nowMs: number,
  reminderIntervalMs: number,
): NotifyDecision {
  if (!previous) return { action: 'send', reason: 'first-seen' };
  if (severityRank(finding.severity) > severityRank(previous.severity)) return { action: 'send', reason: 'severity-rose' };
  if (nowMs - previous.lastSentAt >= reminderIntervalMs) return { action: 'reminder', reason: 'reminder-due' };
  return { action: 'skip', reason: 'already-sent' };
}

export type NotificationPlan<F> = {
  readonly toSend: readonly F[];           // send + reminder, in input order
  readonly decisions: ReadonlyMap<FindingId, NotifyDecision>;
  /** State to persist once delivery succeeded: sent findings stamped with `nowMs` and their
   *  current severity; skipped ones keep their record (a lowered severity does not reset it). */
  readonly nextState: NotificationState;
};

export function planNotifications<F extends { readonly id: FindingId; readonly severity: Severity }>(
  findings: readonly F[], previous: NotificationState, nowMs: number, reminderIntervalMs: number,
): NotificationPlan<F> {
  const toSend: F[] = [];
  const decisions = new Map<FindingId, NotifyDecision>();
  const nextState = new Map(previous);
  for (const f of findings) {
    const d = decideNotification(f, previous.get(f.id), nowMs, reminderIntervalMs);
    decisions.set(f.id, d);
    if (d.action !== 'skip') { toSend.push(f); nextState.set(f.id, { severity: f.severity, lastSentAt: nowMs }); }
  }
  return { toSend, decisions, nextState };
}
