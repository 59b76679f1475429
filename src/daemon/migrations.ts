// Tables of the daemon (ids 500–599): the per-org lease that keeps two daemons (or a daemon and
// an overlapping tick) from checking one org at once, and per-org schedule state.
import type { Migration } from '../store/store.ts';

export const DAEMON_MIGRATIONS: readonly Migration[] = [
  {
    id: 500,
    name: 'daemon_leases',
    up: [
      `CREATE TABLE daemon_leases (
        org TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
    ],
  },
  {
    id: 501,
    name: 'daemon_schedule',
    up: [
      `CREATE TABLE daemon_schedule (
        org TEXT PRIMARY KEY,
        last_tick_at TEXT,
        blind_raised_at TEXT
      )`,
    ],
  },
];
