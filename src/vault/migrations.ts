// Schema migrations of the encrypted audit vault (ids 300–399).
//   vault_entries   one row per distinct secret value seen at a place (org, surface, path,
//                   fingerprint); the value only as AES-256-GCM ciphertext (base64 text, portable)
//   vault_requests  the two-person reveal workflow: who asked, why, who approved, when revealed
//   vault_log       append-only, hash-chained record of every vault step (no values, ever)
import type { Migration } from '../store/store.ts';

export const VAULT_MIGRATIONS: readonly Migration[] = [
  {
    id: 300,
    name: 'vault',
    up: [
      `CREATE TABLE vault_entries (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL,
        surface TEXT NOT NULL,
        path TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        key_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        ciphertext TEXT NOT NULL,
        tag TEXT NOT NULL,
        first_run TEXT NOT NULL REFERENCES runs(id),
        first_seen TEXT NOT NULL,
        last_run TEXT NOT NULL REFERENCES runs(id),
        last_seen TEXT NOT NULL,
        seen_count INTEGER NOT NULL,
        UNIQUE (org, surface, path, fingerprint)
      )`,
      'CREATE INDEX vault_entries_org ON vault_entries (org, surface, path)',
      `CREATE TABLE vault_requests (
        id TEXT PRIMARY KEY,
        entry_id TEXT NOT NULL REFERENCES vault_entries(id),
        subject TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT,
        revealed_at TEXT
      )`,
      `CREATE TABLE vault_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )`,
    ],
  },
];
