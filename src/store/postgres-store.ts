// PostgreSQL implementation of Store (node-postgres, a connection pool), for when a fleet of orgs
// outgrows one machine. Domain methods and migrations are inherited from SqlStore unchanged; this
// file supplies the primitives and makes PostgreSQL behave like the SQLite store where callers
// can tell the difference: `?` placeholders, numbers for integer columns, savepoints for nested
// transactions, and top-level transactions that never interleave (like SQLite's one writer).
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { CustomTypesConfig, PoolClient, QueryConfig, QueryResult } from 'pg';
import { DwFailure, dwError, fail } from '../model/errors.ts';
import { ALL_MIGRATIONS } from './migrations.ts';
import { SqlStore } from './sql-store.ts';
import { STORE_CODES, type MigrationReport, type Migration, type SqlParams, type SqlRow, type SqlValue, type Store } from './store.ts';

export const POSTGRES_CODES = {
  badUrl: 'DW6201',   // the store location is not a usable postgres:// URL
  connect: 'DW6202',  // cannot reach or sign in to the server, database missing, or connection lost
  aborted: 'DW6203',  // a statement failed earlier in this transaction, so PostgreSQL refuses the rest
} as const;

export type PostgresStoreOptions = {
  /** Migrations `migrate()` applies; default ALL_MIGRATIONS. */
  readonly migrations?: readonly Migration[];
  /** Most connections the pool opens; default 10. */
  readonly maxConnections?: number;
  /** How long to wait for a connection (opening one, or a free one from the pool); default 10000 ms. */
  readonly connectTimeoutMs?: number;
  /** Top-level transactions of every process sharing the database run one at a time, as on
   *  SQLite (BEGIN IMMEDIATE): domain code reads-then-writes in transactions (sequence numbers,
   *  hash chains, leases) and relies on it. Default true; migrations are always serialised. */
  readonly serializeTransactions?: boolean;
};

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** True for a `postgres://` or `postgresql://` location. */
export const isPostgresUrl = (location: string): boolean => POSTGRES_URL.test(location);

/** The URL with any password (in the authority or as a `password` parameter) replaced by `***`,
 *  fit for messages and logs. */
export function redactPostgresUrl(location: string): string {
  let u: URL;
  try { u = new URL(location); } catch { return location.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@'); }
  if (u.password) u.password = '***';
  for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
  return u.toString();
}

/** Rewrites `?` placeholders to `$1..$n`, leaving string literals, quoted identifiers, comments
 *  and dollar-quoted bodies alone. (PostgreSQL's JSON operators `?`, `?|`, `?&` are therefore not
 *  usable in portable SQL; nothing in driftwarden needs them.) */
export function toPositional(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c);
  const copyUntil = (end: number) => { out += sql.slice(i, end); i = end; };
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '?') { out += `$${++n}`; i++; continue; }
    if (c === "'") {
      // E'...' strings treat backslash as an escape; plain ones only double the quote.
      const backslashes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isWord(sql[i - 2]);
      let j = i + 1;
      while (j < sql.length) {
        if (backslashes && sql[j] === '\\') { j += 2; continue; }
        if (sql[j] === "'") { if (sql[j + 1] === "'") { j += 2; continue; } break; }
        j++;
      }
      copyUntil(Math.min(j + 1, sql.length));
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      copyUntil(Math.min(j + 1, sql.length));
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      copyUntil(nl === -1 ? sql.length : nl);
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // PostgreSQL block comments nest.
      let depth = 1, j = i + 2;
      while (j < sql.length && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { depth++; j += 2; }
        else if (sql[j] === '*' && sql[j + 1] === '/') { depth--; j += 2; }
        else j++;
      }
      copyUntil(j);
      continue;
    }
    if (c === '$' && !isWord(sql[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(close === -1 ? sql.length : close + tag[0].length);
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

// node-postgres returns BIGINT (COUNT, SUM of integers) and NUMERIC as strings, booleans as
// booleans, JSON as objects and times as Date. Callers get what SQLite gives them instead:
// numbers (a bigint only beyond 2^53), 1/0, and text.
const asNumber = (text: string): number | bigint | string => {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
};
const asText = (text: string): string => text;
const TYPE_OIDS = pg.types.builtins;
const PARSERS = new Map<number, (text: string) => SqlValue>([
  [TYPE_OIDS.INT8, asNumber],
  [TYPE_OIDS.NUMERIC, asNumber],
  [TYPE_OIDS.BOOL, (text) => (text === 't' ? 1 : 0)],
  ...[TYPE_OIDS.JSON, TYPE_OIDS.JSONB, TYPE_OIDS.DATE, TYPE_OIDS.TIME, TYPE_OIDS.TIMETZ, TYPE_OIDS.TIMESTAMP, TYPE_OIDS.TIMESTAMPTZ, TYPE_OIDS.INTERVAL]
    .map((oid): [number, (text: string) => SqlValue] => [oid, asText]),
]);
const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => PARSERS.get(oid) ?? pg.types.getTypeParser(oid, format),
} as CustomTypesConfig;

/** Every driftwarden transaction in one database takes this advisory lock (the bytes "dwtx"). */
const TRANSACTION_LOCK = 0x64777478;

const bind = (params: SqlParams | undefined): unknown[] =>
  (params ?? []).map((v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v));

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 200);

// SQLSTATE classes 08 (connection), 28 (authorisation), 3D000 (no such database), 57P01-57P03
// (server shutting down / not ready), and Node's socket errors.
const CONNECTION_ERROR = /^(08|28|3D000|57P0[123]|E[A-Z]+$)/;
// node-postgres's own words for a connection that is gone or never came.
const CONNECTION_MESSAGE = /Connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout/i;

/** Driver errors become DwFailures; a unique-key violation gets its own code on every dialect. */
function translate(e: unknown, sql: string, location: string): never {
  if (e instanceof DwFailure) throw e;
  const code = String((e as { code?: unknown }).code ?? '');
  const message = e instanceof Error ? e.message : String(e);
  const detail = (e as { detail?: unknown }).detail;
  if (code === '23505') fail(STORE_CODES.duplicate, 'internal', `duplicate key: ${message}${typeof detail === 'string' ? ` (${detail})` : ''}`);
  if (code === '25P02') fail(POSTGRES_CODES.aborted, 'internal', `an earlier statement of this transaction failed, so PostgreSQL refuses the rest of it: ${oneLine(sql)}`);
  if (/after calling end on the pool/.test(message)) fail(STORE_CODES.closed, 'internal', `the store ${location} is closed`);
  if (CONNECTION_ERROR.test(code) || CONNECTION_MESSAGE.test(message)) {
    fail(POSTGRES_CODES.connect, 'upstream', `cannot use the PostgreSQL store ${location}: ${message}`);
  }
  return fail(STORE_CODES.sql, 'internal', `SQL failed (${message}): ${oneLine(sql)}`);
}

type Queryable = pg.Pool | PoolClient;

/** One statement, always through the extended protocol: parameters are never spliced into the
 *  text, and a string holding two statements is refused before anything runs (as on SQLite). */
function send(db: Queryable, sql: string, params: SqlParams | undefined): Promise<QueryResult> {
  const config: QueryConfig & { readonly queryMode: 'extended' } = { text: toPositional(sql), values: bind(params), queryMode: 'extended' };
  return db.query(config);
}

function rowsOf<R>(result: QueryResult, sql: string): readonly R[] {
  // No row description: the statement returns no rows (an INSERT without RETURNING ...).
  if (result.fields.length === 0) return fail(STORE_CODES.sql, 'internal', `query() needs a statement that returns rows; use execute(): ${oneLine(sql)}`);
  return result.rows as R[];
}

/** What the store and every transaction view of it share. */
class Shared {
  closed = false;
  closing: Promise<void> | undefined;
  readonly inflight = new Set<Promise<unknown>>();
  /** Set while a transaction callback runs, to catch the outer store used inside it. */
  readonly inTransaction = new AsyncLocalStorage<Shared>();
  /** Set while migrate() runs: its statements and transactions take the transaction lock. */
  readonly migrating = new AsyncLocalStorage<boolean>();
  constructor(readonly pool: pg.Pool, readonly location: string, readonly serialize: boolean) {}

  /** Counts `work` as in flight until it settles, so close() can wait for it. */
  track<T>(work: () => Promise<T>): Promise<T> {
    const p = work();
    this.inflight.add(p);
    const forget = () => { this.inflight.delete(p); };
    p.then(forget, forget);
    return p;
  }
}

export class PostgresStore extends SqlStore {
  readonly dialect = 'postgres' as const;
  protected readonly migrations: readonly Migration[];
  private readonly shared: Shared;

  private constructor(shared: Shared, migrations: readonly Migration[]) {
    super();
    this.shared = shared;
    this.migrations = migrations;
  }

  /** Connects to the database at `url` (checked with one round trip). Call `migrate()` before use. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const location = redactPostgresUrl(url);
    if (!isPostgresUrl(url)) fail(POSTGRES_CODES.badUrl, 'bad-input', `${location} is not a PostgreSQL URL; write postgres://user@host:port/database`);
    try { new URL(url); } catch { fail(POSTGRES_CODES.badUrl, 'bad-input', `${location} is not a valid URL; write postgres://user@host:port/database`); }
    const pool = new pg.Pool({
      connectionString: url,
      types: TYPES,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // Idle connections close after a while and never keep the process alive; close() ends the rest.
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection the server drops is reported here; without a listener it would crash
    // the process. The next statement gets a fresh connection (or a DW6202).
    pool.on('error', () => undefined);
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      const message = e instanceof Error ? e.message : String(e);
      return fail(POSTGRES_CODES.connect, 'upstream', `cannot open the PostgreSQL store ${location}: ${message}`);
    }
    return new PostgresStore(new Shared(pool, location, options.serializeTransactions ?? true), options.migrations ?? ALL_MIGRATIONS);
  }

  /** The database URL, password masked. */
  get location(): string { return this.shared.location; }

  private guard(): void {
    if (this.shared.closed) fail(STORE_CODES.closed, 'internal', `the store ${this.shared.location} is closed`);
    if (this.shared.inTransaction.getStore() === this.shared) fail(STORE_CODES.reentrant, 'internal', 'the store was used inside its own transaction; use the tx passed to the callback');
  }

  override migrate(): Promise<MigrationReport> {
    return this.shared.migrating.run(true, () => super.migrate());
  }

  // The guards reject (rather than throw before a promise exists), so `.catch()` sees them too.
  async execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }> {
    this.guard();
    // migrate() creates schema_migrations outside a transaction; under the lock, two processes
    // starting at once cannot race on creating it.
    if (this.shared.migrating.getStore()) return this.transaction((tx) => tx.execute(sql, params));
    return this.shared.track(async () => {
      try { return { changes: (await send(this.shared.pool, sql, params)).rowCount ?? 0 }; }
      catch (e) { return translate(e, sql, this.shared.location); }
    });
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]> {
    this.guard();
    return this.shared.track(async () => {
      let result: QueryResult;
      try { result = await send(this.shared.pool, sql, params); }
      catch (e) { return translate(e, sql, this.shared.location); }
      return rowsOf<R>(result, sql);
    });
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    this.guard();
    const { shared } = this;
    return shared.track(async () => {
      const held = await begin(shared, shared.serialize || shared.migrating.getStore() === true);
      const { client } = held;
      const state = new TxState();
      const tx = new PostgresTx(client, this.migrations, 0, state, shared.location);
      try {
        const result = await shared.inTransaction.run(shared, () => fn(tx));
        // The callback caught a failed statement and carried on: PostgreSQL would answer COMMIT
        // with a silent ROLLBACK. Say so instead of pretending the work was saved.
        if (state.failed !== null) fail(POSTGRES_CODES.aborted, 'internal', `the transaction was rolled back: a statement failed inside it (${state.failed}) and the error was caught; wrap a statement that may fail in tx.transaction(...) to undo only that part`);
        const commit = await state.serial(() => control(client, 'COMMIT', shared.location));
        if (commit.command !== 'COMMIT') fail(POSTGRES_CODES.aborted, 'internal', 'PostgreSQL rolled the transaction back at COMMIT');
        return result;
      } catch (e) {
        try { await state.serial(() => client.query('ROLLBACK')); } catch { held.broken = true; }
        throw e;
      } finally {
        tx.end();
        held.release();
      }
    });
  }

  /** Refuses new work, waits for work in flight (an open transaction included), then closes the pool. */
  close(): Promise<void> {
    const { shared } = this;
    shared.closing ??= (async () => {
      shared.closed = true;
      while (shared.inflight.size > 0) await Promise.allSettled([...shared.inflight]);
      await shared.pool.end();
    })();
    return shared.closing;
  }
}

/** A connection checked out of the pool. One the server drops while it is out (restart,
 *  pg_terminate_backend) emits 'error'; unheard, that would crash the process. The statement in
 *  progress fails on its own; the connection is then discarded instead of going back to the pool. */
class Held {
  broken = false;
  private readonly onError = () => { this.broken = true; };
  constructor(readonly client: PoolClient) { client.on('error', this.onError); }
  release(discard = false): void {
    this.client.off('error', this.onError);
    this.client.release(discard || this.broken);
  }
}

const isConnectionError = (e: unknown): boolean =>
  CONNECTION_ERROR.test(String((e as { code?: unknown }).code ?? '')) || CONNECTION_MESSAGE.test(e instanceof Error ? e.message : '');

/** A pooled connection inside a fresh transaction (holding the transaction lock when `lock`).
 *  A connection the server dropped while it sat idle in the pool fails here, before any work was
 *  done, so it is discarded and a new one tried, once. */
async function begin(shared: Shared, lock: boolean): Promise<Held> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient;
    try { client = await shared.pool.connect(); }
    catch (e) { return translate(e, 'BEGIN', shared.location); }
    const held = new Held(client);
    try {
      await client.query('BEGIN');
      if (lock) await client.query(`SELECT pg_advisory_xact_lock(${TRANSACTION_LOCK})`);
      return held;
    } catch (e) {
      held.release(true);
      if (attempt === 1 && isConnectionError(e)) continue;
      return translate(e, lock ? 'BEGIN; SELECT pg_advisory_xact_lock(...)' : 'BEGIN', shared.location);
    }
  }
}

/** What a top-level transaction and its savepoints share. */
class TxState {
  /** The first statement that failed inside the transaction, until a savepoint rollback undoes
   *  that failure. PostgreSQL refuses every statement in between. */
  failed: string | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /** Statements run one at a time on the connection, in call order, even when the callback does
   *  not await each (node-postgres deprecates queueing on a busy client). */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.then(() => undefined, () => undefined);
    return run;
  }
}

async function control(client: PoolClient, sql: string, location: string): Promise<QueryResult> {
  try { return await client.query(sql); } catch (e) { return translate(e, sql, location); }
}

/** The view of one pooled connection handed to a transaction callback: nested transactions are
 *  savepoints, and it dies with its transaction. */
class PostgresTx extends SqlStore {
  readonly dialect = 'postgres' as const;
  private active = true;
  constructor(
    private readonly client: PoolClient,
    protected readonly migrations: readonly Migration[],
    private readonly depth: number,
    private readonly state: TxState,
    private readonly location: string,
  ) { super(); }

  end(): void { this.active = false; }

  private guard(sql: string): void {
    if (!this.active) fail(STORE_CODES.closed, 'internal', 'this transaction has already ended; use the store, or do the work inside the transaction callback');
    if (this.state.failed !== null) fail(POSTGRES_CODES.aborted, 'internal', `a statement failed earlier in this transaction (${this.state.failed}), so PostgreSQL refuses the rest of it; wrap a statement that may fail in tx.transaction(...) to recover: ${oneLine(sql)}`);
  }

  private async run(sql: string, params: SqlParams | undefined): Promise<QueryResult> {
    this.guard(sql);
    return this.state.serial(async () => {
      this.guard(sql); // an earlier queued statement may have failed meanwhile
      try { return await send(this.client, sql, params); }
      catch (e) {
        this.state.failed = e instanceof Error ? e.message : String(e);
        return translate(e, sql, this.location);
      }
    });
  }

  private control(sql: string): Promise<QueryResult> {
    return this.state.serial(() => control(this.client, sql, this.location));
  }

  async execute(sql: string, params?: SqlParams): Promise<{ readonly changes: number }> {
    return { changes: (await this.run(sql, params)).rowCount ?? 0 };
  }

  async query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<readonly R[]> {
    return rowsOf<R>(await this.run(sql, params), sql);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const name = `dw_sp_${this.depth + 1}`;
    this.guard(`SAVEPOINT ${name}`);
    await this.control(`SAVEPOINT ${name}`);
    const inner = new PostgresTx(this.client, this.migrations, this.depth + 1, this.state, this.location);
    try {
      const result = await fn(inner);
      if (this.state.failed !== null) fail(POSTGRES_CODES.aborted, 'internal', `the nested transaction was rolled back: a statement failed inside it (${this.state.failed}) and the error was caught`);
      await this.control(`RELEASE ${name}`);
      return result;
    } catch (e) {
      // Back to the savepoint: the failure inside is undone and the outer transaction goes on.
      await this.control(`ROLLBACK TO ${name}`);
      await this.control(`RELEASE ${name}`);
      this.state.failed = null;
      throw e;
    } finally {
      inner.end();
    }
  }

  close(): Promise<void> {
    return Promise.reject(new DwFailure(dwError(STORE_CODES.closed, 'internal', 'close the store, not a transaction')));
  }
}

/** Connects to the PostgreSQL database at `url`. Call `migrate()` before use. */
export function openPostgresStore(url: string, options?: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(url, options);
}
