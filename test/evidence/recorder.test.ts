// The recorder and verifier on an in-memory store with hand-made runs: chain links, which
// documents are kept (only the pinned one; free text masked), key handling.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { canonicalJson } from '../../src/normalize/index.ts';
import { compileRedactionRules } from '../../src/redact/rules.ts';
import { SecretString } from '../../src/redact/secret-string.ts';
import { markRedacted } from '../../src/redact/redacted.ts';
import {
  allRecords, createEvidenceRecorder, GENESIS_HASH, loadOrCreateSigningKey, maskFreeText, readSnapshot, runSnapshotLinks, verifyEvidence,
} from '../../src/evidence/index.ts';
import { findingId, orgId, ruleId, runId, surfaceId } from '../../src/model/ids.ts';
import type { Finding, Json, RunRecord, Snapshot } from '../../src/model/findings.ts';

const test = suite('evidence recorder');
let dir: string;
let store: Store;

test.before.each(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dw-evidence-'));
  store = await openStore(':memory:');
});
test.after.each(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const digest = (doc: Json) => `sha256:${createHash('sha256').update(canonicalJson(doc)).digest('hex')}`;
const rules = compileRedactionRules({ fingerprintKey: new SecretString('k'.repeat(32)), secretFields: [] });

const run = (n: number): RunRecord => ({
  id: runId(`2026030${n}T080000000Z-0000000${n}`), org: orgId('o'), startedAt: `2026-03-0${n}T08:00:00.000Z`, finishedAt: `2026-03-0${n}T08:00:01.000Z`,
  status: 'drift', surfacesOk: 1, surfacesTotal: 1, driftCount: 1, findingCount: 1, durationsMs: { all: 1 }, exitCode: 1,
});
const snapshot: Snapshot = { formatVersion: 1, org: orgId('o'), region: 'sim', takenAt: '2026-03-01T08:00:00.000Z', toolVersion: '0.1.0', surfaces: [{ surface: surfaceId('roles'), status: 'ok', data: {} }] };
const finding = markRedacted<Finding>({ id: findingId('dw-1'), kind: 'drift', org: orgId('o'), surface: surfaceId('roles'), pathText: 'x', rule: ruleId('r'), title: 't', severity: 'low', sensitivity: 'internal', frameworks: [] });

async function seal(n: number, documents: Record<string, Json>, digests: Record<string, string>): Promise<void> {
  const recorder = createEvidenceRecorder({ key: loadOrCreateSigningKey(dir), storable: (d) => maskFreeText(d, rules), now: () => new Date(`2026-03-0${n}T08:00:02.000Z`) });
  await store.transaction(async (tx) => {
    await tx.recordRun(run(n));
    await recorder.seal(tx, run(n), { snapshot, snapshotDigests: digests, configDigest: 'sha256:cfg', findings: [finding], documents } as never);
  });
}

test('records link to each other from the genesis hash and verify', async () => {
  const doc = { name: 'Admin', description: 'plain words' };
  await seal(1, { roles: doc }, { roles: digest(doc) });
  await seal(2, { roles: doc }, { roles: digest(doc) });
  const rows = await allRecords(store);
  assert.is(rows[0]!.prevHash, GENESIS_HASH);
  assert.is(rows[1]!.prevHash, rows[0]!.recordHash);
  const key = loadOrCreateSigningKey(dir);
  const v = await verifyEvidence(store, key);
  assert.ok(v.valid, JSON.stringify(v.problems));
  assert.is(v.snapshotsChecked, 2);
  assert.is(v.head, rows[1]!.recordHash);
  // Same document twice: stored once (content-addressed), linked from both runs.
  const count = await store.query('SELECT COUNT(*) AS n FROM evidence_snapshots');
  assert.is(Number(count[0]!.n), 1);
});

test('only the pinned document is kept, free text masked under its own digest', async () => {
  const leaky = { name: 'Vendor', description: 'shared login: Bearer abcdefghijklmnopqrstuvwxyz0123456789' };
  const other = { name: 'Other' };
  await seal(1, { roles: leaky, features: other }, { roles: digest(leaky), features: 'sha256:' + '0'.repeat(64) });
  const links = await runSnapshotLinks(store, run(1).id);
  assert.equal([...links.keys()], ['roles'], 'a document whose digest differs from the pin is not kept');
  assert.is.not(links.get('roles'), digest(leaky));
  const text = await readSnapshot(store, links.get('roles')!);
  assert.type(text, 'string');
  assert.not.ok((text as string).includes('abcdefghijklmnopqrstuvwxyz0123456789'));
  assert.ok((text as string).includes('"name":"Vendor"'));
  const body = JSON.parse((await allRecords(store))[0]!.body) as { pins: { snapshotDigests: Record<string, string>; storedSnapshots: Record<string, string> } };
  assert.is(body.pins.snapshotDigests.roles, digest(leaky));
  assert.is(body.pins.storedSnapshots.roles, links.get('roles'));
  assert.ok((await verifyEvidence(store, loadOrCreateSigningKey(dir))).valid);
});

test('the key file is created 0600 and refused when others can read it', () => {
  const key = loadOrCreateSigningKey(dir);
  const file = join(dir, 'keys', 'evidence-ed25519.pem');
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.is(loadOrCreateSigningKey(dir).keyId, key.keyId, 'loaded, not regenerated');
  chmodSync(file, 0o644);
  try {
    loadOrCreateSigningKey(dir);
    assert.unreachable('a world-readable key must be refused');
  } catch (e) {
    assert.is((e as { error?: { code: string } }).error?.code, 'DW8001');
  }
});

test.run();
