// Reveal requests: the two-person rule as rows. A request names one entry and a reason; a
// different person approves it; the requester reveals it once, within the window after approval.
import type { SqlExecutor, SqlRow } from '../store/store.ts';
import { rowText } from './vault-log.ts';

export type VaultRequest = {
  readonly id: string;
  readonly entryId: string;
  /** What the requester named: the entry id or a finding id. */
  readonly subject: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly requestedAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly revealedAt: string | null;
};

const COLUMNS = 'id, entry_id, subject, requested_by, reason, requested_at, approved_by, approved_at, revealed_at';

export async function insertRequest(db: SqlExecutor, r: VaultRequest): Promise<void> {
  await db.execute(`INSERT INTO vault_requests (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.id, r.entryId, r.subject, r.requestedBy, r.reason, r.requestedAt, r.approvedBy, r.approvedAt, r.revealedAt]);
}

export async function getRequest(db: SqlExecutor, id: string): Promise<VaultRequest | null> {
  const [row] = await db.query(`SELECT ${COLUMNS} FROM vault_requests WHERE id = ?`, [id]);
  return row ? toRequest(row) : null;
}

/** Sets the approval unless one exists; false when someone approved first. */
export async function markApproved(db: SqlExecutor, id: string, by: string, at: string): Promise<boolean> {
  const r = await db.execute('UPDATE vault_requests SET approved_by = ?, approved_at = ? WHERE id = ? AND approved_at IS NULL', [by, at, id]);
  return r.changes === 1;
}

/** Consumes the request; false when it was already revealed (the once-only guard, atomic). */
export async function markRevealed(db: SqlExecutor, id: string, at: string): Promise<boolean> {
  const r = await db.execute('UPDATE vault_requests SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL AND approved_at IS NOT NULL', [at, id]);
  return r.changes === 1;
}

function toRequest(r: SqlRow): VaultRequest {
  const opt = (c: string): string | null => (r[c] === null || r[c] === undefined ? null : rowText(r, c));
  return {
    id: rowText(r, 'id'), entryId: rowText(r, 'entry_id'), subject: rowText(r, 'subject'),
    requestedBy: rowText(r, 'requested_by'), reason: rowText(r, 'reason'), requestedAt: rowText(r, 'requested_at'),
    approvedBy: opt('approved_by'), approvedAt: opt('approved_at'), revealedAt: opt('revealed_at'),
  };
}

/** People are compared the way humans write names: case, spacing and Unicode forms do not
 *  make a second person. */
export const personKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
export const samePerson = (a: string, b: string): boolean => personKey(a) === personKey(b);
