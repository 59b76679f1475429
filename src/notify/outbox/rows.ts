// The outbox tables as functions over a SqlExecutor (a Store or a transaction's `tx`): portable
// SQL only, so the same code runs on SQLite and PostgreSQL. Every state change of a message is a
// conditional UPDATE on its current claim, so two senders can never both think they own it.
import type { SqlExecutor, SqlRow } from '../../store/store.ts';
import { SEVERITIES, type Severity } from '../../model/findings.ts';
import { findingId, orgId, runId, type FindingId, type OrgId, type RunId } from '../../model/ids.ts';
import { fail } from '../../model/errors.ts';

export const MESSAGE_KINDS = ['digest', 'trigger', 'resolve', 'notice'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const MESSAGE_STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'dead'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** Statuses that still have to reach their channel. */
export const UNDELIVERED: readonly MessageStatus[] = ['pending', 'delivering', 'failed'];

export type OutboxMessage = {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly runId: RunId;
  readonly org: OrgId;
  readonly channel: string;
  readonly kind: MessageKind;
  /** JSON: the redacted findings of a digest/trigger/notice; `[]` for a resolve. */
  readonly payloadJson: string;
  readonly findingIds: readonly FindingId[];
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError?: string;
  /** Parts of a multi-message digest already acknowledged by the receiver. */
  readonly partsDelivered: readonly number[];
  readonly claim: string;
  readonly leaseUntil: string;
  readonly createdAt: string;
  readonly deliveredAt?: string;
  readonly seq: number;
};

export type NewMessage = Pick<OutboxMessage, 'idempotencyKey' | 'runId' | 'org' | 'channel' | 'kind' | 'payloadJson' | 'findingIds'>;

const COLUMNS = 'id, idempotency_key, run_id, org, channel, kind, payload_json, finding_ids_json, status, attempts, next_attempt_at, last_error, parts_json, claim, lease_until, created_at, delivered_at, seq';

const text = (row: SqlRow, col: string): string => {
  const v = row[col];
  if (typeof v !== 'string') return fail('DW5390', 'internal', `outbox row: column ${col} is not text`);
  return v;
};
const num = (row: SqlRow, col: string): number => {
  const v = row[col];
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) return fail('DW5390', 'internal', `outbox row: column ${col} is not a number`);
  return n;
};
const oneOf = <T extends string>(values: readonly T[], v: string, col: string): T =>
  (values as readonly string[]).includes(v) ? (v as T) : fail('DW5390', 'internal', `outbox row: ${col} "${v}" is not one of ${values.join(', ')}`);

function toMessage(row: SqlRow): OutboxMessage {
  const lastError = row.last_error;
  const deliveredAt = row.delivered_at;
  return {
    id: text(row, 'id'), idempotencyKey: text(row, 'idempotency_key'), runId: runId(text(row, 'run_id')), org: orgId(text(row, 'org')),
    channel: text(row, 'channel'), kind: oneOf(MESSAGE_KINDS, text(row, 'kind'), 'kind'), payloadJson: text(row, 'payload_json'),
    findingIds: (JSON.parse(text(row, 'finding_ids_json')) as string[]).map(findingId),
    status: oneOf(MESSAGE_STATUSES, text(row, 'status'), 'status'), attempts: num(row, 'attempts'),
    nextAttemptAt: text(row, 'next_attempt_at'), ...(typeof lastError === 'string' ? { lastError } : {}),
    partsDelivered: JSON.parse(text(row, 'parts_json')) as number[], claim: text(row, 'claim'), leaseUntil: text(row, 'lease_until'),
    createdAt: text(row, 'created_at'), ...(typeof deliveredAt === 'string' ? { deliveredAt } : {}), seq: num(row, 'seq'),
  };
}

/** Inserts a message at the end of its channel's sequence; a message with the same idempotency
 *  key already present is left as it is (returns false). Call inside a transaction. */
export async function insertMessage(db: SqlExecutor, m: NewMessage, nowIso: string): Promise<boolean> {
  const existing = await db.query('SELECT id FROM outbox_messages WHERE idempotency_key = ?', [m.idempotencyKey]);
  if (existing.length > 0) return false;
  const [last] = await db.query('SELECT MAX(seq) AS seq FROM outbox_messages WHERE channel = ?', [m.channel]);
  const seq = (last?.seq === null || last?.seq === undefined ? 0 : num(last, 'seq')) + 1;
  const { changes } = await db.execute(
    `INSERT INTO outbox_messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, '[]', '', ?, ?, NULL, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [m.idempotencyKey, m.idempotencyKey, m.runId, m.org, m.channel, m.kind, m.payloadJson, JSON.stringify(m.findingIds), nowIso, nowIso, nowIso, seq],
  );
  return changes === 1;
}

/** Every message not yet delivered (or dead), each channel's in sequence order. */
export async function listUndelivered(db: SqlExecutor): Promise<readonly OutboxMessage[]> {
  const rows = await db.query(`SELECT ${COLUMNS} FROM outbox_messages WHERE status IN ('pending', 'delivering', 'failed') ORDER BY channel, seq`);
  return rows.map(toMessage);
}

export type MessageQuery = { readonly statuses?: readonly MessageStatus[]; readonly runId?: string; readonly limit?: number };

export async function listMessages(db: SqlExecutor, q: MessageQuery = {}): Promise<readonly OutboxMessage[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.statuses && q.statuses.length > 0) { where.push(`status IN (${q.statuses.map(() => '?').join(', ')})`); params.push(...q.statuses); }
  if (q.runId !== undefined) { where.push('run_id = ?'); params.push(q.runId); }
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM outbox_messages${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY channel, seq LIMIT ?`,
    [...params, q.limit ?? 1000],
  );
  return rows.map(toMessage);
}

/** Takes a message for sending: status `delivering`, one more attempt, our claim and lease.
 *  Compare-and-swap on what the caller last saw, so exactly one sender wins. */
export async function claimMessage(db: SqlExecutor, seen: OutboxMessage, claim: string, leaseUntil: string): Promise<boolean> {
  const { changes } = await db.execute(
    `UPDATE outbox_messages SET status = 'delivering', attempts = attempts + 1, claim = ?, lease_until = ?
     WHERE id = ? AND status = ? AND claim = ? AND attempts = ?`,
    [claim, leaseUntil, seen.id, seen.status, seen.claim, seen.attempts],
  );
  return changes === 1;
}

export async function recordPartDelivered(db: SqlExecutor, id: string, claim: string, parts: readonly number[]): Promise<void> {
  await db.execute(`UPDATE outbox_messages SET parts_json = ? WHERE id = ? AND claim = ? AND status = 'delivering'`, [JSON.stringify(parts), id, claim]);
}

export async function markDelivered(db: SqlExecutor, id: string, claim: string, nowIso: string): Promise<void> {
  await db.execute(`UPDATE outbox_messages SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ? AND claim = ? AND status = 'delivering'`, [nowIso, id, claim]);
}

export async function markFailed(db: SqlExecutor, id: string, claim: string, error: string, nextAttemptAt: string): Promise<void> {
  await db.execute(`UPDATE outbox_messages SET status = 'failed', last_error = ?, next_attempt_at = ? WHERE id = ? AND claim = ? AND status = 'delivering'`, [error, nextAttemptAt, id, claim]);
}

/** Gives up on a message. `claim` '' marks an unclaimed message (its channel is gone). */
export async function markDead(db: SqlExecutor, id: string, claim: string, error: string): Promise<boolean> {
  const { changes } = await db.execute(`UPDATE outbox_messages SET status = 'dead', last_error = ? WHERE id = ? AND claim = ? AND status IN ('pending', 'delivering', 'failed')`, [error, id, claim]);
  return changes === 1;
}

/** Puts dead messages back in line (all of them, or those with the given ids): attempts reset. */
export async function requeueDead(db: SqlExecutor, nowIso: string, ids?: readonly string[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const { changes } = await db.execute(
    `UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = ?, claim = '', last_error = NULL
     WHERE status = 'dead'${ids ? ` AND id IN (${ids.map(() => '?').join(', ')})` : ''}`,
    [nowIso, ...(ids ?? [])],
  );
  return changes;
}

// ── notification state (dedup) ─────────────────────────────────────────────────────────────

export type NotificationRow = {
  readonly findingId: FindingId;
  readonly channel: string;
  readonly severity: Severity;
  readonly lastSentAt: string;
  /** A PagerDuty incident we triggered is open. */
  readonly open: boolean;
};

export async function loadNotificationState(db: SqlExecutor, org: OrgId): Promise<readonly NotificationRow[]> {
  const rows = await db.query('SELECT finding_id, channel, last_severity, last_sent_at, open FROM notification_state WHERE org = ?', [org]);
  return rows.map((r) => ({
    findingId: findingId(text(r, 'finding_id')), channel: text(r, 'channel'),
    severity: oneOf(SEVERITIES, text(r, 'last_severity'), 'last_severity'), lastSentAt: text(r, 'last_sent_at'), open: num(r, 'open') === 1,
  }));
}

export async function saveNotificationState(db: SqlExecutor, org: OrgId, run: RunId, row: NotificationRow): Promise<void> {
  await db.execute(
    `INSERT INTO notification_state (finding_id, channel, org, last_severity, last_sent_at, last_run_id, open) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (finding_id, channel) DO UPDATE SET last_severity = excluded.last_severity, last_sent_at = excluded.last_sent_at,
       last_run_id = excluded.last_run_id, open = excluded.open`,
    [row.findingId, row.channel, org, row.severity, row.lastSentAt, run, row.open ? 1 : 0],
  );
}

export async function deleteNotificationState(db: SqlExecutor, finding: FindingId, channel: string): Promise<void> {
  await db.execute('DELETE FROM notification_state WHERE finding_id = ? AND channel = ?', [finding, channel]);
}
