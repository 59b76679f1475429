import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.ts';
import { ALL_MIGRATIONS } from '../../src/store/migrations.ts';
import { openStore as openAndMigrate } from '../../src/store/open-store.ts';
import { newRunId, runIdTime } from '../../src/store/run-id.ts';
import type { Migration, Store } from '../../src/store/store.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { rejects, run } from './store-behaviour.ts';

// What every store must do is in store-behaviour.ts (run against SQLite and PostgreSQL);
// this file keeps what is SQLite's own: the file, pragmas, in-process queueing, run ids.
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



test('opening creates the file and its folder, in WAL mode with foreign keys on', async () => {
  const file = dbFile();
  const s = openStore(file);
  assert.ok(existsSync(file));
  const [mode] = await s.query<{ journal_mode: string }>('PRAGMA journal_mode');
  const [fk] = await s.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
  const [busy] = await s.query<{ timeout: number }>('PRAGMA busy_timeout');
  assert.equal([mode!.journal_mode, fk!.foreign_keys, busy!.timeout], ['wal', 1, 5000]);
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
