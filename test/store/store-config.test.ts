// Pointing driftwarden at PostgreSQL from driftwarden.yaml: `store.url` next to `store.path`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig } from '../../src/config/load-config.ts';
import { storeLocation } from '../../src/store/open-store.ts';
import { DwFailure } from '../../src/model/errors.ts';

const test = suite('store config');
const FILE = '/etc/dw/driftwarden.yaml';
const config = (store: string) => parseConfig(`orgs:
  - id: acme
    region: mypurecloud.ie
    credentials:
      env: { clientId: ACME_ID, clientSecret: ACME_SECRET }
${store}
`, FILE);

function failure(fn: () => unknown): DwFailure {
  try { fn(); } catch (e) { assert.instance(e, DwFailure); return e as DwFailure; }
  throw new Error('expected a DwFailure, nothing was thrown');
}

test('without store.url the run history is the SQLite file at store.path', () => {
  const c = config('store: { path: state/runs.db }');
  assert.equal(c.store, { path: '/etc/dw/state/runs.db', url: null });
  assert.is(storeLocation(c.store), '/etc/dw/state/runs.db');
  assert.equal(config('').store, { path: '/etc/dw/.driftwarden/driftwarden.db', url: null });
});

test('store.url moves the run history to PostgreSQL; store.path still anchors local state', () => {
  const c = config('store: { url: "postgres://driftwarden@db.internal:5432/dw?sslmode=require" }');
  assert.equal(c.store, { path: '/etc/dw/.driftwarden/driftwarden.db', url: 'postgres://driftwarden@db.internal:5432/dw?sslmode=require' });
  assert.is(storeLocation(c.store), 'postgres://driftwarden@db.internal:5432/dw?sslmode=require');
  assert.is(config('store: { url: "postgresql://db/dw" }').store.url, 'postgresql://db/dw');
});

test('store.url must be a postgres URL without a password, and the error does not echo the password', () => {
  const scheme = failure(() => config('store: { url: "mysql://db/dw" }'));
  assert.is(scheme.error.code, 'DW1102');
  assert.match(scheme.error.message, 'store.url');
  for (const url of ['postgres://dw:hunter2@db/dw', 'postgres://dw@db/dw?password=hunter2']) {
    const f = failure(() => config(`store:\n  url: "${url}"`));
    assert.is(f.error.code, 'DW1106');
    assert.is(f.message.split('\n')[0], `${FILE}:7:8 DW1106 store.url: must not contain a password; set PGPASSWORD or use ~/.pgpass`);
    assert.not.match(f.message, 'hunter2');
  }
});

test.run();
