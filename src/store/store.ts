// The run-history store behind one async interface. SQLite is the default implementation;
// PostgreSQL plugs in by implementing the same four primitives (see README.md), because every
// domain method and every migration is written once, in portable SQL, on top of them.
import type { OrgId, RunId } from '../model/ids.ts';
import type { RunRecord } from '../model/findings.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** Values a statement may bind. Booleans are stored as 0/1, timestamps as ISO-8601 UTC text,
 *  structured values as JSON text: the same on every dialect. */
export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlParams = readonly SqlValue[];
export type SqlRow = { readonly [column: string]: SqlValue };

/** Run SQL with `?` placeholders (a PostgreSQL implementation rewrites them to `$1, $2, ...`). */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** One statement that returns no rows; `changes` = rows inserted/updated/deleted. */
  execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }>;
  /** One statement that returns rows (column names as written in the SELECT). */
  query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]>;
}

export type RunQuery = { readonly org?: OrgId; /** default 100 */ readonly limit?: number };

export type MigrationReport = { readonly applied: readonly number[]; readonly alreadyApplied: readonly number[] };

export interface Store extends SqlExecutor {
  /** Applies every pending migration, each in its own transaction; safe to call on every start. */
  migrate(): Promise<MigrationReport>;
  recordRun(run: RunRecord): Promise<void>;
  getRun(id: RunId): Promise<RunRecord | null>;
  /** Newest first (by startedAt, then id). */
  listRuns(query?: RunQuery): Promise<readonly RunRecord[]>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   *  Use only `tx` inside `fn` (the outer store waits for the transaction to end). Nested calls on
   *  `tx` become savepoints. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A schema change, stored as data. `up` is portable SQL, one statement per element; `upFor`
 *  replaces it for a dialect where no portable form exists. Never edit a migration once it has
 *  shipped (its checksum is recorded); add a new one. */
export type Migration = {
  readonly id: number;
  readonly name: string;
  readonly up: readonly string[];
  readonly upFor?: Partial<Readonly<Record<Dialect, readonly string[]>>>;
};

export const STORE_CODES = {
  open: 'DW6001',              // cannot open/create the database
  sql: 'DW6002',               // a statement failed
  migrationChanged: 'DW6003',  // an applied migration's SQL was edited
  duplicate: 'DW6004',         // unique key violated (e.g. a run id recorded twice)
  closed: 'DW6005',            // store closed, or a transaction handle used after it ended
  badMigrations: 'DW6006',     // migration list invalid (duplicate ids, empty SQL ...)
  badRow: 'DW6007',            // a stored row cannot be read back
  unknownMigration: 'DW6008',  // database migrated by a newer driftwarden
  reentrant: 'DW6009',         // outer store used inside its own transaction (would deadlock)
  migrationFailed: 'DW6010',   // a migration statement failed
} as const;
