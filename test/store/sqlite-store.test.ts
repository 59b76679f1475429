import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.ts';
import { ALL_MIGRATIONS, CORE_MIGRATIONS } from '../../src/store/migrations.ts';
import { openStore as openAndMigrate } from '../../src/store/open-store.ts';
import { newRunId, runIdTime } from '../../src/store/run-id.ts';
import type { Migration, Store } from '../../src/store/store.ts';
import type { RunRecord } from '../../src/model/findings.ts';
import { orgId, runId } from '../../src/model/ids.ts';
import { DwFailure } from '../../src/model/errors.ts';

const test = suite('sqlite store');
let root = '';
let n = 0;
const open: SqliteStore[] = [];
const dbFile = () => join(root, `case${n++}`, 'nested', 'driftwarden.db');
function openStore(file: string, migrations?: readonly Migration[]): SqliteStore {
  const s = openSqliteStore(file, migrations ? { migrations } : {});
  open.push(s);
  return s;
}

test.before(() => { root = mkdtempSync(join(tmpdir(), 'dw-store-')); });
test.after(async () => {
  for (const s of open) await s.close();
  rmSync(root, { recursive: true, force: true });
});

async function rejects(p: Promise<unknown>): Promise<DwFailure> {
  try { await p; } catch (e) { assert.instance(e, DwFailure); return e as DwFailure; }
  throw new Error('expected a DwFailure, the call succeeded');
}

function run(i: number, over: Partial<RunRecord> = {}): RunRecord {
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

test('opening creates the file and its folder, in WAL mode with foreign keys on', async () => {
  const file = dbFile();
  const s = openStore(file);
  assert.ok(existsSync(file));
  const [mode] = await s.query<{ journal_mode: string }>('PRAGMA journal_mode');
  const [fk] = await s.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
  const [busy] = await s.query<{ timeout: number }>('PRAGMA busy_timeout');
  assert.equal([mode!.journal_mode, fk!.foreign_keys, busy!.timeout], ['wal', 1, 5000]);
});

test('migrate applies pending migrations once and is idempotent', async () => {
  // The default list is every area's migrations, applied in id order.
  const all = [...ALL_MIGRATIONS].sort((a, b) => a.id - b.id);
  const s = openStore(dbFile());
  assert.equal(await s.migrate(), { applied: all.map((m) => m.id), alreadyApplied: [] });
  assert.equal(await s.migrate(), { applied: [], alreadyApplied: all.map((m) => m.id) });
  const rows = await s.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
  assert.equal(rows.map((r) => [r.id, r.name]), all.map((m) => [m.id, m.name]));
});

test('later areas add migrations as data; edited or unknown applied migrations are refused', async () => {
  const file = dbFile();
  const findings: Migration = {
    id: 100, name: 'findings',
    up: ['CREATE TABLE findings (id TEXT PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id))'],
  };
  const first = openStore(file, CORE_MIGRATIONS);
  await first.migrate();
  await first.close();
  const second = openStore(file, [...CORE_MIGRATIONS, findings]);
  assert.equal((await second.migrate()).applied, [100]);
  // the foreign key is enforced
  assert.is((await rejects(second.execute("INSERT INTO findings (id, run_id) VALUES ('f1', 'no-such-run')"))).error.code, 'DW6002');
  await second.close();

  const edited = openStore(file, [...CORE_MIGRATIONS, { ...findings, up: ['CREATE TABLE findings (id TEXT PRIMARY KEY)'] }]);
  assert.is((await rejects(edited.migrate())).error.code, 'DW6003');
  const reindented = openStore(file, [...CORE_MIGRATIONS, { ...findings, up: ['CREATE TABLE findings (id TEXT PRIMARY KEY,\n    run_id TEXT NOT NULL REFERENCES runs(id))'] }]);
  assert.equal((await reindented.migrate()).applied, []);
  const older = openStore(file, CORE_MIGRATIONS);
  assert.is((await rejects(older.migrate())).error.code, 'DW6008');
  const dup = openStore(dbFile(), [...CORE_MIGRATIONS, { ...findings, id: 1 }]);
  assert.is((await rejects(dup.migrate())).error.code, 'DW6006');
});

test('a failing migration is rolled back whole and not recorded', async () => {
  const file = dbFile();
  const broken: Migration = { id: 200, name: 'outbox', up: ['CREATE TABLE outbox (id TEXT PRIMARY KEY)', 'CREATE INDEX nope ON missing_table (x)'] };
  const s = openStore(file, [...CORE_MIGRATIONS, broken]);
  const f = await rejects(s.migrate());
  assert.is(f.error.code, 'DW6010');
  assert.match(f.error.message, 'migration 200 "outbox" statement 2 failed');
  assert.equal(await s.query("SELECT name FROM sqlite_master WHERE name = 'outbox'"), []);
  assert.equal((await s.query<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => r.id), [1]);
});

test('record, get and list runs round-trip exactly', async () => {
  const s = openStore(dbFile());
  await s.migrate();
  const runs = [1, 2, 3, 4, 5].map((i) => run(i));
  const withOptionals = run(6, { status: 'failed', policyDigest: 'sha256:abc', baselineCommit: 'f'.repeat(40), exitCode: 3, error: 'DW4001 token refused', durationsMs: {} });
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
});

test('a transaction commits on success and rolls back everything on throw, savepoints included', async () => {
  const s = openStore(dbFile());
  await s.migrate();
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

  // A failing nested transaction undoes only its own work.
  await s.transaction(async (tx) => {
    await tx.recordRun(run(4));
    await tx.transaction(async (inner) => { await inner.recordRun(run(5)); throw new Error('inner'); }).catch(() => undefined);
    await tx.transaction(async (inner) => { await inner.recordRun(run(6)); });
  });
  assert.equal((await s.listRuns()).map((r) => r.driftCount), [6, 4, 2, 1]);
});

test('transactions serialise with other work; misuse fails instead of deadlocking', async () => {
  const s = openStore(dbFile());
  await s.migrate();
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let leaked: Store | undefined;
  const txDone = s.transaction(async (tx) => { leaked = tx; await tx.recordRun(run(1)); await gate; await tx.recordRun(run(2)); });
  const outside = s.listRuns(); // queued behind the transaction: must see both runs
  release();
  await txDone;
  assert.is((await outside).length, 2);
  assert.is((await rejects(leaked!.recordRun(run(3)))).error.code, 'DW6005');
  const inner = await rejects(s.transaction(async () => { await s.listRuns(); }));
  assert.is(inner.error.code, 'DW6009');
});

test('data persists after closing and reopening the file; a closed store refuses work', async () => {
  const file = dbFile();
  const s = openStore(file);
  await s.migrate();
  await s.recordRun(run(1));
  await s.close();
  assert.is((await rejects(s.listRuns())).error.code, 'DW6005');
  const again = openStore(file);
  assert.equal((await again.migrate()).applied, []);
  assert.equal(await again.getRun(run(1).id), run(1));
});

test('a file that is not a database is reported, not crashed on', async () => {
  const file = join(root, 'not-a-db.db');
  writeFileSync(file, 'hello, this is not sqlite'.repeat(100));
  let err: unknown;
  try { openStore(file); } catch (e) { err = e; }
  assert.instance(err, DwFailure);
  assert.is((err as DwFailure).error.code, 'DW6001');
});

test('openStore opens and migrates in one step; a failing migration closes the store again', async () => {
  const file = dbFile();
  const s = await openAndMigrate(file);
  try {
    await s.recordRun(run(1));
    assert.equal((await s.query<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations'))[0]!.n, ALL_MIGRATIONS.length);
  } finally { await s.close(); }
  const f = await rejects(openAndMigrate(file, { migrations: [...ALL_MIGRATIONS, { id: 9999, name: 'bad', up: ['NOT SQL'] }] }));
  assert.is(f.error.code, 'DW6010');
});

test('run ids sort by time and carry it', () => {
  const a = newRunId(new Date('2026-11-25T09:59:59.999Z'), () => new Uint8Array([255, 0, 0, 0]));
  const b = newRunId(new Date('2026-11-25T10:00:00.000Z'), () => new Uint8Array([0, 0, 0, 1]));
  assert.is(a, '20261125T095959999Z-ff000000');
  assert.ok(a < b);
  assert.is(runIdTime(b), '2026-11-25T10:00:00.000Z');
  assert.is(runIdTime('x'), null);
  assert.match(newRunId(), /^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
});

test.run();
