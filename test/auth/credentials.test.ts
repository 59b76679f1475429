import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Credentials, credentialsFromEnv, loadCredentials, loadCredentialsFile } from '../../src/auth/credentials.ts';
import { Secret } from '../../src/auth/secret.ts';
import { DwFailure, formatDwError } from '../../src/model/errors.ts';

const SECRET = 'CANARY-s3cr3t-value-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'dw-cred-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string, mode: number) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  chmodSync(f, mode);
  return f;
};
const failure = (f: () => unknown): DwFailure => {
  try { f(); } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new Error('expected a DwFailure');
};

test('a 0600 JSON or YAML file is read', () => {
  const j = loadCredentialsFile(write('c.json', JSON.stringify({ clientId: 'abc', clientSecret: SECRET }), 0o600));
  assert.is(j.clientId, 'abc');
  assert.is(j.clientSecret.reveal(), SECRET);
  const y = loadCredentialsFile(write('c.yaml', `clientId: def\nclientSecret: ${SECRET}\n`, 0o400));
  assert.is(y.clientId, 'def');
});

test('a group/world readable file is refused with a clear message', () => {
  const f = write('open.json', JSON.stringify({ clientId: 'abc', clientSecret: SECRET }), 0o644);
  const e = failure(() => loadCredentialsFile(f));
  assert.is(e.error.code, 'DW4003');
  assert.is(e.error.kind, 'bad-input');
  assert.match(e.message, 'mode 0644');
  assert.match(e.message, `chmod 600 ${f}`);
  assert.not.match(e.message, SECRET);
  const g = write('group.json', JSON.stringify({ clientId: 'abc', clientSecret: SECRET }), 0o640);
  assert.is(failure(() => loadCredentialsFile(g)).error.code, 'DW4003');
});

test('a malformed file names file:line:col but never echoes the secret line', () => {
  const f = write('bad.yaml', `clientId: abc\nclientSecret: ${SECRET}\nextra: 1\n`, 0o600);
  const e = failure(() => loadCredentialsFile(f));
  assert.is(e.error.code, 'DW4004');
  assert.is(e.error.at?.line, 3);
  assert.match(e.message, 'unknown key "extra"');
  assert.not.match(formatDwError(e.error), SECRET);
  const missing = write('missing.json', `{"clientId": "abc"}`, 0o600);
  assert.is(failure(() => loadCredentialsFile(missing)).error.code, 'DW4004');
  assert.is(failure(() => loadCredentialsFile(join(dir, 'nope.json'))).error.code, 'DW4002');
});

test('environment variables: both, neither, or a clear error for one', () => {
  const c = credentialsFromEnv({ GENESYS_CLIENT_ID: 'id1', GENESYS_CLIENT_SECRET: SECRET });
  assert.is(c?.clientId, 'id1');
  assert.is(credentialsFromEnv({}), undefined);
  assert.is(failure(() => credentialsFromEnv({ GENESYS_CLIENT_ID: 'id1' })).error.code, 'DW4001');
  assert.is(failure(() => loadCredentials({ env: {} })).error.code, 'DW4001');
  assert.is(loadCredentials({ env: { GENESYS_CLIENT_ID: 'id2', GENESYS_CLIENT_SECRET: SECRET } }).clientId, 'id2');
});

test('secrets never show in inspect, JSON, String or template output', () => {
  const c = new Credentials('visible-id', SECRET, 'env');
  const outputs = [inspect(c), inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c), JSON.stringify({ nested: [c] }),
    String(c.clientSecret), `${c.clientSecret}`, inspect(c.clientSecret), inspect({ c }), JSON.stringify(new Secret(SECRET))];
  for (const o of outputs) assert.not.match(o, SECRET);
  assert.match(inspect(c), 'visible-id');
  assert.ok(c.clientSecret.sameAs(new Secret(SECRET)));
});

test.run();
