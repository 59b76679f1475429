// Public surface of the evidence chain.
export { EVIDENCE_MIGRATIONS } from './migrations.ts';
export { EVIDENCE_CODES } from './codes.ts';
export { evidenceKeyPaths, loadOrCreateSigningKey, readVerifyingKey, verifyingKeyFromPem, keyIdOf, type SigningKey, type VerifyingKey } from './keys.ts';
export { createEvidenceRecorder, coverageOf, type EvidenceRecorderOptions } from './recorder.ts';
export { maskFreeText } from './mask-document.ts';
export { verifyEvidence, type VerifyProblem, type VerifyResult } from './verify.ts';
export { GENESIS_HASH, type EvidenceBody, type EvidencePinsRecord } from './record.ts';
export { allRecords, recordOfRun, findingTexts, runSnapshotLinks, readSnapshot, type EvidenceRow } from './rows.ts';
