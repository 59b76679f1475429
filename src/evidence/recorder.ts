// The evidence stage: inside the run's transaction, appends one signed record to the chain that
// pins everything the run's verdict rests on, and keeps the documents and findings it pins so
// `verify` can re-hash them and reports never depend on files on disk.
import { canonicalJson } from '../normalize/index.ts';
import { TOOL_VERSION } from '../model/version.ts';
import { fail } from '../model/errors.ts';
import type { EvidencePins, EvidenceRecorder } from '../pipeline/stages.ts';
import type { Store } from '../store/store.ts';
import type { Json, RunRecord, Snapshot } from '../model/findings.ts';
import type { CoverageRow } from '../report/run-report.ts';
import type { SigningKey } from './keys.ts';
import {
  EVIDENCE_FORMAT_VERSION, GENESIS_HASH, bodyText, digestOfCanonicalList, sha256Text, signText, toJson, type EvidenceBody,
} from './record.ts';
import { chainHead, insertFindings, insertRecord, linkRunSnapshot, putSnapshot } from './rows.ts';
import { EVIDENCE_CODES } from './codes.ts';

export type EvidenceRecorderOptions = {
  readonly key: SigningKey;
  readonly now?: () => Date;
  /** The normalized, secret-sealed documents of a snapshot's readable surfaces. Used when the
   *  pipeline does not hand them over in the pins (`documents`); a document is kept only when
   *  its digest equals the one the pipeline pinned, so nothing unsealed can be stored. */
  readonly documentsFor?: (snapshot: Snapshot) => Readonly<Record<string, Json>>;
  /** What of a document may be stored (free text masked); identity when absent. The stored
   *  form gets its own digest, pinned next to the pipeline's. */
  readonly storable?: (doc: Json) => Json;
};

/** Pins plus the documents themselves, when the pipeline passes them (additive, optional). */
type PinsWithDocuments = EvidencePins & { readonly documents?: Readonly<Record<string, Json>> };

export function coverageOf(snapshot: Snapshot): CoverageRow[] {
  return snapshot.surfaces.map((s) => ({
    surface: s.surface, status: s.status,
    ...(s.reason ? { reason: s.reason } : {}), ...(s.missingPermission ? { missingPermission: s.missingPermission } : {}),
  }));
}

export function createEvidenceRecorder(opts: EvidenceRecorderOptions): EvidenceRecorder & { readonly keyId: string } {
  const now = opts.now ?? (() => new Date());
  // Keeping the documents is best effort: a run is sealed even if they cannot be derived again
  // (the record then pins no stored documents, and verify has none of this run's to re-hash).
  const documentsOf = (snapshot: Snapshot): Readonly<Record<string, Json>> => {
    try { return opts.documentsFor?.(snapshot) ?? {}; } catch { return {}; }
  };
  return {
    keyId: opts.key.keyId,
    async seal(tx: Store, run: RunRecord, pins: EvidencePins): Promise<void> {
      const head = await chainHead(tx).catch((e: unknown) => fail(EVIDENCE_CODES.sealFailed, 'internal', `cannot read the evidence chain head: ${(e as Error).message}`));
      const docs = (pins as PinsWithDocuments).documents ?? documentsOf(pins.snapshot);

      const stored: Record<string, string> = {};
      for (const [surface, digest] of Object.entries(pins.snapshotDigests).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const doc = docs[surface];
        // Keep only the document the pipeline pinned: never one derived differently.
        if (doc === undefined || sha256Text(canonicalJson(doc)) !== digest) continue;
        const text = canonicalJson(opts.storable ? opts.storable(doc) : doc);
        const storedDigest = sha256Text(text);
        await putSnapshot(tx, storedDigest, text);
        await linkRunSnapshot(tx, run.id, surface, storedDigest);
        stored[surface] = storedDigest;
      }

      const findingRows = pins.findings.map((f) => ({ id: f.id, severity: f.severity, text: canonicalJson(toJson(f)) }));
      await insertFindings(tx, run.id, findingRows);

      const body: EvidenceBody = {
        formatVersion: EVIDENCE_FORMAT_VERSION,
        seq: (head?.seq ?? 0) + 1,
        prevHash: head?.hash ?? GENESIS_HASH,
        sealedAt: now().toISOString(),
        keyId: opts.key.keyId,
        run,
        pins: {
          toolVersion: pins.snapshot.toolVersion || TOOL_VERSION,
          policyDigest: run.policyDigest ?? null,
          baselineCommit: run.baselineCommit ?? null,
          configDigest: pins.configDigest,
          snapshot: { org: pins.snapshot.org, region: pins.snapshot.region, takenAt: pins.snapshot.takenAt, toolVersion: pins.snapshot.toolVersion },
          snapshotDigests: pins.snapshotDigests,
          storedSnapshots: stored,
        },
        coverage: coverageOf(pins.snapshot),
        findings: { count: findingRows.length, digest: digestOfCanonicalList(findingRows.map((f) => f.text)) },
      };
      const text = bodyText(body);
      await insertRecord(tx, {
        seq: body.seq, runId: run.id, org: run.org, sealedAt: body.sealedAt, body: text,
        prevHash: body.prevHash, recordHash: sha256Text(text), keyId: opts.key.keyId, signature: signText(text, opts.key.privateKey),
      });
    },
  };
}
