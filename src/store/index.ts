export type { Dialect, Migration, MigrationReport, RunQuery, SqlExecutor, SqlParams, SqlRow, SqlValue, Store } from './store.ts';
export { DIALECTS, STORE_CODES } from './store.ts';
export { ALL_MIGRATIONS, CORE_MIGRATIONS, checkMigrations, migrationChecksum, statementsFor } from './migrations.ts';
export { SqlStore } from './sql-store.ts';
export { SqliteStore, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { newRunId, runIdTime } from './run-id.ts';
export { openStore } from './open-store.ts';
export { storeLocation, type OpenStoreOptions } from './open-store.ts';
export { PostgresStore, openPostgresStore, isPostgresUrl, redactPostgresUrl, toPositional, POSTGRES_CODES, type PostgresStoreOptions } from './postgres-store.ts';
