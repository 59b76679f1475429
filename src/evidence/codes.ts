// Error and problem codes of the evidence chain and reports (DW8000–DW8299).
export const EVIDENCE_CODES = {
  keyReadable: 'DW8001',     // the signing key file is readable by group/others
  keyInvalid: 'DW8002',      // the signing / public key file cannot be read as an Ed25519 key
  sealFailed: 'DW8003',      // a run could not be sealed (chain head unreadable, ...)
  noPublicKey: 'DW8010',     // verify: no public key to check signatures with
  noStore: 'DW8011',         // verify/report: the configured store does not exist
  // Problems `verify` reports (values, not thrown): each names the chain position.
  recordUnreadable: 'DW8020',
  hashMismatch: 'DW8021',    // the record's text was edited (its hash no longer matches)
  badSignature: 'DW8022',    // the signature does not match the record
  unknownKey: 'DW8023',      // signed by a key that is not the trusted public key
  chainBroken: 'DW8024',     // prev-hash does not point at the record before it (removed/reordered)
  sequence: 'DW8025',        // positions are not 1..n in order (removed/reordered/inserted)
  runMismatch: 'DW8026',     // the runs row differs from what was sealed
  runMissing: 'DW8027',      // the sealed run's row is gone
  findingsMismatch: 'DW8028',// stored findings differ from the sealed digest
  snapshotMissing: 'DW8029', // a referenced snapshot document is gone
  snapshotMismatch: 'DW8030',// a stored snapshot document no longer matches its digest
  unsealedRun: 'DW8031',     // a completed run has no evidence record
  // Report command
  badOption: 'DW8101',
  badDate: 'DW8102',
  runNotFound: 'DW8103',
  noRuns: 'DW8104',
  writeFailed: 'DW8105',
  renderFailed: 'DW8201',
} as const;
