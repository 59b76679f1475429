// Contract with the diff stage: accepting every reported drift path makes the baseline match
// the current document, and accepting some leaves exactly the others.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptPaths, readBaseline, writeBaseline } from '../../src/baseline/baseline-repo.ts';
import { diffDocuments } from '../../src/diff/diff-documents.ts';
import { surfaceId } from '../../src/model/ids.ts';
import type { JsonObject } from '../../src/model/findings.ts';

const test = suite('accept diff paths');
let dir = '';
test.before(() => { dir = mkdtempSync(join(tmpdir(), 'dw-accept-')); });
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

const rules = { volatileFields: [], arrayKeys: [{ path: 'roles', key: 'id' }, { path: 'allow', key: '$value' }] };
const author = { name: 'Carol Auditor', email: 'carol@example.com' };
const baseline: JsonObject = {
  mfa: 'optional', timeout: 30, allow: ['10.0.0.0/8', '192.168.0.0/16'], order: [1, 2, 3],
  roles: [{ id: 'r1', perms: ['a'] }, { id: 'r2', perms: ['b'] }], gone: { x: 1 },
};
const current: JsonObject = {
  mfa: 'required', timeout: 30, allow: ['10.0.0.0/8', '172.16.0.0/12'], order: [1, 5],
  roles: [{ id: 'r1', perms: ['a', 'c'] }, { id: 'r3', perms: [] }], added: true,
};
const surface = surfaceId('authentication');

test('accepting every drift path leaves no drift', async () => {
  const org = 'all';
  await writeBaseline(dir, org, { authentication: baseline }, { message: 'seed', author });
  const drift = diffDocuments(surface, baseline, current, rules);
  assert.ok(drift.length >= 8, `expected plenty of drift, got ${drift.map((d) => d.pathText).join(', ')}`);
  await acceptPaths(dir, org, { authentication: current }, drift.map((d) => ({ surface: 'authentication', pathText: d.pathText })), { author });
  const after = (await readBaseline(dir, org)).surfaces.authentication;
  assert.equal(diffDocuments(surface, after, current, rules), []);
});

test('accepting some drift paths leaves exactly the others', async () => {
  const org = 'some';
  await writeBaseline(dir, org, { authentication: baseline }, { message: 'seed', author });
  const drift = diffDocuments(surface, baseline, current, rules);
  const chosen = drift.filter((_, i) => i % 2 === 0);
  await acceptPaths(dir, org, { authentication: current }, chosen.map((d) => ({ surface: 'authentication', pathText: d.pathText })), { author });
  const after = (await readBaseline(dir, org)).surfaces.authentication;
  const left = diffDocuments(surface, after, current, rules).map((d) => d.pathText).sort();
  assert.equal(left, drift.filter((_, i) => i % 2 === 1).map((d) => d.pathText).sort());
});

test.run();
