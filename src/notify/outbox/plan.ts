// Pure: what one run must tell each channel, given the routing table and what each channel was
// told before. The caller (enqueue) reads the previous state and writes the plan in the run's
// transaction.
//
// Rules (issue 5 §4):
// - One digest message per digest channel (Slack, Teams, e-mail) per run, listing the findings
//   that are new to that channel, rose in severity, or are due for a reminder.
// - PagerDuty: one trigger per finding, dedup_key = finding id; a `resolve` for each resolved
//   finding we paged before (and for a paged finding that became waived).
// - A digest channel that was told of a finding hears, in its next digest, that it resolved.
// - Waived findings (waiver active) are recorded but never paged. Digest channels list them,
//   marked "[waived …]" in the title, when they are first seen or their severity rises, but they
//   get no reminders: a waiver is a decision to stop nagging.
import { decideNotification } from '../../route/dedup.ts';
import { routeFindings } from '../../route/route-findings.ts';
import type { FindingState, RouteTable } from '../../route/types.ts';
import type { Finding } from '../../model/findings.ts';
import type { FindingId, OrgId, RunId } from '../../model/ids.ts';
import type { Redacted } from '../../redact/redacted.ts';
import { bySeverity } from '../render.ts';
import type { NewMessage, NotificationRow } from './rows.ts';

type RF = Redacted<Finding>;

export type PlanInput = {
  readonly run: { readonly id: RunId; readonly org: OrgId };
  readonly findings: readonly RF[];
  readonly resolved: readonly RF[];
  readonly table: RouteTable;
  readonly previous: readonly NotificationRow[];
  readonly now: Date;
  /** Re-send an unchanged finding after this long; Infinity = never. */
  readonly reminderMs: number;
};

export type OutboxPlan = {
  readonly messages: readonly NewMessage[];
  readonly save: readonly NotificationRow[];
  readonly forget: readonly { readonly findingId: FindingId; readonly channel: string }[];
};

/** Deterministic per (run, channel, part): enqueueing a run twice yields the same keys. */
export const idempotencyKey = (run: RunId, channel: string, part: string): string => `${run}:${channel}:${part}`;

export const isWaived = (f: Finding): boolean => f.waiver?.status === 'active';

/** The title a digest shows for a waived finding. Waiver ids and dates come from waivers.yaml,
 *  not from the org, so they need no redaction. */
function markWaived(f: RF): RF {
  const w = f.waiver!;
  return { ...f, title: `[waived ${w.id} until ${w.expires.slice(0, 10)}] ${f.title}` };
}

/** The title a digest shows for a finding that went away (drift reverted or accepted). */
function markResolved(f: RF): RF {
  return { ...f, state: 'resolved', title: `[resolved] ${f.title}` };
}

export function planOutbox(input: PlanInput): OutboxPlan {
  const { run, table, now } = input;
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  const prev = new Map(input.previous.map((r) => [`${r.findingId}\u0000${r.channel}`, r]));
  const prevOf = (id: FindingId, channel: string) => prev.get(`${id}\u0000${channel}`);
  const messages: NewMessage[] = [];
  const save: NotificationRow[] = [];
  const forget: { findingId: FindingId; channel: string }[] = [];
  const message = (channel: string, kind: NewMessage['kind'], part: string, findings: readonly RF[], ids: readonly FindingId[]) =>
    messages.push({ idempotencyKey: idempotencyKey(run.id, channel, part), runId: run.id, org: run.org, channel, kind, payloadJson: JSON.stringify(findings), findingIds: ids });

  // One digest per channel per run: new and changed findings, then those resolved since.
  const digests = new Map<string, RF[]>();
  const digestOf = (channel: string): RF[] => {
    let d = digests.get(channel);
    if (!d) { d = []; digests.set(channel, d); }
    return d;
  };

  const states = new Map<FindingId, FindingState>();
  for (const f of input.findings) if (f.state) states.set(f.id, f.state);
  const routed = routeFindings(input.findings, table, { states });

  for (const [channel, list] of routed) {
    const config = table.channels.get(channel);
    if (!config) continue;
    if (config.type === 'pagerduty') {
      for (const f of bySeverity(list)) {
        const before = prevOf(f.id, channel);
        if (isWaived(f)) {
          // Never paged; an incident we opened before the waiver is closed.
          if (before?.open) {
            message(channel, 'resolve', `resolve:${f.id}`, [], [f.id]);
            save.push({ ...before, open: false });
          }
          continue;
        }
        // A resolved-by-us incident is a fresh page when the finding comes back.
        const d = decideNotification(f, before?.open ? { severity: before.severity, lastSentAt: Date.parse(before.lastSentAt) } : undefined, nowMs, input.reminderMs);
        if (d.action === 'skip') continue;
        message(channel, 'trigger', `trigger:${f.id}`, [f], [f.id]);
        save.push({ findingId: f.id, channel, severity: f.severity, lastSentAt: nowIso, open: true });
      }
      continue;
    }
    const digest = digestOf(channel);
    for (const f of list) {
      const before = prevOf(f.id, channel);
      const d = decideNotification(f, before ? { severity: before.severity, lastSentAt: Date.parse(before.lastSentAt) } : undefined, nowMs, input.reminderMs);
      if (d.action === 'skip' || (d.action === 'reminder' && isWaived(f))) continue;
      digest.push(isWaived(f) ? markWaived(f) : f);
      save.push({ findingId: f.id, channel, severity: f.severity, lastSentAt: nowIso, open: false });
    }
  }

  // A resolved finding: close what we paged, tell each digest channel that heard of it, and
  // forget it everywhere so a regression is news.
  for (const f of input.resolved) {
    for (const row of input.previous) {
      if (row.findingId !== f.id) continue;
      const type = table.channels.get(row.channel)?.type;
      if (row.open && type === 'pagerduty') message(row.channel, 'resolve', `resolve:${f.id}`, [], [f.id]);
      else if (type !== undefined && type !== 'pagerduty') digestOf(row.channel).push(markResolved(f));
      forget.push({ findingId: f.id, channel: row.channel });
    }
  }
  for (const [channel, digest] of digests) {
    if (digest.length > 0) message(channel, 'digest', 'digest', digest, digest.map((f) => f.id));
  }
  return { messages, save, forget };
}
