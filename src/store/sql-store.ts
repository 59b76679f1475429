// Everything a Store does beyond running SQL: migrations and run records, written once on top of
// the primitives. An implementation (SQLite today, PostgreSQL later) extends this class and
// supplies execute, query, transaction and close.
import { fail } from '../model/errors.ts';
import type { RunRecord } from '../model/findings.ts';
import type { RunId } from '../model/ids.ts';
import { checkMigrations, migrationChecksum, statementsFor } from './migrations.ts';
import { insertRun, selectRun, selectRuns } from './run-rows.ts';
import { STORE_CODES, type Dialect, type Migration, type MigrationReport, type RunQuery, type SqlParams, type SqlRow, type Store } from './store.ts';

export abstract class SqlStore implements Store {
  abstract readonly dialect: Dialect;
  protected abstract readonly migrations: readonly Migration[];
  abstract execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }>;
  abstract query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]>;
  abstract transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  async migrate(): Promise<MigrationReport> {
    const migrations = checkMigrations(this.migrations);
    await this.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      checksum TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const known = new Map(migrations.map((m) => [m.id, m]));
    const applied = await this.query<{ id: number; name: string; checksum: string }>('SELECT id, name, checksum FROM schema_migrations ORDER BY id');
    for (const row of applied) {
      const id = Number(row.id);
      const m = known.get(id);
      if (!m) fail(STORE_CODES.unknownMigration, 'internal', `the database has migration ${id} "${row.name}" that this driftwarden does not know; it was migrated by a newer version`);
      else if (migrationChecksum(m) !== row.checksum) fail(STORE_CODES.migrationChanged, 'internal', `migration ${id} "${m.name}" was edited after it was applied; restore it and add a new migration instead`);
    }
    const done = new Set(applied.map((r) => Number(r.id)));
    const newlyApplied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      const ran = await this.transaction(async (tx) => {
        // Another process may have applied it since we looked: re-check under the write lock.
        if ((await tx.query('SELECT id FROM schema_migrations WHERE id = ?', [m.id])).length > 0) return false;
        for (const [i, sql] of statementsFor(m, this.dialect).entries()) {
          try { await tx.execute(sql); }
          catch (e) { fail(STORE_CODES.migrationFailed, 'internal', `migration ${m.id} "${m.name}" statement ${i + 1} failed: ${(e as Error).message}`); }
        }
        await tx.execute('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)', [m.id, m.name, migrationChecksum(m), new Date().toISOString()]);
        return true;
      });
      if (ran) newlyApplied.push(m.id);
    }
    return { applied: newlyApplied, alreadyApplied: migrations.filter((m) => done.has(m.id)).map((m) => m.id) };
  }

  recordRun(run: RunRecord): Promise<void> { return insertRun(this, run); }
  getRun(id: RunId): Promise<RunRecord | null> { return selectRun(this, id); }
  listRuns(query?: RunQuery): Promise<readonly RunRecord[]> { return selectRuns(this, query); }
}
