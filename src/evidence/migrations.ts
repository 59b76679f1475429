// Schema migrations of the evidence chain and reports (ids 400–499).
// evidence_records: one signed, hash-chained record per sealed run, `seq` = position in the chain.
// evidence_snapshots: normalized, secret-sealed surface documents, content-addressed by digest
//   (gzip + base64 TEXT so the column is portable), shared by every run that saw the same doc.
// evidence_run_snapshots: which document each run's surface pointed at.
// evidence_findings: the redacted findings of each run, in run order, so reports never read files.
import type { Migration } from '../store/store.ts';

export const EVIDENCE_MIGRATIONS: readonly Migration[] = [
  {
    id: 400,
    name: 'evidence-chain',
    up: [
      `CREATE TABLE evidence_records (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE REFERENCES runs(id),
        org TEXT NOT NULL,
        sealed_at TEXT NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      )`,
      'CREATE INDEX evidence_records_org ON evidence_records (org, seq)',
      `CREATE TABLE evidence_snapshots (
        digest TEXT PRIMARY KEY,
        encoding TEXT NOT NULL,
        content TEXT NOT NULL
      )`,
      `CREATE TABLE evidence_run_snapshots (
        run_id TEXT NOT NULL REFERENCES runs(id),
        surface TEXT NOT NULL,
        digest TEXT NOT NULL,
        PRIMARY KEY (run_id, surface)
      )`,
      `CREATE TABLE evidence_findings (
        run_id TEXT NOT NULL REFERENCES runs(id),
        ord INTEGER NOT NULL,
        finding_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, ord)
      )`,
      'CREATE INDEX evidence_findings_id ON evidence_findings (finding_id)',
    ],
  },
];
