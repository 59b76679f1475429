// The evidence chain end to end: runs sealed by the real pipeline, then `driftwarden verify` on
// the untouched store and on copies edited directly in SQLite (flipped byte, deleted record,
// swapped order, edited snapshot / run row, wrong key, bad input).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildHistory, captured, type History } from '../report/history.ts';
import { main } from '../../src/cli/main.ts';
import type { VerifyResult } from '../../src/evidence/index.ts';

const test = suite('evidence chain');
let h: History;
const copies: string[] = [];

test.before(async () => { h = await buildHistory({ orgs: ['acme-ev'], seed: 5 }); });
test.after(async () => {
  await h?.close();
  for (const c of copies) await rm(c, { recursive: true, force: true });
});

const DB = (dir: string) => join(dir, '.driftwarden', 'driftwarden.db');

/** A copy of the workspace whose database `edit` changes directly. */
async function tampered(edit: (db: Database.Database) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dw-tamper-'));
  copies.push(dir);
  await cp(h.dir, dir, { recursive: true });
  const db = new Database(DB(dir));
  try { edit(db); } finally { db.close(); }
  return dir;
}

async function verify(dir: string, extra: readonly string[] = []): Promise<{ code: number; result: VerifyResult; human: string }> {
  const json = await captured(() => main(['verify', '--json', ...extra], h.env, dir));
  const human = await captured(() => main(['verify', ...extra], h.env, dir));
  return { code: json.result, result: JSON.parse(json.stdout) as VerifyResult, human: human.stdout };
}

const problemsAt = (r: VerifyResult) => [...new Set(r.problems.filter((p) => p.position > 0).map((p) => p.position))].sort();
const codes = (r: VerifyResult) => [...new Set(r.problems.map((p) => p.code))].sort();

test('every run is sealed in order and the untouched chain verifies', async () => {
  assert.is(h.outcomes.length, 3);
  const { code, result, human } = await verify(h.dir);
  assert.is(code, 0, JSON.stringify(result.problems));
  assert.ok(result.valid);
  assert.is(result.records, 3);
  assert.ok(result.snapshotsChecked >= 3 * 10, `snapshots re-hashed: ${result.snapshotsChecked}`);
  assert.ok(result.findingsChecked > 0);
  assert.match(human, /evidence chain VALID: 3 record/);
  const db = new Database(DB(h.dir), { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, run_id, prev_hash, record_hash, body FROM evidence_records ORDER BY seq').all() as { seq: number; run_id: string; prev_hash: string; record_hash: string; body: string }[];
    assert.equal(rows.map((r) => r.run_id), h.outcomes.map((o) => o.record.id));
    assert.is(rows[1]!.prev_hash, rows[0]!.record_hash);
    assert.is(rows[2]!.prev_hash, rows[1]!.record_hash);
    const body = JSON.parse(rows[1]!.body) as { pins: { snapshotDigests: Record<string, string>; storedSnapshots: Record<string, string>; policyDigest: string; baselineCommit: string; configDigest: string; toolVersion: string } };
    // Every pinned snapshot is kept, so verify can re-hash all of them; where free text held
    // something secret-looking the kept copy is masked and has its own digest.
    assert.equal(Object.keys(body.pins.storedSnapshots).sort(), Object.keys(body.pins.snapshotDigests).sort());
    const masked = Object.keys(body.pins.storedSnapshots).filter((s) => body.pins.storedSnapshots[s] !== body.pins.snapshotDigests[s]);
    assert.ok(masked.includes('roles') && !masked.includes('authentication-settings'), `masked: ${masked.join()}`);
    assert.match(body.pins.policyDigest, /^sha256:/);
    assert.match(body.pins.baselineCommit, /^[0-9a-f]{40}$/);
    assert.is(body.pins.configDigest, 'sha256:' + 'c'.repeat(64));
    assert.is(body.pins.toolVersion, '0.1.0');
  } finally { db.close(); }
});

test('the signing key is private, its public half exported', async () => {
  const keys = join(h.dir, '.driftwarden', 'keys');
  assert.is((await stat(join(keys, 'evidence-ed25519.pem'))).mode & 0o777, 0o600);
  assert.match(await readFile(join(keys, 'evidence-ed25519.pub.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
});

test('no canary secret is stored in the evidence tables (snapshots are sealed, findings redacted)', async () => {
  assert.ok(h.sim.canaries.length > 0);
  const db = new Database(DB(h.dir), { readonly: true });
  try {
    const texts = [
      ...(db.prepare('SELECT content FROM evidence_snapshots').all() as { content: string }[]).map((r) => gunzipSync(Buffer.from(r.content, 'base64')).toString('utf8')),
      ...(db.prepare('SELECT body FROM evidence_findings').all() as { body: string }[]).map((r) => r.body),
      ...(db.prepare('SELECT body FROM evidence_records').all() as { body: string }[]).map((r) => r.body),
    ];
    assert.ok(texts.length > 20);
    for (const canary of h.sim.canaries) for (const t of texts) assert.not.ok(t.includes(canary), `canary ${canary.slice(0, 6)}… stored`);
    // The documents are the normalized ones: secret fields appear as sealed fingerprints.
    assert.ok(texts.some((t) => /sealed:hmac:[0-9a-f]{16}/.test(t)));
  } finally { db.close(); }
});

test('a flipped byte in a record is reported at its position', async () => {
  const dir = await tampered((db) => {
    const { body } = db.prepare('SELECT body FROM evidence_records WHERE seq = 2').get() as { body: string };
    const i = body.indexOf('"findingCount":') + 15;
    const flipped = body.slice(0, i) + String.fromCharCode(body.charCodeAt(i) ^ 1) + body.slice(i + 1);
    db.prepare('UPDATE evidence_records SET body = ? WHERE seq = 2').run(flipped);
  });
  const { code, result, human } = await verify(dir);
  assert.is(code, 1);
  assert.not.ok(result.valid);
  assert.equal(problemsAt(result), [2]);
  assert.ok(codes(result).includes('DW8021'), codes(result).join());
  assert.ok(codes(result).includes('DW8022'), 'the signature no longer matches either');
  assert.match(human, /TAMPERED/);
  assert.match(human, /position 2 \(run /);
});

test('a deleted record is reported, and so is its now unsealed run', async () => {
  const dir = await tampered((db) => { db.prepare('DELETE FROM evidence_records WHERE seq = 2').run(); });
  const { code, result } = await verify(dir);
  assert.is(code, 1);
  assert.equal(problemsAt(result), [2]);
  assert.ok(codes(result).includes('DW8025'), 'sequence gap');
  assert.ok(codes(result).includes('DW8024'), 'chain link broken');
  const unsealed = result.problems.find((p) => p.code === 'DW8031');
  assert.is(unsealed?.runId, h.outcomes[1]!.record.id);
});

test('two swapped records are reported at both positions', async () => {
  const dir = await tampered((db) => {
    db.prepare('UPDATE evidence_records SET seq = -1 WHERE seq = 2').run();
    db.prepare('UPDATE evidence_records SET seq = 2 WHERE seq = 3').run();
    db.prepare('UPDATE evidence_records SET seq = 3 WHERE seq = -1').run();
  });
  const { code, result } = await verify(dir);
  assert.is(code, 1);
  assert.equal(problemsAt(result), [2, 3]);
  assert.ok(codes(result).includes('DW8024'));
  assert.ok(codes(result).includes('DW8025'));
  assert.not.ok(codes(result).includes('DW8021'), 'the records themselves are intact');
});

test('an edited snapshot document, run row or finding is caught', async () => {
  const dir = await tampered((db) => {
    const row = db.prepare("SELECT s.digest, s.content FROM evidence_snapshots s JOIN evidence_run_snapshots r ON r.digest = s.digest WHERE r.surface = 'authentication-settings' ORDER BY s.digest LIMIT 1").get() as { digest: string; content: string };
    const doc = JSON.parse(gunzipSync(Buffer.from(row.content, 'base64')).toString('utf8')) as Record<string, unknown>;
    doc.multifactorAuthenticationRequired = !doc.multifactorAuthenticationRequired;
    db.prepare('UPDATE evidence_snapshots SET content = ? WHERE digest = ?').run(gzipSync(JSON.stringify(doc)).toString('base64'), row.digest);
    db.prepare('UPDATE runs SET drift_count = drift_count + 1 WHERE id = (SELECT run_id FROM evidence_records WHERE seq = 3)').run();
    db.prepare("UPDATE evidence_findings SET severity = 'info', body = replace(body, '\"critical\"', '\"info\"') WHERE run_id = (SELECT run_id FROM evidence_records WHERE seq = 2)").run();
  });
  const { code, result } = await verify(dir);
  assert.is(code, 1);
  assert.ok(codes(result).includes('DW8030'), 'snapshot mismatch');
  assert.ok(result.problems.some((p) => p.code === 'DW8026' && p.position === 3), 'run row edited');
  assert.ok(result.problems.some((p) => p.code === 'DW8028' && p.position === 2), 'findings edited');
});

test('records signed by another key are not trusted; bad input exits 2', async () => {
  const other = join(h.dir, 'other.pub.pem');
  await writeFile(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const { code, result } = await verify(h.dir, ['--public-key', other]);
  assert.is(code, 1);
  assert.equal(problemsAt(result), [1, 2, 3]);
  assert.equal(codes(result), ['DW8023']);
  const quiet = async (argv: string[], cwd: string) => (await captured(() => main(argv, h.env, cwd))).result;
  assert.is(await quiet(['verify', '--public-key', join(h.dir, 'missing.pem')], h.dir), 2);
  const empty = await mkdtemp(join(tmpdir(), 'dw-empty-'));
  copies.push(empty);
  await writeFile(join(empty, 'driftwarden.yaml'), (await readFile(h.configFile, 'utf8')).replace('.driftwarden/driftwarden.db', 'nowhere/dw.db'));
  assert.is(await quiet(['verify'], empty), 2);
});

test.run();
