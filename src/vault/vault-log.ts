// The vault log: append-only and hash-chained. Row n stores hash(n) = sha256(hash(n-1) +
// canonical row n), with hash(0) = 64 zeros, so editing, deleting or reordering any row breaks
// the chain at that position. It records who did what to which entry or request — never values.
import { createHash } from 'node:crypto';
import { fail } from '../model/errors.ts';
import { canonicalJson } from '../redact/fingerprint.ts';
import type { SqlExecutor, SqlRow } from '../store/store.ts';
import type { Json } from '../model/findings.ts';
import { VAULT_CODES } from './codes.ts';

export const VAULT_ACTIONS = ['deposit', 'request', 'approve', 'reveal', 'refuse-request', 'refuse-approve', 'refuse-reveal'] as const;
export type VaultAction = (typeof VAULT_ACTIONS)[number];

export const GENESIS_HASH = '0'.repeat(64);
/** The actor of steps driftwarden takes itself (deposits during a run). */
export const SYSTEM_ACTOR = 'driftwarden';

export type LogEntry = {
  readonly at: string;
  readonly actor: string;
  readonly action: VaultAction;
  /** Entry id, request id, or what was asked for when a refusal had nothing to resolve. */
  readonly subject: string;
  /** Canonical JSON text of the step's facts (run id, reason, refusal code ...). */
  readonly detail: string;
};
export type LogRow = LogEntry & { readonly seq: number; readonly prevHash: string; readonly hash: string };

/** sha256(prev hash + canonical row), hex. The row is everything but the hashes. */
export function logRowHash(prevHash: string, row: LogEntry & { readonly seq: number }): string {
  const canonical = canonicalJson({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail: row.detail });
  return createHash('sha256').update(prevHash + canonical, 'utf8').digest('hex');
}

/** Appends one row after the current head. Call inside a transaction: two writers racing for the
 *  same seq collide on the primary key (DW6004) rather than forking the chain. */
export async function appendLog(db: SqlExecutor, step: Omit<LogEntry, 'detail'> & { readonly detail: Json }): Promise<LogRow> {
  const [head] = await db.query('SELECT seq, hash FROM vault_log ORDER BY seq DESC LIMIT 1');
  const seq = head ? toInt(head, 'seq') + 1 : 1;
  const prevHash = head ? toText(head, 'hash') : GENESIS_HASH;
  const entry: LogEntry = { at: step.at, actor: step.actor, action: step.action, subject: step.subject, detail: canonicalJson(step.detail) };
  const hash = logRowHash(prevHash, { ...entry, seq });
  await db.execute('INSERT INTO vault_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [seq, entry.at, entry.actor, entry.action, entry.subject, entry.detail, prevHash, hash]);
  return { ...entry, seq, prevHash, hash };
}

/** Every row in sequence order, as stored (not checked: that is verifyLog's job). */
export async function readLog(db: SqlExecutor): Promise<readonly LogRow[]> {
  const rows = await db.query('SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM vault_log ORDER BY seq');
  return rows.map((r) => ({
    seq: toInt(r, 'seq'), at: toText(r, 'at'), actor: toText(r, 'actor'), action: toText(r, 'action') as VaultAction,
    subject: toText(r, 'subject'), detail: toText(r, 'detail'), prevHash: toText(r, 'prev_hash'), hash: toText(r, 'hash'),
  }));
}

export type LogVerdict =
  | { readonly valid: true; readonly rows: number; readonly head: string }
  /** `position` is 1-based: the first row (in sequence order) where the chain does not hold. */
  | { readonly valid: false; readonly rows: number; readonly position: number; readonly seq: number | null; readonly reason: string };

/** Recomputes the chain from the genesis hash. The first position that fails is reported:
 *  an edited row fails its own hash, a deleted row leaves a gap in the sequence (and a broken
 *  link), a reordered pair fails at the first row out of place. */
export function verifyLog(rows: readonly LogRow[]): LogVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const position = i + 1;
    const broken = (reason: string): LogVerdict => ({ valid: false, rows: rows.length, position, seq: r.seq, reason });
    if (r.seq !== position) return broken(r.seq > position ? `row ${position} is missing (found sequence ${r.seq}): a row was deleted` : `sequence ${r.seq} out of order at position ${position}`);
    if (r.prevHash !== prev) return broken(`row ${position} does not link to row ${position - 1} (prev hash differs): a row before it was removed, replaced or reordered`);
    if (logRowHash(prev, r) !== r.hash) return broken(`row ${position} does not match its hash: it was edited`);
    prev = r.hash;
  }
  return { valid: true, rows: rows.length, head: prev };
}

const toText = (r: SqlRow, c: string): string =>
  typeof r[c] === 'string' ? (r[c] as string) : fail(VAULT_CODES.badRow, 'internal', `vault row has no text in column ${c}`);
const toInt = (r: SqlRow, c: string): number => {
  const n = typeof r[c] === 'bigint' || typeof r[c] === 'string' ? Number(r[c]) : r[c];
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : fail(VAULT_CODES.badRow, 'internal', `vault row has no integer in column ${c}`);
};
export const rowText = toText;
export const rowInt = toInt;

/** One fact the tables state that the log must also show (or the reverse). */
export type StateFact = { readonly action: VaultAction; readonly subject: string; readonly inState: boolean };

/** The chain cannot see rows cut from its end. The tables can: every entry was deposited, every
 *  request requested, every approval and reveal logged — and nothing the log shows as approved or
 *  revealed may look open in the tables (a reset `revealed_at` would allow a second reveal).
 *  Returns the first disagreement as a broken verdict after the last row, or `verdict` as is. */
export function crossCheckLog(rows: readonly LogRow[], facts: readonly StateFact[], verdict: LogVerdict): LogVerdict {
  if (!verdict.valid) return verdict;
  const logged = new Set(rows.map((r) => `${r.action}\0${r.subject}`));
  for (const f of facts) {
    const inLog = logged.has(`${f.action}\0${f.subject}`);
    if (f.inState && !inLog) {
      return { valid: false, rows: rows.length, position: rows.length + 1, seq: null, reason: `no '${f.action}' row for ${f.subject} although the vault tables record it: rows were cut from the end of the log` };
    }
    if (!f.inState && inLog) {
      return { valid: false, rows: rows.length, position: rows.length + 1, seq: null, reason: `the log records '${f.action}' for ${f.subject} but the vault tables do not: the tables were edited` };
    }
  }
  return verdict;
}
