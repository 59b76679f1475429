// The PostgreSQL store against a real, throwaway PostgreSQL server (test/helpers/postgres.ts):
// the shared Store behaviour suite, then what only PostgreSQL needs (placeholders, types,
// aborted transactions, cross-process serialisation, URLs). Without PostgreSQL installed the
// suite is skipped with the reason printed, except in CI (CI installs it), where it fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { PostgresStore, openPostgresStore, redactPostgresUrl, toPositional } from '../../src/store/postgres-store.ts';
import { ALL_MIGRATIONS, CORE_MIGRATIONS } from '../../src/store/migrations.ts';
import { openStore, storeLocation } from '../../src/store/open-store.ts';
import type { Migration, Store } from '../../src/store/store.ts';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres.ts';
import { defineStoreBehaviour, rejects, run } from './store-behaviour.ts';

const test = suite('store behaviour: postgres');
const unavailable = postgresUnavailable();
let server: PostgresServer | undefined;
let startError: Error | undefined;
const opened: Store[] = [];

const pgServer = (): PostgresServer => {
  if (startError) throw startError;
  if (!server) throw new Error('the PostgreSQL server did not start');
  return server;
};
const fresh = () => pgServer().createDatabase();
async function open(url: string, migrations?: readonly Migration[], options: { serializeTransactions?: boolean } = {}): Promise<PostgresStore> {
  const s = await openPostgresStore(url, { ...(migrations ? { migrations } : {}), ...options });
  opened.push(s);
  return s;
}

// Starting the server can fail (CI without PostgreSQL, a broken install): keep the error and let
// every test report it, instead of a hook throwing and taking the whole test process down.
test.before(async () => {
  try { server = await startPostgres(); } catch (e) { startError = e as Error; }
});
test.after(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  await server?.stop();
});

if (unavailable && !process.env.CI) {
  console.warn(`\n!!! SKIPPING the PostgreSQL store tests: ${unavailable}\n`);
  test.skip('PostgreSQL store (PostgreSQL not installed)', () => undefined);
} else {
  defineStoreBehaviour(test, {
    dialect: 'postgres',
    freshLocation: fresh,
    open: (url, migrations) => open(url, migrations),
    tables: async (s) => (await s.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")).map((r) => r.name.toLowerCase()),
  });

  test('? placeholders become $n outside literals, quoted names, comments and dollar quotes', () => {
    assert.is(toPositional('SELECT * FROM t WHERE a = ? AND b IN (?, ?)'), 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)');
    assert.is(toPositional("SELECT 'what?', 'it''s ?', ? FROM \"we?ird\"\"?\" WHERE x = ?"), "SELECT 'what?', 'it''s ?', $1 FROM \"we?ird\"\"?\" WHERE x = $2");
    assert.is(toPositional("SELECT E'a\\'?', ? -- why?\n, ? /* outer /* nested? */ still? */ , ?"), "SELECT E'a\\'?', $1 -- why?\n, $2 /* outer /* nested? */ still? */ , $3");
    assert.is(toPositional('SELECT $$ ? $$, $tag$ ?$$? $tag$, ?, a$b'), 'SELECT $$ ? $$, $tag$ ?$$? $tag$, $1, a$b');
    assert.is(toPositional("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
  });

  test('values round-trip with SQLite types: bigint beyond 2^53, booleans as 1/0, REAL, text with ?, BYTEA via upFor.postgres', async () => {
    const blobs: Migration = {
      id: 900, name: 'blobs',
      up: ['CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB, big BIGINT, ratio REAL)'],
      upFor: { postgres: ['CREATE TABLE blobs (id TEXT PRIMARY KEY, data BYTEA, big BIGINT, ratio DOUBLE PRECISION)'] },
    };
    const s = await open(await fresh(), [...CORE_MIGRATIONS, blobs]);
    await s.migrate();
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    await s.execute('INSERT INTO blobs (id, data, big, ratio) VALUES (?, ?, ?, ?)', ["it's a '?'", bytes, 9007199254740993n, 812.5]);
    const [row] = await s.query<{ id: string; data: Uint8Array; big: bigint; ratio: number; yes: number; no: number }>(
      'SELECT id, data, big, ratio, 1 = 1 AS yes, 1 = 2 AS no FROM blobs WHERE id = ?', ["it's a '?'"]);
    assert.equal([row!.id, [...row!.data], row!.big, row!.ratio, row!.yes, row!.no], ["it's a '?'", [...bytes], 9007199254740993n, 812.5, 1, 0]);
    assert.equal(await s.query('SELECT COUNT(*) AS n, SUM(big) AS total FROM blobs WHERE big < ?', [10]), [{ n: 0, total: null }]);
  });

  test('concurrent statements in a transaction are queued by the store, not by node-postgres (deprecated there)', async () => {
    const s = await open(await fresh());
    await s.migrate();
    const warnings: string[] = [];
    const onWarning = (w: Error) => { warnings.push(w.message); };
    process.on('warning', onWarning);
    try {
      await s.transaction((tx) => Promise.all([1, 2, 3, 4].map((i) => tx.recordRun(run(i)))));
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
    } finally { process.off('warning', onWarning); }
    assert.equal(warnings.filter((w) => /already executing a query/.test(w)), []);
    assert.is((await s.listRuns()).length, 4);
  });

  test('one statement per call, refused before anything runs; query() needs rows', async () => {
    const s = await open(await fresh());
    await s.migrate();
    assert.is((await rejects(s.execute("DELETE FROM schema_migrations; SELECT 1"))).error.code, 'DW6002');
    assert.is((await s.query('SELECT id FROM schema_migrations')).length, ALL_MIGRATIONS.length);
    assert.is((await rejects(s.query("UPDATE schema_migrations SET name = name WHERE id = 0"))).error.code, 'DW6002');
  });

  test('a caught statement failure inside a transaction rolls it back with DW6203 instead of committing silently', async () => {
    const s = await open(await fresh());
    await s.migrate();
    await s.recordRun(run(1));
    const codes: string[] = [];
    const f = await rejects(s.transaction(async (tx) => {
      await tx.recordRun(run(2));
      try { await tx.recordRun(run(1)); } catch (e) { codes.push((e as { error: { code: string } }).error.code); }
      try { await tx.recordRun(run(3)); } catch (e) { codes.push((e as { error: { code: string } }).error.code); }
    }));
    assert.equal(codes, ['DW6004', 'DW6203']);
    assert.is(f.error.code, 'DW6203');
    assert.match(f.error.message, 'rolled back');
    assert.equal((await s.listRuns()).map((r) => r.driftCount), [1]);
  });

  test('top-level transactions of different processes run one at a time, like SQLite', async () => {
    const url = await fresh();
    const a = await open(url);
    await a.migrate();
    const b = await open(url); // its own pool: as another process would
    let entered!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const order: string[] = [];
    const first = a.transaction(async (tx) => { await tx.recordRun(run(1)); entered(); await gate; order.push('a done'); });
    await inside;
    // b reads and then writes; if it ran now it would see no runs and finish before a.
    const second = b.transaction(async (tx) => { order.push('b starts'); const seen = (await tx.listRuns()).length; await tx.recordRun(run(2)); return seen; });
    // Give b every chance to overtake: a round trip on a third connection.
    await b.query('SELECT pg_sleep(0.05) AS slept').finally(release);
    await first;
    assert.is(await second, 1);
    assert.equal(order, ['a done', 'b starts']);

    // With serialisation off, PostgreSQL's own concurrency applies: the second transaction does
    // not wait. (Were it to wait for the lock, lock_timeout, set through the URL, fails it.)
    const c = await open(`${url}?options=${encodeURIComponent('-c lock_timeout=3000')}`, undefined, { serializeTransactions: false });
    let releaseAgain!: () => void;
    const gateAgain = new Promise<void>((r) => { releaseAgain = r; });
    let enteredAgain!: () => void;
    const insideAgain = new Promise<void>((r) => { enteredAgain = r; });
    const held = c.transaction(async (tx) => { await tx.recordRun(run(3)); enteredAgain(); await gateAgain; });
    await insideAgain;
    // The gate opens whatever happens, so a failing assertion cannot leave a transaction open.
    const seen = await c.transaction(async (tx) => (await tx.listRuns()).length).finally(releaseAgain);
    await held;
    assert.is(seen, 2);
  });

  test('two processes migrating one database at once apply each migration once', async () => {
    const url = await fresh();
    const [a, b] = await Promise.all([open(url), open(url)]);
    const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
    assert.equal([...ra.applied, ...rb.applied].sort((x, y) => x - y), ALL_MIGRATIONS.map((m) => m.id).sort((x, y) => x - y));
    assert.is((await a.query('SELECT id FROM schema_migrations')).length, ALL_MIGRATIONS.length);
  });

  test('openStore: postgres:// and postgresql:// open PostgreSQL; other schemes and bad URLs are DW6201', async () => {
    const url = await fresh();
    const s = await openStore(url.replace(/^postgres:/, 'postgresql:'));
    opened.push(s);
    assert.is(s.dialect, 'postgres');
    assert.is(storeLocation({ path: '/var/lib/dw/runs.db', url }), url);
    assert.is(storeLocation({ path: '/var/lib/dw/runs.db', url: null }), '/var/lib/dw/runs.db');
    assert.is((await rejects(openStore('postgress://u@127.0.0.1/db'))).error.code, 'DW6201');
    assert.is((await rejects(openStore('mysql://u:hunter2@127.0.0.1/db'))).error.code, 'DW6201');
    assert.is((await rejects(openPostgresStore('/var/lib/dw/runs.db'))).error.code, 'DW6201');
    assert.is((await rejects(openPostgresStore('postgres://u@[::1'))).error.code, 'DW6201');
  });

  test('a connection the server drops is DW6202 and is replaced; the process does not crash', async () => {
    const url = await fresh();
    const s = await open(url);
    await s.migrate();
    const admin = await open(url);
    const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend(?) AS done', [pid]);
    const f = await rejects(s.transaction(async (tx) => {
      await tx.recordRun(run(1));
      const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.equal(await terminate(me!.pid), [{ done: 1 }]);
      await tx.recordRun(run(2));
    }));
    assert.is(f.error.code, 'DW6202');
    assert.equal(await s.listRuns(), []);
    // Idle pooled connections dropped too: the next statements open new ones.
    const [me] = await s.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await terminate(me!.pid);
    await s.transaction((tx) => tx.recordRun(run(3)));
    assert.equal((await s.listRuns()).map((r) => r.driftCount), [3]);
  });

  test('an unreachable server, an unknown database or user is DW6202, with the password masked', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as { port: number };
        srv.close(() => resolve(p));
      });
    });
    const down = await rejects(openStore(`postgres://dw:hunter2@127.0.0.1:${port}/dw`));
    assert.is(down.error.code, 'DW6202');
    assert.is(down.error.kind, 'upstream');
    assert.not.match(down.error.message, 'hunter2');
    assert.match(down.error.message, `postgres://dw:***@127.0.0.1:${port}/dw`);
    const noDb = await rejects(openStore(pgServer().url.replace(/\/[^/]+$/, '/no_such_db')));
    assert.is(noDb.error.code, 'DW6202');
    assert.match(noDb.error.message, 'no_such_db');
    assert.is(redactPostgresUrl('postgres://u:p@h/db?sslmode=require&password=x'), 'postgres://u:***@h/db?sslmode=require&password=***');
  });
}

test.run();
