// Vault entries: one per distinct secret value at one place (org, surface, path, fingerprint).
// A value seen again in a later run only moves `last_seen` forward, so the vault grows when a
// secret changes, not every run. The clear value exists here only on its way into the cipher.
import { createHash } from 'node:crypto';
import type { SqlExecutor, SqlRow } from '../store/store.ts';
import type { SealedSecret } from '../redact/seal-secrets.ts';
import type { RunRecord } from '../model/findings.ts';
import { sealValue, type SealBinding, type SealedValue } from './cipher.ts';
import { appendLog, rowInt, rowText, SYSTEM_ACTOR } from './vault-log.ts';
import type { VaultKey } from './vault-key.ts';

/** What `vault list` shows: where and when, never what. */
export type VaultEntry = {
  readonly id: string;
  readonly org: string;
  readonly surface: string;
  readonly pathText: string;
  readonly fingerprint: string;
  readonly keyId: string;
  readonly firstRun: string;
  readonly firstSeen: string;
  readonly lastRun: string;
  readonly lastSeen: string;
  readonly seenCount: number;
};
export type StoredEntry = VaultEntry & { readonly sealed: SealedValue };

/** Stable id of a place+value: the same secret seen again is the same entry. */
export function vaultEntryId(org: string, surface: string, pathText: string, fingerprint: string): string {
  const h = createHash('sha256');
  for (const part of [org, surface, pathText, fingerprint]) h.update(part).update('\0');
  return `ve-${h.digest('hex').slice(0, 20)}`;
}

export const bindingOf = (e: VaultEntry): SealBinding =>
  ({ org: e.org, surface: e.surface, pathText: e.pathText, fingerprint: e.fingerprint, runId: e.firstRun });

/** Seals the run's secrets into the vault (inside the run's transaction). Returns how many
 *  entries are new and how many were already there. */
export async function depositSecrets(db: SqlExecutor, key: VaultKey, run: RunRecord, secrets: readonly SealedSecret[], now: Date): Promise<{ readonly added: number; readonly seen: number }> {
  let added = 0, seen = 0;
  const done = new Set<string>();
  for (const s of secrets) {
    const id = vaultEntryId(run.org, s.surface, s.pathText, s.fingerprint);
    if (done.has(id)) continue; // the same place reported twice in one run is one sighting
    done.add(id);
    const updated = await db.execute(
      'UPDATE vault_entries SET last_run = ?, last_seen = ?, seen_count = seen_count + 1 WHERE id = ? AND key_id = ?',
      [run.id, run.finishedAt, id, key.id]);
    if (updated.changes > 0) { seen++; continue; }
    const existing = await getStoredEntry(db, id);
    if (existing) {
      // Sealed under an earlier key: the run holds the value now, so re-seal it under the current
      // key (same record, same binding). Rotating the key thus needs no bulk re-encryption.
      const resealed = sealValue(key, bindingOf(existing), JSON.stringify(s.value));
      await db.execute(
        'UPDATE vault_entries SET key_id = ?, nonce = ?, ciphertext = ?, tag = ?, last_run = ?, last_seen = ?, seen_count = seen_count + 1 WHERE id = ?',
        [resealed.keyId, resealed.nonce, resealed.ciphertext, resealed.tag, run.id, run.finishedAt, id]);
      await appendLog(db, {
        at: now.toISOString(), actor: SYSTEM_ACTOR, action: 'deposit', subject: id,
        detail: { run: run.id, resealed: true, fromKeyId: existing.keyId, keyId: resealed.keyId },
      });
      seen++;
      continue;
    }
    const binding: SealBinding = { org: run.org, surface: s.surface, pathText: s.pathText, fingerprint: s.fingerprint, runId: run.id };
    // JSON keeps the exact value and its type (a string, or a structured secret).
    const sealed = sealValue(key, binding, JSON.stringify(s.value));
    await db.execute(
      `INSERT INTO vault_entries (id, org, surface, path, fingerprint, key_id, nonce, ciphertext, tag, first_run, first_seen, last_run, last_seen, seen_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      [id, run.org, s.surface, s.pathText, s.fingerprint, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag, run.id, run.finishedAt, run.id, run.finishedAt]);
    await appendLog(db, {
      at: now.toISOString(), actor: SYSTEM_ACTOR, action: 'deposit', subject: id,
      detail: { run: run.id, org: run.org, surface: s.surface, path: s.pathText, fingerprint: s.fingerprint, keyId: sealed.keyId },
    });
    added++;
  }
  return { added, seen };
}

const COLUMNS = 'id, org, surface, path, fingerprint, key_id, nonce, ciphertext, tag, first_run, first_seen, last_run, last_seen, seen_count';

export async function listEntries(db: SqlExecutor, filter: { readonly org?: string } = {}): Promise<readonly VaultEntry[]> {
  const rows = filter.org === undefined
    ? await db.query(`SELECT ${COLUMNS} FROM vault_entries ORDER BY org, surface, path, first_seen`)
    : await db.query(`SELECT ${COLUMNS} FROM vault_entries WHERE org = ? ORDER BY org, surface, path, first_seen`, [filter.org]);
  return rows.map((r) => publicEntry(toStored(r)));
}

export async function getStoredEntry(db: SqlExecutor, id: string): Promise<StoredEntry | null> {
  const [row] = await db.query(`SELECT ${COLUMNS} FROM vault_entries WHERE id = ?`, [id]);
  return row ? toStored(row) : null;
}

/** Entries of one org and surface holding one of `fingerprints` (finding → entry). */
export async function entriesByFingerprint(db: SqlExecutor, org: string, surface: string, fingerprints: readonly string[]): Promise<readonly VaultEntry[]> {
  if (fingerprints.length === 0) return [];
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM vault_entries WHERE org = ? AND surface = ? AND fingerprint IN (${fingerprints.map(() => '?').join(', ')}) ORDER BY last_seen DESC`,
    [org, surface, ...fingerprints]);
  return rows.map((r) => publicEntry(toStored(r)));
}

function toStored(r: SqlRow): StoredEntry {
  return {
    id: rowText(r, 'id'), org: rowText(r, 'org'), surface: rowText(r, 'surface'), pathText: rowText(r, 'path'),
    fingerprint: rowText(r, 'fingerprint'), keyId: rowText(r, 'key_id'),
    firstRun: rowText(r, 'first_run'), firstSeen: rowText(r, 'first_seen'), lastRun: rowText(r, 'last_run'), lastSeen: rowText(r, 'last_seen'),
    seenCount: rowInt(r, 'seen_count'),
    sealed: { keyId: rowText(r, 'key_id'), nonce: rowText(r, 'nonce'), ciphertext: rowText(r, 'ciphertext'), tag: rowText(r, 'tag') },
  };
}

/** Drops the ciphertext: what may be listed or printed. */
export function publicEntry(e: StoredEntry): VaultEntry {
  const { sealed: _sealed, ...rest } = e;
  return rest;
}
