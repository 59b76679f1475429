// SQLite implementation of Store (better-sqlite3): WAL, foreign keys, busy timeout. The driver
// is synchronous; the store serialises work on its one connection so that an async transaction
// never interleaves with other statements.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DwFailure, dwError, fail } from '../model/errors.ts';
import { ALL_MIGRATIONS } from './migrations.ts';
import { SqlStore } from './sql-store.ts';
import { STORE_CODES, type Migration, type SqlParams, type SqlRow, type SqlValue, type Store } from './store.ts';

export type SqliteStoreOptions = {
  /** Migrations `migrate()` applies; default ALL_MIGRATIONS. */
  readonly migrations?: readonly Migration[];
  /** How long a statement waits for another process's write lock; default 5000 ms. */
  readonly busyTimeoutMs?: number;
};

type Db = Database.Database;
type Stmt = Database.Statement<unknown[], unknown>;

/** One connection and what every view of it (store, transactions) shares. */
class Connection {
  private readonly statements = new Map<string, Stmt>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Set while a transaction runs: the async context of its callback, to catch re-entry. */
  readonly inTransaction = new AsyncLocalStorage<Connection>();
  closed = false;
  constructor(readonly db: Db, readonly file: string) {}

  /** Runs `fn` after everything queued before it: one thing at a time on this connection. */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.then(() => undefined, () => undefined);
    return run;
  }

  prepare(sql: string): Stmt {
    let s = this.statements.get(sql);
    if (!s) {
      // Callers build SQL from constants, but bound the cache anyway.
      if (this.statements.size >= 500) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}

const bind = (params: SqlParams | undefined): unknown[] => (params ?? []).map((v: SqlValue) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v));

/** Driver errors become DwFailures; unique-key violations get their own code on every dialect. */
function translate(e: unknown, sql: string): never {
  if (e instanceof DwFailure) throw e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DwFailure(dwError(STORE_CODES.duplicate, 'internal', `duplicate key: ${message}`));
  throw new DwFailure(dwError(STORE_CODES.sql, 'internal', `SQL failed (${message}): ${sql.replace(/\s+/g, ' ').slice(0, 200)}`));
}

function runStatement(conn: Connection, sql: string, params: SqlParams | undefined): { changes: number } {
  try {
    const s = conn.prepare(sql);
    if (s.reader) return { changes: s.all(...bind(params)).length };
    return { changes: s.run(...bind(params)).changes };
  } catch (e) { return translate(e, sql); }
}

function runQuery<R>(conn: Connection, sql: string, params: SqlParams | undefined): readonly R[] {
  try {
    const s = conn.prepare(sql);
    if (!s.reader) return fail(STORE_CODES.sql, 'internal', `query() needs a statement that returns rows; use execute(): ${sql.slice(0, 200)}`);
    return s.all(...bind(params)) as R[];
  } catch (e) { return translate(e, sql); }
}

/** Transaction control statements, with driver errors (SQLITE_BUSY after the timeout) translated. */
function control(db: Db, sql: string): void {
  try { db.exec(sql); } catch (e) { translate(e, sql); }
}

export class SqliteStore extends SqlStore {
  readonly dialect = 'sqlite' as const;
  protected readonly migrations: readonly Migration[];
  private readonly conn: Connection;

  private constructor(conn: Connection, migrations: readonly Migration[]) {
    super();
    this.conn = conn;
    this.migrations = migrations;
  }

  /** Opens (creating the file and its folder) a database; `:memory:` for a throwaway one. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    let db: Db;
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (e) { return fail(STORE_CODES.open, 'internal', `cannot open the store at ${file}: ${(e as Error).message}`); }
    try {
      // WAL lets readers (report, dashboard) work while a run writes.
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    } catch (e) {
      db.close();
      return fail(STORE_CODES.open, 'internal', `cannot use ${file} as the store: ${(e as Error).message}`);
    }
    return new SqliteStore(new Connection(db, file), options.migrations ?? ALL_MIGRATIONS);
  }

  get file(): string { return this.conn.file; }

  private guard(): void {
    if (this.conn.closed) fail(STORE_CODES.closed, 'internal', `the store ${this.conn.file} is closed`);
    if (this.conn.inTransaction.getStore() === this.conn) fail(STORE_CODES.reentrant, 'internal', 'the store was used inside its own transaction; use the tx passed to the callback');
  }

  execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }> {
    this.guard();
    return this.conn.exclusive(() => { this.checkOpen(); return runStatement(this.conn, sql, params); });
  }

  query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]> {
    this.guard();
    return this.conn.exclusive(() => { this.checkOpen(); return runQuery<R>(this.conn, sql, params); });
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    this.guard();
    return this.conn.exclusive(async () => {
      this.checkOpen();
      const db = this.conn.db;
      // IMMEDIATE takes the write lock up front, so two processes cannot both read-then-write.
      control(db, 'BEGIN IMMEDIATE');
      const tx = new SqliteTx(this.conn, this.migrations, 0);
      try {
        const result = await this.conn.inTransaction.run(this.conn, () => fn(tx));
        control(db, 'COMMIT');
        return result;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      } finally {
        tx.end();
      }
    });
  }

  /** Waits for queued work (an open transaction included), then closes the file. */
  close(): Promise<void> {
    if (this.conn.closed) return Promise.resolve();
    return this.conn.exclusive(() => {
      if (this.conn.closed) return;
      this.conn.closed = true;
      this.conn.db.close();
    });
  }

  /** Closed while waiting in the queue. */
  private checkOpen(): void {
    if (this.conn.closed) fail(STORE_CODES.closed, 'internal', `the store ${this.conn.file} is closed`);
  }
}

/** The view of the connection handed to a transaction callback: statements run directly (the
 *  connection is already held), nested transactions are savepoints, and it dies with its transaction. */
class SqliteTx extends SqlStore {
  readonly dialect = 'sqlite' as const;
  private active = true;
  constructor(private readonly conn: Connection, protected readonly migrations: readonly Migration[], private readonly depth: number) { super(); }

  end(): void { this.active = false; }

  private guard(): void {
    if (!this.active || this.conn.closed) fail(STORE_CODES.closed, 'internal', 'this transaction has already ended; use the store, or do the work inside the transaction callback');
  }

  async execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }> {
    this.guard();
    return runStatement(this.conn, sql, params);
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]> {
    this.guard();
    return runQuery<R>(this.conn, sql, params);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    this.guard();
    const name = `dw_sp_${this.depth + 1}`;
    control(this.conn.db, `SAVEPOINT ${name}`);
    const inner = new SqliteTx(this.conn, this.migrations, this.depth + 1);
    try {
      const result = await fn(inner);
      control(this.conn.db, `RELEASE ${name}`);
      return result;
    } catch (e) {
      this.conn.db.exec(`ROLLBACK TO ${name}`);
      this.conn.db.exec(`RELEASE ${name}`);
      throw e;
    } finally {
      inner.end();
    }
  }

  close(): Promise<void> {
    return Promise.reject(new DwFailure(dwError(STORE_CODES.closed, 'internal', 'close the store, not a transaction')));
  }
}

/** Opens the SQLite store at `file` (folder created). Call `migrate()` before use. */
export function openSqliteStore(file: string, options?: SqliteStoreOptions): SqliteStore {
  return SqliteStore.open(file, options);
}
