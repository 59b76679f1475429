import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSnapshot, parseSnapshot, readSnapshotFile, writeSnapshotFile } from '../../src/snapshot/snapshot-file.ts';
import { jsonErrorOffset } from '../../src/snapshot/json-error-offset.ts';
import { SECRET_MASK } from '../../src/snapshot/mask-secrets.ts';
import { SURFACES } from '../../src/genesys/surfaces.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { orgId, surfaceId } from '../../src/model/ids.ts';
import type { Snapshot } from '../../src/model/findings.ts';

const dir = mkdtempSync(join(tmpdir(), 'dw-snap-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const SNAP: Snapshot = {
  formatVersion: 1, org: orgId('org-1'), region: 'us_east_1', takenAt: '2026-01-02T03:04:05.000Z', toolVersion: '0.1.0',
  surfaces: [
    { surface: surfaceId('routing-settings'), status: 'ok', data: { resetAgentScoreOnPresenceChange: false } },
    { surface: surfaceId('oauth-clients'), status: 'forbidden', missingPermission: 'oauth:client:view', reason: 'HTTP 403' },
    { surface: surfaceId('roles'), status: 'failed', reason: 'DW4101 GET /api/v2/authorization/roles failed after 6 attempts' },
  ],
};

const failure = (f: () => unknown): DwFailure => {
  try { f(); } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new Error('expected a DwFailure');
};

test('write then read round-trips; the file is pretty JSON, private, and ends with a newline', () => {
  const f = join(dir, 'sub', 'snap.json');
  writeSnapshotFile(f, SNAP, SURFACES);
  assert.equal(readSnapshotFile(f), SNAP);
  const text = readFileSync(f, 'utf8');
  assert.is(text, formatSnapshot(SNAP));
  assert.ok(text.endsWith('}\n'));
  assert.is(statSync(f).mode & 0o777, 0o600);
});

test('secret fields are masked in the file (by catalog row; unknown surfaces with every pattern)', () => {
  const withSecrets: Snapshot = { ...SNAP, surfaces: [
    { surface: surfaceId('oauth-clients'), status: 'ok', data: { entities: [{ id: 'c1', name: 'n', secret: 'CANARY-one' }, { id: 'c2', secret: '' }] } },
    { surface: surfaceId('not-in-catalog'), status: 'ok', data: { credentialFields: { password: 'CANARY-two' }, secret: 'CANARY-three' } },
  ] };
  const f = join(dir, 'secrets.json');
  writeSnapshotFile(f, withSecrets, SURFACES);
  const text = readFileSync(f, 'utf8');
  for (const c of ['CANARY-one', 'CANARY-two', 'CANARY-three']) assert.not.match(text, c);
  const back = readSnapshotFile(f);
  assert.equal(back.surfaces[0]!.data, { entities: [{ id: 'c1', name: 'n', secret: SECRET_MASK }, { id: 'c2', secret: '' }] });
  assert.is((withSecrets.surfaces[0]!.data as { entities: { secret: string }[] }).entities[0]!.secret, 'CANARY-one', 'the in-memory snapshot is untouched');
});

test('JSON syntax errors carry file:line:col and the source line', () => {
  const text = '{\n  "formatVersion": 1,\n  "org": tru\n}\n';
  const e = failure(() => parseSnapshot(text, 'snap.json'));
  assert.is(e.error.code, 'DW4202');
  assert.equal(e.error.at, { file: 'snap.json', line: 3, col: 10 });
  assert.is(e.error.sourceLine, '  "org": tru');
  const trailing = failure(() => parseSnapshot('{"a":1,}', 'x.json'));
  assert.equal(trailing.error.at, { file: 'x.json', line: 1, col: 8 });
  const cut = failure(() => parseSnapshot('{"a":', 'x.json'));
  assert.match(cut.message, 'unexpected end of input');
});

test('schema errors point at the offending node', () => {
  const obj = JSON.parse(formatSnapshot(SNAP));
  obj.surfaces[1].status = 'weird';
  const e = failure(() => parseSnapshot(JSON.stringify(obj, null, 2), 'snap.json'));
  assert.is(e.error.code, 'DW4203');
  assert.match(e.message, 'must be one of');
  const lines = JSON.stringify(obj, null, 2).split('\n');
  assert.is(lines[(e.error.at?.line ?? 0) - 1]!.trim(), '"status": "weird",');

  const noData = JSON.parse(formatSnapshot(SNAP));
  delete noData.surfaces[0].data;
  assert.is(failure(() => parseSnapshot(JSON.stringify(noData), 's.json')).error.code, 'DW4203');
});

test('another formatVersion, a bad date, duplicate surfaces and a missing file are refused', () => {
  const v2 = formatSnapshot(SNAP).replace('"formatVersion": 1', '"formatVersion": 2');
  const e = failure(() => parseSnapshot(v2, 's.json'));
  assert.is(e.error.code, 'DW4204');
  assert.is(e.error.at?.line, 2);
  const date = formatSnapshot(SNAP).replace('2026-01-02T03:04:05.000Z', '2026-13-45T03:04:05.000Z');
  assert.is(failure(() => parseSnapshot(date, 's.json')).error.code, 'DW4203');
  const dup = formatSnapshot({ ...SNAP, surfaces: [SNAP.surfaces[0]!, SNAP.surfaces[0]!] });
  assert.is(failure(() => parseSnapshot(dup, 's.json')).error.code, 'DW4205');
  assert.is(failure(() => readSnapshotFile(join(dir, 'missing.json'))).error.code, 'DW4201');
  const f = join(dir, 'garbage.json');
  writeFileSync(f, 'not json');
  assert.is(failure(() => readSnapshotFile(f)).error.code, 'DW4202');
});

test('jsonErrorOffset agrees with JSON.parse on what is valid', () => {
  const valid = ['{}', '[]', '0', '-1.5e3', '"a\\u00e9\\n"', '{"a":[1,{"b":null}],"c":true}', ' [ false ] '];
  for (const v of valid) assert.is(jsonErrorOffset(v), undefined, v);
  const invalid: Array<[string, number]> = [['{"a":}', 5], ['[1,2,x]', 5], ['', 0], ['01', 1], ['"\\x"', 2], ['{"a" 1}', 5], ['[1] 2', 4], ['"a\nb"', 2]];
  for (const [t, at] of invalid) {
    assert.throws(() => JSON.parse(t));
    assert.is(jsonErrorOffset(t), at, t);
  }
});

test.run();
