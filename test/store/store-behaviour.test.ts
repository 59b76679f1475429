// The shared Store behaviour suite against the default implementation, SQLite (always runs).
// postgres-store.test.ts runs the same suite against PostgreSQL.
import { suite } from 'uvu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { defineStoreBehaviour } from './store-behaviour.ts';

const test = suite('store behaviour: sqlite');
let root = '';
let n = 0;
const opened: Store[] = [];

test.before(() => { root = mkdtempSync(join(tmpdir(), 'dw-store-behaviour-')); });
test.after(async () => {
  for (const s of opened) await s.close();
  rmSync(root, { recursive: true, force: true });
});

defineStoreBehaviour(test, {
  dialect: 'sqlite',
  freshLocation: async () => join(root, `case${n++}`, 'driftwarden.db'),
  open: async (file, migrations) => {
    const s = openSqliteStore(file, migrations ? { migrations } : {});
    opened.push(s);
    return s;
  },
  tables: async (s) => (await s.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name.toLowerCase()),
});

test.run();
