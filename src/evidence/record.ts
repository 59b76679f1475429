// What one evidence record says, and how it is hashed and signed. The record body is canonical
// JSON (sorted keys, no whitespace): its exact text is what the hash and the signature cover, so
// a flipped byte anywhere in it breaks both.
import { sign, verify, type KeyObject } from 'node:crypto';
import { sha256Digest } from '../model/digest.ts';
import { canonicalJson } from '../normalize/index.ts';
import type { CoverageRow } from '../report/run-report.ts';
import type { Json, RunRecord } from '../model/findings.ts';

export const EVIDENCE_FORMAT_VERSION = 1;
/** prev-hash of the first record of a chain. */
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

export type EvidencePinsRecord = {
  readonly toolVersion: string;
  readonly policyDigest: string | null;
  readonly baselineCommit: string | null;
  readonly configDigest: string;
  readonly snapshot: { readonly org: string; readonly region: string; readonly takenAt: string; readonly toolVersion: string };
  /** Surface -> `sha256:` of its normalized, secret-sealed document. */
  readonly snapshotDigests: Readonly<Record<string, string>>;
  /** Surface -> `sha256:` of the document kept in the store (so `verify` can re-hash it): the
   *  pinned document with free text masked; equal to the pinned digest when nothing was masked. */
  readonly storedSnapshots: Readonly<Record<string, string>>;
};

export type EvidenceBody = {
  readonly formatVersion: typeof EVIDENCE_FORMAT_VERSION;
  readonly seq: number;
  readonly prevHash: string;
  readonly sealedAt: string;
  readonly keyId: string;
  readonly run: RunRecord;
  readonly pins: EvidencePinsRecord;
  readonly coverage: readonly CoverageRow[];
  readonly findings: { readonly count: number; readonly digest: string };
};

export const sha256Text = sha256Digest;

/** Plain JSON of a value built from typed records: drops undefined members, as JSON would. */
export const toJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

export const bodyText = (body: EvidenceBody): string => canonicalJson(toJson(body));

/** Digest of a list of canonical JSON texts taken as one JSON array (how findings are pinned). */
export const digestOfCanonicalList = (texts: readonly string[]): string => sha256Text(`[${texts.join(',')}]`);

export const signText = (text: string, key: KeyObject): string => sign(null, Buffer.from(text, 'utf8'), key).toString('base64');

export function signatureValid(text: string, signature: string, key: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
