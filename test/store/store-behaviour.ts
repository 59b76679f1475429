// The behaviour every Store implementation must show, written once against the Store interface
// and run against SQLite (store-behaviour.test.ts) and PostgreSQL (postgres-store.test.ts).
// Only the harness knows how to make a fresh database and list its tables.
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_MIGRATIONS, CORE_MIGRATIONS, statementsFor } from '../../src/store/migrations.ts';
import { openStore as openAndMigrate } from '../../src/store/open-store.ts';
import { newRunId } from '../../src/store/run-id.ts';
import type { Dialect, Migration, Store } from '../../src/store/store.ts';
import type { RunRecord } from '../../src/model/findings.ts';
import { orgId, runId } from '../../src/model/ids.ts';
import { DwFailure } from '../../src/model/errors.ts';

export type StoreHarness = {
  readonly dialect: Dialect;
  /** Location of a new, empty database (a file path or a URL). */
  freshLocation(): Promise<string>;
  /** Opens without migrating; the harness closes it after the suite. */
  open(location: string, migrations?: readonly Migration[]): Promise<Store>;
  /** Names of the tables in the database, lower case. */
  tables(store: Store): Promise<readonly string[]>;
};

/** The DwFailure `p` rejects with. Takes a function too, for calls that may throw before
 *  returning a promise (SqliteStore's guards do). */
export async function rejects(p: Promise<unknown> | (() => Promise<unknown>)): Promise<DwFailure> {
  try { await (typeof p === 'function' ? p() : p); } catch (e) { assert.instance(e, DwFailure); return e as DwFailure; }
  throw new Error('expected a DwFailure, the call succeeded');
}

export function run(i: number, over: Partial<RunRecord> = {}): RunRecord {
  const started = new Date(Date.UTC(2026, 10, 25, 10, 0, i));
  return {
    id: newRunId(started, () => new Uint8Array([i, i, i, i])),
    org: orgId(i % 2 ? 'acme' : 'globex'),
    startedAt: started.toISOString(),
    finishedAt: new Date(started.getTime() + 1500).toISOString(),
    status: 'drift',
    surfacesOk: 9,
    surfacesTotal: 10,
    driftCount: i,
    findingCount: 2 * i,
    durationsMs: { snapshot: 812.5, diff: 3, policy: 41 },
    exitCode: 1,
    ...over,
  };
}

/** Every table the migrations create for `dialect`, from their CREATE TABLE statements. */
function tablesCreatedBy(migrations: readonly Migration[], dialect: Dialect): string[] {
  return migrations.flatMap((m) => statementsFor(m, dialect))
    .map((sql) => /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/i.exec(sql)?.[1]?.toLowerCase())
    .filter((t): t is string => t !== undefined);
}

export function defineStoreBehaviour(test: Test, h: StoreHarness): void {
  const fresh = async (migrations?: readonly Migration[]) => h.open(await h.freshLocation(), migrations);
  const migrated = async () => { const s = await fresh(); await s.migrate(); return s; };

  test('every migration of every area applies, once, in id order; migrate is idempotent', async () => {
    const all = [...ALL_MIGRATIONS].sort((a, b) => a.id - b.id);
    const s = await fresh();
    assert.equal(await s.migrate(), { applied: all.map((m) => m.id), alreadyApplied: [] });
    assert.equal(await s.migrate(), { applied: [], alreadyApplied: all.map((m) => m.id) });
    const rows = await s.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
    assert.equal(rows.map((r) => [r.id, r.name]), all.map((m) => [m.id, m.name]));
    const tables = await h.tables(s);
    for (const t of ['schema_migrations', ...tablesCreatedBy(all, h.dialect)]) assert.ok(tables.includes(t), `table ${t} exists`);
  });

  test('later migrations are added as data; edited, unknown or duplicate migrations are refused', async () => {
    const location = await h.freshLocation();
    const findings: Migration = { id: 100, name: 'findings', up: ['CREATE TABLE findings (id TEXT PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id))'] };
    const first = await h.open(location, CORE_MIGRATIONS);
    await first.migrate();
    await first.close();
    const second = await h.open(location, [...CORE_MIGRATIONS, findings]);
    assert.equal(await second.migrate(), { applied: [100], alreadyApplied: [1] });
    // the foreign key is enforced, and its violation is a plain statement failure
    assert.is((await rejects(second.execute("INSERT INTO findings (id, run_id) VALUES ('f1', 'no-such-run')"))).error.code, 'DW6002');
    await second.close();
    const edited = await h.open(location, [...CORE_MIGRATIONS, { ...findings, up: ['CREATE TABLE findings (id TEXT PRIMARY KEY)'] }]);
    assert.is((await rejects(edited.migrate())).error.code, 'DW6003');
    const reindented = await h.open(location, [...CORE_MIGRATIONS, { ...findings, up: ['CREATE TABLE findings (id TEXT PRIMARY KEY,\n    run_id TEXT NOT NULL REFERENCES runs(id))'] }]);
    assert.equal((await reindented.migrate()).applied, []);
    assert.is((await rejects((await h.open(location, CORE_MIGRATIONS)).migrate())).error.code, 'DW6008');
    assert.is((await rejects((await fresh([...CORE_MIGRATIONS, { ...findings, id: 1 }])).migrate())).error.code, 'DW6006');
  });

  test('a failing migration is rolled back whole and not recorded', async () => {
    const broken: Migration = { id: 200, name: 'outbox', up: ['CREATE TABLE outbox (id TEXT PRIMARY KEY)', 'CREATE INDEX nope ON missing_table (x)'] };
    const s = await fresh([...CORE_MIGRATIONS, broken]);
    const f = await rejects(s.migrate());
    assert.is(f.error.code, 'DW6010');
    assert.match(f.error.message, 'migration 200 "outbox" statement 2 failed');
    assert.not.ok((await h.tables(s)).includes('outbox'), 'the table of statement 1 was rolled back');
    assert.equal((await s.query<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => r.id), [1]);
  });

  test('record, get and list runs round-trip exactly; a run id recorded twice is DW6004', async () => {
    const s = await migrated();
    const runs = [1, 2, 3, 4, 5].map((i) => run(i));
    const withOptionals = run(6, { status: 'failed', policyDigest: 'sha256:abc', baselineCommit: 'f'.repeat(40), exitCode: 3, error: "DW4001 token refused: it's 'quoted' and has a ? mark", durationsMs: {} });
    for (const r of [...runs, withOptionals]) await s.recordRun(r);
    assert.equal(await s.getRun(runs[2]!.id), runs[2]);
    assert.equal(await s.getRun(withOptionals.id), withOptionals);
    assert.is(await s.getRun(runId('nope')), null);
    assert.equal((await s.listRuns()).map((r) => r.id), [withOptionals, ...runs].map((r) => r.id).sort().reverse());
    assert.equal(await s.listRuns({ org: orgId('acme') }), [runs[4], runs[2], runs[0]]);
    assert.equal((await s.listRuns({ limit: 2 })).map((r) => r.driftCount), [6, 5]);
    assert.equal(await s.listRuns({ org: orgId('initech') }), []);
    const dup = await rejects(s.recordRun(runs[0]!));
    assert.is(dup.error.code, 'DW6004');
    assert.match(dup.error.message, runs[0]!.id);
    // The code comes from the store itself, not from run-rows: any unique key, any table.
    assert.is((await rejects(s.execute("INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (1, 'again', 'x', 'y')"))).error.code, 'DW6004');
  });

  test('integers come back as numbers: columns, COUNT, SUM, MAX; changes counts rows', async () => {
    const s = await migrated();
    for (const i of [1, 2, 3]) await s.recordRun(run(i));
    const [agg] = await s.query('SELECT COUNT(*) AS n, SUM(drift_count) AS total, MAX(finding_count) AS hi, MIN(exit_code) AS lo FROM runs');
    assert.equal(agg, { n: 3, total: 6, hi: 6, lo: 1 });
    const [row] = await s.query("SELECT surfaces_ok, drift_count FROM runs WHERE org = 'globex'");
    assert.equal(row, { surfaces_ok: 9, drift_count: 2 });
    assert.equal(await s.execute("UPDATE runs SET exit_code = 0 WHERE org = 'acme'"), { changes: 2 });
    assert.equal(await s.execute("DELETE FROM runs WHERE org = 'nobody'"), { changes: 0 });
  });

  test('a transaction commits on success and rolls back everything on throw, savepoints included', async () => {
    const s = await migrated();
    await s.transaction(async (tx) => { await tx.recordRun(run(1)); await tx.recordRun(run(2)); });
    let thrown: unknown;
    try {
      await s.transaction(async (tx) => {
        await tx.recordRun(run(3));
        assert.is((await tx.listRuns()).length, 3); // visible inside
        throw new Error('boom');
      });
    } catch (e) { thrown = e; }
    assert.is((thrown as Error).message, 'boom');
    assert.equal((await s.listRuns()).map((r) => r.driftCount), [2, 1]);

    // A failing nested transaction undoes only its own work, at any depth.
    await s.transaction(async (tx) => {
      await tx.recordRun(run(4));
      await tx.transaction(async (inner) => { await inner.recordRun(run(5)); throw new Error('inner'); }).catch(() => undefined);
      await tx.transaction(async (inner) => {
        await inner.recordRun(run(6));
        await inner.transaction(async (deeper) => { await deeper.recordRun(run(7)); throw new Error('deeper'); }).catch(() => undefined);
        await inner.transaction(async (deeper) => { await deeper.recordRun(run(8)); });
      });
    });
    assert.equal((await s.listRuns()).map((r) => r.driftCount), [8, 6, 4, 2, 1]);

    // Work committed by savepoints is still undone when the outer transaction fails.
    await s.transaction(async (tx) => {
      await tx.transaction(async (inner) => { await inner.recordRun(run(9)); });
      throw new Error('outer');
    }).catch(() => undefined);
    assert.is(await s.getRun(run(9).id), null);
  });

  test('a statement that may fail is run in a nested transaction; the outer one goes on', async () => {
    const s = await migrated();
    await s.recordRun(run(1));
    const codes: string[] = [];
    await s.transaction(async (tx) => {
      await tx.recordRun(run(2));
      // The portable way to survive a failed statement: PostgreSQL aborts the whole transaction
      // otherwise, SQLite would not; a savepoint behaves the same on both.
      try { await tx.transaction((inner) => inner.recordRun(run(1))); } catch (e) { codes.push((e as DwFailure).error.code); }
      await tx.recordRun(run(3));
    });
    assert.equal(codes, ['DW6004']);
    assert.equal((await s.listRuns()).map((r) => r.driftCount), [3, 2, 1]);
  });

  test('statements a transaction issues without awaiting each one all run, in order, before it commits', async () => {
    const s = await migrated();
    const ids = await s.transaction(async (tx) => {
      const writes = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => tx.recordRun(run(i)));
      const reads = Promise.all([tx.query('SELECT COUNT(*) AS n FROM runs'), tx.transaction((inner) => inner.listRuns())]);
      await Promise.all(writes);
      return reads;
    });
    assert.equal(ids[0], [{ n: 8 }]);
    assert.is(ids[1].length, 8);
    assert.is((await s.listRuns()).length, 8);
  });

  test('misuse fails instead of deadlocking: an ended transaction, the outer store inside a transaction', async () => {
    const s = await migrated();
    let leaked: Store | undefined;
    await s.transaction(async (tx) => { leaked = tx; await tx.recordRun(run(1)); });
    assert.is((await rejects(leaked!.recordRun(run(3)))).error.code, 'DW6005');
    assert.is((await rejects(leaked!.close())).error.code, 'DW6005');
    const inner = await rejects(s.transaction(async () => { await s.listRuns(); }));
    assert.is(inner.error.code, 'DW6009');
    assert.equal((await s.listRuns()).length, 1);
  });

  test('data persists after closing and reopening; a closed store refuses work', async () => {
    const location = await h.freshLocation();
    const s = await h.open(location);
    await s.migrate();
    await s.recordRun(run(1));
    await s.close();
    await s.close(); // twice is fine
    assert.is((await rejects(s.listRuns())).error.code, 'DW6005');
    assert.is((await rejects(() => s.execute('SELECT 1'))).error.code, 'DW6005');
    const again = await h.open(location);
    assert.equal((await again.migrate()).applied, []);
    assert.equal(await again.getRun(run(1).id), run(1));
  });

  test('close waits for a transaction in flight, which then commits', async () => {
    const location = await h.freshLocation();
    const s = await h.open(location);
    await s.migrate();
    let entered!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const tx = s.transaction(async (t) => { await t.recordRun(run(1)); entered(); await gate; await t.recordRun(run(2)); });
    await inside;
    const closed = s.close();
    release();
    await tx;
    await closed;
    const again = await h.open(location);
    assert.is((await again.listRuns()).length, 2);
  });

  test('openStore picks the implementation from the location, opens and migrates in one step', async () => {
    const location = await h.freshLocation();
    const s = await openAndMigrate(location);
    try {
      assert.is(s.dialect, h.dialect);
      await s.recordRun(run(1));
      assert.equal((await s.query('SELECT COUNT(*) AS n FROM schema_migrations'))[0], { n: ALL_MIGRATIONS.length });
    } finally { await s.close(); }
    const f = await rejects(openAndMigrate(location, { migrations: [...ALL_MIGRATIONS, { id: 9999, name: 'bad', up: ['NOT SQL'] }] }));
    assert.is(f.error.code, 'DW6010');
  });
}
