// `verify`: walks the whole chain and checks, for each record, its hash, its signature, its link
// to the record before it, the run row it seals, the findings it pins and every snapshot document
// it retained. Problems are values naming the chain position, so a report can show all of them.
import { canonicalJson } from '../normalize/index.ts';
import type { SqlExecutor } from '../store/store.ts';
import { runId as toRunId, type RunId } from '../model/ids.ts';
import type { RunRecord } from '../model/findings.ts';
import type { VerifyingKey } from './keys.ts';
import { GENESIS_HASH, digestOfCanonicalList, sha256Text, signatureValid, toJson, type EvidenceBody } from './record.ts';
import { allRecords, findingTexts, readSnapshot, runSnapshotLinks } from './rows.ts';
import { EVIDENCE_CODES } from './codes.ts';

export type VerifyProblem = {
  /** 1-based position in the chain as stored (row order by seq); 0 = not tied to one record. */
  readonly position: number;
  readonly seq?: number;
  readonly runId?: string;
  readonly code: string;
  readonly message: string;
};

export type VerifyResult = {
  readonly valid: boolean;
  readonly records: number;
  /** record hash of the last record (what a later verify can be compared with), null when empty. */
  readonly head: string | null;
  readonly keyId: string;
  readonly snapshotsChecked: number;
  readonly findingsChecked: number;
  readonly problems: readonly VerifyProblem[];
};

type RunReader = { getRun(id: RunId): Promise<RunRecord | null> };

export async function verifyEvidence(db: SqlExecutor & RunReader, key: VerifyingKey): Promise<VerifyResult> {
  const rows = await allRecords(db);
  const problems: VerifyProblem[] = [];
  let snapshotsChecked = 0, findingsChecked = 0;
  let prevHash = GENESIS_HASH;
  const sealedRuns = new Set<string>();
  let firstSealedStart: string | null = null;

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const position = i + 1;
    const at = (code: string, message: string) => problems.push({ position, seq: row.seq, runId: row.runId, code, message });
    sealedRuns.add(row.runId);

    if (row.seq !== position) {
      at(EVIDENCE_CODES.sequence, row.seq > position
        ? `record at position ${position} has sequence number ${row.seq}: ${row.seq - position} record(s) before it were removed`
        : `record at position ${position} has sequence number ${row.seq}: records were inserted or reordered`);
    }
    const hash = sha256Text(row.body);
    if (hash !== row.recordHash) at(EVIDENCE_CODES.hashMismatch, `record text was edited: its hash is ${hash}, the stored hash is ${row.recordHash}`);
    if (row.keyId !== key.keyId) at(EVIDENCE_CODES.unknownKey, `record is signed by key ${row.keyId}, not the trusted key ${key.keyId}`);
    else if (!signatureValid(row.body, row.signature, key.publicKey)) at(EVIDENCE_CODES.badSignature, 'signature does not match the record text');

    let body: EvidenceBody | null = null;
    try {
      const parsed = JSON.parse(row.body) as EvidenceBody;
      if (canonicalJson(toJson(parsed)) !== row.body) at(EVIDENCE_CODES.recordUnreadable, 'record text is not in canonical form');
      body = parsed;
    } catch (e) {
      at(EVIDENCE_CODES.recordUnreadable, `record text is not JSON: ${(e as Error).message}`);
    }
    // The chain links the record as sealed (inside the signed text) to the one before it.
    const linkedTo = body?.prevHash ?? row.prevHash;
    if (linkedTo !== prevHash) {
      at(EVIDENCE_CODES.chainBroken, position === 1
        ? `first record points at ${linkedTo}, not the chain start: records before it were removed`
        : `record does not follow the record before it (it points at ${linkedTo}, the previous record is ${prevHash}): a record was removed, inserted or reordered`);
    }
    prevHash = row.recordHash;
    if (!body) continue;
    if (body.seq !== row.seq) at(EVIDENCE_CODES.sequence, `record was sealed as number ${body.seq} but is stored as number ${row.seq}`);
    if (body.run?.id !== row.runId) at(EVIDENCE_CODES.runMismatch, `record seals run ${body.run?.id} but is stored for run ${row.runId}`);
    if (firstSealedStart === null || (body.run?.startedAt ?? '') < firstSealedStart) firstSealedStart = body.run?.startedAt ?? firstSealedStart;

    const stored = await db.getRun(toRunId(row.runId)).catch(() => null);
    if (!stored) at(EVIDENCE_CODES.runMissing, `run ${row.runId} is no longer in the run history`);
    else if (canonicalJson(toJson(stored)) !== canonicalJson(toJson(body.run))) at(EVIDENCE_CODES.runMismatch, `run ${row.runId} in the run history differs from the sealed run record`);

    const texts = await findingTexts(db, row.runId);
    findingsChecked += texts.length;
    const digest = digestOfCanonicalList(texts);
    if (texts.length !== body.findings?.count || digest !== body.findings?.digest) {
      at(EVIDENCE_CODES.findingsMismatch, `stored findings (${texts.length}, ${digest}) differ from the sealed ones (${body.findings?.count}, ${body.findings?.digest})`);
    }

    const links = await runSnapshotLinks(db, row.runId);
    for (const [surface, pinned] of Object.entries(body.pins?.storedSnapshots ?? {})) {
      const linked = links.get(surface);
      if (linked !== pinned) { at(EVIDENCE_CODES.snapshotMismatch, `snapshot of ${surface} is linked to ${linked ?? 'nothing'}, sealed as ${pinned}`); continue; }
      const text = await readSnapshot(db, pinned);
      snapshotsChecked++;
      if (text === null) at(EVIDENCE_CODES.snapshotMissing, `snapshot document of ${surface} (${pinned}) is missing from the store`);
      else if (text instanceof Error) at(EVIDENCE_CODES.snapshotMismatch, `snapshot document of ${surface} (${pinned}) cannot be decoded: ${text.message}`);
      else if (sha256Text(text) !== pinned) at(EVIDENCE_CODES.snapshotMismatch, `snapshot document of ${surface} no longer matches its digest (${sha256Text(text)} != ${pinned})`);
    }
  }

  // A completed run after the chain began must have a record: otherwise its record was removed
  // (a failed run is recorded outside the transaction and is never sealed).
  if (firstSealedStart !== null) {
    const unsealed = await db.query("SELECT id FROM runs WHERE status <> 'failed' AND started_at >= ? ORDER BY started_at, id", [firstSealedStart]);
    for (const r of unsealed) {
      if (!sealedRuns.has(String(r.id))) problems.push({ position: 0, runId: String(r.id), code: EVIDENCE_CODES.unsealedRun, message: `run ${String(r.id)} completed but has no evidence record: its record was removed` });
    }
  }
  return {
    valid: problems.length === 0, records: rows.length, head: rows.length ? rows[rows.length - 1]!.recordHash : null,
    keyId: key.keyId, snapshotsChecked, findingsChecked, problems,
  };
}
