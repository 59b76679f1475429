// Schema migrations of findings lifecycle and waivers (ids 100–199).
import type { Migration } from '../store/store.ts';

export const LIFECYCLE_MIGRATIONS: readonly Migration[] = [
  {
    id: 100,
    name: 'findings',
    up: [
      // One row per finding id (a hash of org, surface, path, rule): its latest known state.
      // No drift values are stored here: they may be secret, and the evidence stage keeps the
      // redacted findings of each run.
      `CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL,
        surface TEXT NOT NULL,
        path TEXT NOT NULL,
        rule TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        sensitivity TEXT NOT NULL,
        title TEXT NOT NULL,
        frameworks_json TEXT NOT NULL,
        drift_kind TEXT,
        state TEXT NOT NULL CHECK (state IN ('new', 'ongoing', 'resolved', 'regressed')),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        last_run_id TEXT NOT NULL REFERENCES runs(id),
        resolved_at TEXT,
        owner TEXT,
        waiver_id TEXT,
        waiver_status TEXT,
        attribution_json TEXT
      )`,
      'CREATE INDEX findings_org_state ON findings (org, state)',
      // What each run decided about each finding, for the history of a finding.
      `CREATE TABLE finding_history (
        run_id TEXT NOT NULL REFERENCES runs(id),
        finding_id TEXT NOT NULL,
        org TEXT NOT NULL,
        state TEXT NOT NULL,
        severity TEXT NOT NULL,
        waiver_id TEXT,
        waiver_status TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (run_id, finding_id)
      )`,
      'CREATE INDEX finding_history_finding ON finding_history (finding_id, at)',
    ],
  },
];
