// SQL of the evidence tables, on any SqlExecutor (the store or a transaction). Portable SQL only.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SqlExecutor, SqlRow } from '../store/store.ts';

export type EvidenceRow = {
  readonly seq: number;
  readonly runId: string;
  readonly org: string;
  readonly sealedAt: string;
  readonly body: string;
  readonly prevHash: string;
  readonly recordHash: string;
  readonly keyId: string;
  readonly signature: string;
};

const RECORD_COLUMNS = 'seq, run_id, org, sealed_at, body, prev_hash, record_hash, key_id, signature';

const toRecordRow = (r: SqlRow): EvidenceRow => ({
  seq: Number(r.seq), runId: String(r.run_id), org: String(r.org), sealedAt: String(r.sealed_at), body: String(r.body),
  prevHash: String(r.prev_hash), recordHash: String(r.record_hash), keyId: String(r.key_id), signature: String(r.signature),
});

export async function chainHead(db: SqlExecutor): Promise<{ readonly seq: number; readonly hash: string } | null> {
  const rows = await db.query('SELECT seq, record_hash FROM evidence_records ORDER BY seq DESC LIMIT 1');
  return rows.length ? { seq: Number(rows[0]!.seq), hash: String(rows[0]!.record_hash) } : null;
}

export async function insertRecord(db: SqlExecutor, r: EvidenceRow): Promise<void> {
  await db.execute(`INSERT INTO evidence_records (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.seq, r.runId, r.org, r.sealedAt, r.body, r.prevHash, r.recordHash, r.keyId, r.signature]);
}

/** Every record in chain order. */
export async function allRecords(db: SqlExecutor): Promise<readonly EvidenceRow[]> {
  return (await db.query(`SELECT ${RECORD_COLUMNS} FROM evidence_records ORDER BY seq`)).map(toRecordRow);
}

export async function recordOfRun(db: SqlExecutor, runId: string): Promise<EvidenceRow | null> {
  const rows = await db.query(`SELECT ${RECORD_COLUMNS} FROM evidence_records WHERE run_id = ?`, [runId]);
  return rows.length ? toRecordRow(rows[0]!) : null;
}

export const SNAPSHOT_ENCODING = 'gzip+base64';

export async function putSnapshot(db: SqlExecutor, digest: string, canonicalText: string): Promise<void> {
  // Content-addressed: the same document seen by many runs is kept once.
  await db.execute('INSERT INTO evidence_snapshots (digest, encoding, content) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING',
    [digest, SNAPSHOT_ENCODING, gzipSync(Buffer.from(canonicalText, 'utf8')).toString('base64')]);
}

export async function linkRunSnapshot(db: SqlExecutor, runId: string, surface: string, digest: string): Promise<void> {
  await db.execute('INSERT INTO evidence_run_snapshots (run_id, surface, digest) VALUES (?, ?, ?)', [runId, surface, digest]);
}

/** The stored document text for a digest: null when missing, an Error when it cannot be decoded. */
export async function readSnapshot(db: SqlExecutor, digest: string): Promise<string | null | Error> {
  const rows = await db.query('SELECT encoding, content FROM evidence_snapshots WHERE digest = ?', [digest]);
  if (!rows.length) return null;
  if (rows[0]!.encoding !== SNAPSHOT_ENCODING) return new Error(`unknown encoding ${String(rows[0]!.encoding)}`);
  try {
    return gunzipSync(Buffer.from(String(rows[0]!.content), 'base64')).toString('utf8');
  } catch (e) {
    return e as Error;
  }
}

export async function runSnapshotLinks(db: SqlExecutor, runId: string): Promise<ReadonlyMap<string, string>> {
  const rows = await db.query('SELECT surface, digest FROM evidence_run_snapshots WHERE run_id = ?', [runId]);
  return new Map(rows.map((r) => [String(r.surface), String(r.digest)]));
}

export async function insertFindings(db: SqlExecutor, runId: string, findings: readonly { readonly id: string; readonly severity: string; readonly text: string }[]): Promise<void> {
  let ord = 0;
  for (const f of findings) {
    await db.execute('INSERT INTO evidence_findings (run_id, ord, finding_id, severity, body) VALUES (?, ?, ?, ?, ?)', [runId, ord++, f.id, f.severity, f.text]);
  }
}

/** The canonical JSON texts of a run's findings, in run order. */
export async function findingTexts(db: SqlExecutor, runId: string): Promise<readonly string[]> {
  return (await db.query('SELECT body FROM evidence_findings WHERE run_id = ? ORDER BY ord', [runId])).map((r) => String(r.body));
}
