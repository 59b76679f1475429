// Schema migrations of the notification outbox and delivery state (ids 200–299).
import type { Migration } from '../../store/store.ts';

export const OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    id: 200,
    name: 'outbox',
    up: [
      // One row per message a channel must receive: written in the run's transaction, sent after
      // commit. `idempotency_key` is deterministic (run + channel + part), so enqueueing the same
      // run twice never creates a second message, and every re-send after a crash carries the
      // same key. `seq` orders a channel's messages; `parts_json` lists the parts of a multi-part
      // digest already acknowledged, so a resumed delivery skips them. `claim` is who is sending
      // a `delivering` row (host:pid:nonce), so a restart can tell a crashed sender from a live one.
      `CREATE TABLE outbox_messages (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        run_id TEXT NOT NULL REFERENCES runs(id),
        org TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('digest', 'trigger', 'resolve', 'notice')),
        payload_json TEXT NOT NULL,
        finding_ids_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'dead')),
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        parts_json TEXT NOT NULL,
        claim TEXT NOT NULL,
        lease_until TEXT NOT NULL,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        seq INTEGER NOT NULL,
        UNIQUE (channel, seq)
      )`,
      'CREATE INDEX outbox_messages_status ON outbox_messages (status, channel, seq)',
      'CREATE INDEX outbox_messages_run ON outbox_messages (run_id)',
      // What each channel was last told about each finding, for dedup and reminders. `open` = 1
      // while a PagerDuty incident for the finding is triggered and not yet resolved by us.
      `CREATE TABLE notification_state (
        finding_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        org TEXT NOT NULL,
        last_severity TEXT NOT NULL,
        last_sent_at TEXT NOT NULL,
        last_run_id TEXT NOT NULL,
        open INTEGER NOT NULL,
        PRIMARY KEY (finding_id, channel)
      )`,
    ],
  },
];
