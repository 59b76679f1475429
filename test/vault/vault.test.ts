// The vault service: sealing, dedupe, the two-person reveal workflow, authentication of moved
// ciphertext, key handling and the hash-chained log — against a real SQLite file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  createVault, findingsFromReports, loadVaultKey, vaultKeyFromBase64, vaultKeyFile, verifyLog, VAULT_CODES, VaultKey,
  type LogRow, type Vault,
} from '../../src/vault/index.ts';
import { occurrencesInDatabase, rejects, runAt, secret } from './helpers.ts';

const test = suite('vault');
let root = '';
let n = 0;
const stores: Store[] = [];

const KEY = new VaultKey(new Uint8Array(32).map((_, i) => i + 1));
const PLANTED = 'PLANTED-trunk-Pa55w0rd-7f3a9c';
const PLANTED_NESTED = 'PLANTED-nested-client-secret-41d2';

type Clock = { t: number; now: () => Date };
const clock = (iso = '2026-11-25T12:00:00.000Z'): Clock => {
  const c: Clock = { t: Date.parse(iso), now: () => new Date(c.t) };
  return c;
};

async function fresh(opts: { window?: number; clock?: Clock; key?: VaultKey; reportDir?: string } = {}): Promise<{ file: string; store: Store; vault: Vault; clock: Clock }> {
  const file = join(root, `case${n++}`, 'driftwarden.db');
  const store = await openStore(file);
  stores.push(store);
  const c = opts.clock ?? clock();
  let ids = 0;
  const vault = createVault({
    store, key: () => opts.key ?? KEY, revealWindowMinutes: opts.window ?? 30, now: c.now,
    newRequestId: () => `vr-test-${++ids}`,
    ...(opts.reportDir ? { findings: findingsFromReports(opts.reportDir) } : {}),
  });
  return { file, store, vault, clock: c };
}

async function depositRun(store: Store, vault: Vault, i: number, secrets: Parameters<Vault['deposit']>[2], org = 'acme') {
  const run = runAt(i, org);
  await store.transaction(async (tx) => { await tx.recordRun(run); await vault.deposit(tx, run, secrets); });
  return run;
}

const trunk = (value = PLANTED) => secret('trunks', 'entities[0].properties.trunk_authentication_password', value);
const nested = secret('integrations', 'entities[2].credentialFields', { clientId: 'abc', clientSecret: PLANTED_NESTED });

test.before(() => { root = mkdtempSync(join(tmpdir(), 'dw-vault-')); });
test.after(async () => {
  for (const s of stores) await s.close().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

test('deposit writes no clear bytes to the database file (and the scan does find clear bytes)', async () => {
  const { file, store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk(), nested]);
  const entries = await vault.list();
  assert.is(entries.length, 2);
  assert.ok(entries.every((e) => e.keyId === KEY.id && e.fingerprint.startsWith('sealed:hmac:')));
  assert.not.ok(JSON.stringify(entries).includes('PLANTED'), 'a listing carries no value');
  await store.close();
  assert.is(occurrencesInDatabase(file, PLANTED), 0);
  assert.is(occurrencesInDatabase(file, PLANTED_NESTED), 0);
  assert.is(occurrencesInDatabase(file, 'PLANTED'), 0);
  // Control: the same scan on a database that does hold the value in clear finds it.
  const control = join(root, `case${n++}`, 'control.db');
  const plain = await openStore(control);
  await plain.execute('CREATE TABLE leak (v TEXT)');
  await plain.execute('INSERT INTO leak (v) VALUES (?)', [PLANTED]);
  await plain.close();
  assert.ok(occurrencesInDatabase(control, PLANTED) >= 1);
});

test('an unchanged secret does not grow the vault; a changed one adds one entry', async () => {
  const { store, vault } = await fresh();
  const r1 = await depositRun(store, vault, 1, [trunk(), nested]);
  const r2 = await depositRun(store, vault, 2, [trunk(), nested]);
  const r3 = await depositRun(store, vault, 3, [trunk('PLANTED-rotated-value-99'), nested]);
  const entries = await vault.list();
  assert.is(entries.length, 3);
  const old = entries.find((e) => e.fingerprint === trunk().fingerprint)!;
  assert.is(old.firstRun, r1.id);
  assert.is(old.lastRun, r2.id);
  assert.is(old.seenCount, 2);
  const still = entries.find((e) => e.surface === 'integrations')!;
  assert.equal([still.firstRun, still.lastRun, still.seenCount], [r1.id, r3.id, 3]);
  const deposits = (await vault.log()).filter((r) => r.action === 'deposit');
  assert.is(deposits.length, 3, 'one log row per new entry, not per sighting');
  assert.is((await vault.list({ org: 'globex' })).length, 0);
});

test('reveal after approval by another person returns the exact value, once', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk(), nested]);
  const [integ, tr] = await vault.list();
  assert.is(tr!.surface, 'trunks');
  const req = await vault.request({ subject: tr!.id, as: 'Alice', reason: 'INC-42 trunk outage' });
  assert.is(req.entryId, tr!.id);
  const approved = await vault.approve({ requestId: req.id, as: 'Bob' });
  assert.is(approved.request.approvedBy, 'Bob');
  assert.is(approved.entry?.id, tr!.id, "the approver is shown what they approve");
  const got = await vault.reveal({ requestId: req.id, as: 'alice' });
  assert.is(got.value, PLANTED);
  assert.is(got.entry.id, tr!.id);
  await rejects(vault.reveal({ requestId: req.id, as: 'Alice' }), VAULT_CODES.alreadyRevealed);
  // A structured secret comes back as the same JSON value.
  const r2 = await vault.request({ subject: integ!.id, as: 'Alice', reason: 'rotate' });
  await vault.approve({ requestId: r2.id, as: 'Carol' });
  assert.equal((await vault.reveal({ requestId: r2.id, as: 'Alice' })).value, { clientId: 'abc', clientSecret: PLANTED_NESTED });
  const actions = (await vault.log()).map((r) => r.action);
  assert.equal(actions, ['deposit', 'deposit', 'request', 'approve', 'reveal', 'refuse-reveal', 'request', 'approve', 'reveal']);
  assert.not.ok(JSON.stringify(await vault.log()).includes('PLANTED'), 'the log holds no value');
});

test('the requester cannot approve their own request (names compared loosely)', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk()]);
  const [e] = await vault.list();
  const req = await vault.request({ subject: e!.id, as: 'Alice Smith', reason: 'audit' });
  const err = await rejects(vault.approve({ requestId: req.id, as: '  alice  SMITH ' }), VAULT_CODES.selfApproval);
  assert.is(err.error.kind, 'bad-input');
  assert.match(err.error.message, /different person/);
  await rejects(vault.reveal({ requestId: req.id, as: 'Alice Smith' }), VAULT_CODES.notApproved);
  await vault.approve({ requestId: req.id, as: 'Bob' });
  await rejects(vault.approve({ requestId: req.id, as: 'Carol' }), VAULT_CODES.alreadyApproved);
  const refusals = (await vault.log()).filter((r) => r.action.startsWith('refuse-'));
  assert.equal(refusals.map((r) => [r.action, r.actor, JSON.parse(r.detail).code]), [
    ['refuse-approve', 'alice  SMITH', VAULT_CODES.selfApproval],
    ['refuse-reveal', 'Alice Smith', VAULT_CODES.notApproved],
    ['refuse-approve', 'Carol', VAULT_CODES.alreadyApproved],
  ]);
});

test('reveal is refused before approval, to anyone but the requester, and for unknown requests', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk()]);
  const [e] = await vault.list();
  const req = await vault.request({ subject: e!.id, as: 'Alice', reason: 'audit' });
  await rejects(vault.reveal({ requestId: req.id, as: 'Alice' }), VAULT_CODES.notApproved);
  await vault.approve({ requestId: req.id, as: 'Bob' });
  await rejects(vault.reveal({ requestId: req.id, as: 'Bob' }), VAULT_CODES.notRequester);
  await rejects(vault.reveal({ requestId: 'vr-nope', as: 'Alice' }), VAULT_CODES.unknownRequest);
  await rejects(vault.approve({ requestId: 'vr-nope', as: 'Bob' }), VAULT_CODES.unknownRequest);
  await rejects(vault.request({ subject: 've-nope', as: 'Alice', reason: 'x' }), VAULT_CODES.unknownSubject);
  await rejects(vault.request({ subject: e!.id, as: ' ', reason: 'x' }), VAULT_CODES.badPerson);
  await rejects(vault.request({ subject: e!.id, as: 'Alice', reason: '' }), VAULT_CODES.badReason);
  // Refusals did not use the request up.
  assert.is((await vault.reveal({ requestId: req.id, as: 'Alice' })).value, PLANTED);
});

test('reveal after the window is refused; at the window’s last millisecond it works', async () => {
  const c = clock();
  const { store, vault } = await fresh({ window: 10, clock: c });
  await depositRun(store, vault, 1, [trunk()]);
  const [e] = await vault.list();
  const late = await vault.request({ subject: e!.id, as: 'Alice', reason: 'audit' });
  const onTime = await vault.request({ subject: e!.id, as: 'Alice', reason: 'audit again' });
  await vault.approve({ requestId: late.id, as: 'Bob' });
  await vault.approve({ requestId: onTime.id, as: 'Bob' });
  c.t += 10 * 60_000;
  assert.is((await vault.reveal({ requestId: onTime.id, as: 'Alice' })).value, PLANTED);
  c.t += 1;
  const err = await rejects(vault.reveal({ requestId: late.id, as: 'Alice' }), VAULT_CODES.windowExpired);
  assert.match(err.error.message, /10 minute/);
  // Moving the approval time forward in the table does not reopen the window: the log keeps it.
  await store.execute('UPDATE vault_requests SET approved_at = ? WHERE id = ?', [c.now().toISOString(), late.id]);
  await rejects(vault.reveal({ requestId: late.id, as: 'Alice' }), VAULT_CODES.windowExpired);
});

test('a ciphertext moved to another row, or altered, fails authentication and reveals nothing', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk(), secret('trunks', 'entities[1].properties.trunk_authentication_password', 'PLANTED-second-trunk')]);
  const [a, b] = await vault.list();
  // Copy a's sealed value (nonce, ciphertext, tag) into b's row: same key, valid GCM, wrong record.
  await store.execute(`UPDATE vault_entries SET nonce = (SELECT nonce FROM vault_entries WHERE id = ?),
    ciphertext = (SELECT ciphertext FROM vault_entries WHERE id = ?), tag = (SELECT tag FROM vault_entries WHERE id = ?) WHERE id = ?`, [a!.id, a!.id, a!.id, b!.id]);
  const req = await vault.request({ subject: b!.id, as: 'Alice', reason: 'audit' });
  await vault.approve({ requestId: req.id, as: 'Bob' });
  const err = await rejects(vault.reveal({ requestId: req.id, as: 'Alice' }), VAULT_CODES.authFailed);
  assert.not.ok(err.message.includes('PLANTED'));
  const [row] = await store.query('SELECT revealed_at FROM vault_requests WHERE id = ?', [req.id]);
  assert.is(row!.revealed_at, null, 'a failed authentication does not consume the request');
  // The untouched entry still opens; one flipped ciphertext byte does not.
  const ok = await vault.request({ subject: a!.id, as: 'Alice', reason: 'audit' });
  await vault.approve({ requestId: ok.id, as: 'Bob' });
  const [{ ciphertext }] = await store.query<{ ciphertext: string }>('SELECT ciphertext FROM vault_entries WHERE id = ?', [a!.id]) as { ciphertext: string }[];
  const flipped = Buffer.from(ciphertext, 'base64');
  flipped[0] = flipped[0]! ^ 1;
  await store.execute('UPDATE vault_entries SET ciphertext = ? WHERE id = ?', [flipped.toString('base64'), a!.id]);
  await rejects(vault.reveal({ requestId: ok.id, as: 'Alice' }), VAULT_CODES.authFailed);
  await store.execute('UPDATE vault_entries SET ciphertext = ? WHERE id = ?', [ciphertext, a!.id]);
  assert.is((await vault.reveal({ requestId: ok.id, as: 'Alice' })).value, PLANTED);
  assert.ok((await vault.log()).some((r) => r.action === 'refuse-reveal' && JSON.parse(r.detail).code === VAULT_CODES.authFailed));
});

test('after a key rotation the next sighting re-seals the entry under the new key', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk()]);
  const next = new VaultKey(new Uint8Array(32).fill(3));
  let ids = 0;
  const rotated = createVault({ store, key: () => next, revealWindowMinutes: 30, newRequestId: () => `vr-rot-${++ids}` });
  await depositRun(store, rotated, 2, [trunk()]);
  const [e] = await rotated.list();
  assert.equal([e!.keyId, e!.seenCount], [next.id, 2]);
  assert.is((await rotated.list()).length, 1, 'same entry, not a new one');
  const req = await rotated.request({ subject: e!.id, as: 'Alice', reason: 'after rotation' });
  await rotated.approve({ requestId: req.id, as: 'Bob' });
  assert.is((await rotated.reveal({ requestId: req.id, as: 'Alice' })).value, PLANTED);
  const reseal = (await rotated.log()).filter((r) => r.action === 'deposit').map((r) => JSON.parse(r.detail));
  assert.equal(reseal[1], { run: runAt(2).id, resealed: true, fromKeyId: KEY.id, keyId: next.id });
});

test('an entry sealed under another key is refused with its key id', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk()]);
  const [e] = await vault.list();
  const other = new VaultKey(new Uint8Array(32).fill(9));
  const rotated = createVault({ store, key: () => other, revealWindowMinutes: 30 });
  const req = await rotated.request({ subject: e!.id, as: 'Alice', reason: 'audit' });
  await rotated.approve({ requestId: req.id, as: 'Bob' });
  const err = await rejects(rotated.reveal({ requestId: req.id, as: 'Alice' }), VAULT_CODES.keyMismatch);
  assert.ok(err.error.message.includes(KEY.id) && err.error.message.includes(other.id));
});

test('a finding id resolves through the run reports to the entry with its fingerprint', async () => {
  const reportDir = join(root, `reports${n++}`);
  mkdirSync(reportDir, { recursive: true });
  const { store, vault } = await fresh({ reportDir });
  const first = trunk();
  const second = secret('trunks', 'entities[1].properties.trunk_authentication_password', 'PLANTED-second-trunk');
  await depositRun(store, vault, 1, [first, second]);
  const hmac = (s: typeof first) => s.fingerprint.replace('sealed:', '');
  writeFileSync(join(reportDir, '20261125T100001000Z-01010101.json'), JSON.stringify({ findings: [
    { id: 'dw-changed', org: 'acme', surface: 'trunks', pathText: 'entities[id=t2].properties.trunk_authentication_password', old: '[REDACTED] hmac:0000000000000000', new: `[REDACTED] ${hmac(second)}` },
    { id: 'dw-both', org: 'acme', surface: 'trunks', pathText: 'entities', new: [`[REDACTED] ${hmac(first)}`, `[REDACTED] ${hmac(second)}`] },
    { id: 'dw-plain', org: 'acme', surface: 'trunks', pathText: 'name', old: 'a', new: 'b' },
  ] }));
  const req = await vault.request({ subject: 'dw-changed', as: 'Alice', reason: 'who changed the trunk password?' });
  assert.is(req.entryId, (await vault.list()).find((e) => e.fingerprint === second.fingerprint)!.id);
  assert.is(req.subject, 'dw-changed');
  await vault.approve({ requestId: req.id, as: 'Bob' });
  assert.is((await vault.reveal({ requestId: req.id, as: 'Alice' })).value, 'PLANTED-second-trunk');
  const amb = await rejects(vault.request({ subject: 'dw-both', as: 'Alice', reason: 'x' }), VAULT_CODES.ambiguousFinding);
  assert.match(amb.error.message, /2 vault entries/);
  await rejects(vault.request({ subject: 'dw-plain', as: 'Alice', reason: 'x' }), VAULT_CODES.unknownSubject);
  await rejects(vault.request({ subject: 'dw-unknown', as: 'Alice', reason: 'x' }), VAULT_CODES.unknownSubject);
});

test('the vault key: generated 0600 on first use with its sha256 id, env wins, bad keys refused', () => {
  const stateDir = join(root, `state${n++}`);
  const k1 = loadVaultKey(stateDir, {});
  const file = vaultKeyFile(stateDir);
  assert.is(statSync(file).mode & 0o777, 0o600);
  const k2 = loadVaultKey(stateDir, {});
  assert.is(k2.id, k1.id, 'the file is reused, not regenerated');
  assert.match(k1.id, /^[0-9a-f]{16}$/);
  const raw = Buffer.alloc(32, 5);
  const fromEnv = loadVaultKey(stateDir, { DRIFTWARDEN_VAULT_KEY: raw.toString('base64') });
  assert.is(fromEnv.id, createHash('sha256').update(raw).digest('hex').slice(0, 16));
  assert.is.not(fromEnv.id, k1.id);
  assert.throws(() => vaultKeyFromBase64(Buffer.alloc(16).toString('base64'), 'test'), (e: { error: { code: string } }) => e.error.code === VAULT_CODES.badKey);
  assert.throws(() => loadVaultKey(stateDir, { DRIFTWARDEN_VAULT_KEY: 'not base64 at all!' }), (e: { error: { code: string } }) => e.error.code === VAULT_CODES.badKey);
  // The key cannot leak through printing or serialization.
  assert.not.ok(JSON.stringify({ k: fromEnv }).includes(raw.toString('base64')));
  assert.not.ok(String(fromEnv).includes(raw.toString('base64')));
});

test('verifyLog finds the first broken position: edited, deleted, swapped', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk(), nested]);
  const [e] = await vault.list();
  const req = await vault.request({ subject: e!.id, as: 'Alice', reason: 'audit' });
  await vault.approve({ requestId: req.id, as: 'Bob' });
  await vault.reveal({ requestId: req.id, as: 'Alice' });
  const rows = await vault.log();
  assert.is(rows.length, 5);
  const ok = verifyLog(rows);
  assert.ok(ok.valid);
  const at = (v: ReturnType<typeof verifyLog>) => (v.valid ? 0 : v.position);
  const edited: LogRow[] = rows.map((r, i) => (i === 2 ? { ...r, actor: 'Mallory' } : r));
  assert.is(at(verifyLog(edited)), 3);
  assert.is(at(verifyLog(rows.filter((_, i) => i !== 1))), 2);
  assert.is(at(verifyLog([rows[0]!, rows[1]!, rows[3]!, rows[2]!, rows[4]!])), 3);
  assert.is(at(verifyLog([rows[0]!, rows[1]!, { ...rows[3]!, seq: 3 }, { ...rows[2]!, seq: 4 }, rows[4]!])), 3);
  assert.is(at(verifyLog(rows.slice(0, 4).concat([{ ...rows[4]!, prevHash: '0'.repeat(64) }]))), 5);
  assert.ok(verifyLog([]).valid);
});

test('the tables and the log must agree: a cut tail, a reset reveal and a forged approval are caught', async () => {
  const { store, vault } = await fresh();
  await depositRun(store, vault, 1, [trunk()]);
  const [e] = await vault.list();
  const done = await vault.request({ subject: e!.id, as: 'Alice', reason: 'audit' });
  await vault.approve({ requestId: done.id, as: 'Bob' });
  await vault.reveal({ requestId: done.id, as: 'Alice' });
  assert.ok((await vault.verifyLog()).valid);

  // Cutting the last row (the reveal) leaves a valid chain; the request row still says revealed.
  const [last] = await store.query('SELECT * FROM vault_log ORDER BY seq DESC LIMIT 1');
  await store.execute('DELETE FROM vault_log WHERE seq = ?', [last!.seq]);
  const cut = await vault.verifyLog();
  assert.equal([cut.valid, cut.valid ? 0 : cut.position], [false, 4], "the missing 4th row");
  assert.match(cut.valid ? '' : cut.reason, /cut from the end/);
  await store.execute('INSERT INTO vault_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [last!.seq, last!.at, last!.actor, last!.action, last!.subject, last!.detail, last!.prev_hash, last!.hash]);
  assert.ok((await vault.verifyLog()).valid);

  // Resetting revealed_at does not buy a second reveal, and verify names the edit.
  await store.execute('UPDATE vault_requests SET revealed_at = NULL WHERE id = ?', [done.id]);
  await rejects(vault.reveal({ requestId: done.id, as: 'Alice' }), VAULT_CODES.alreadyRevealed);
  const reset = await vault.verifyLog();
  assert.match(reset.valid ? '' : reset.reason, /tables were edited/);

  // An approval written straight into the table, without the log row, reveals nothing.
  const forged = await vault.request({ subject: e!.id, as: 'Mallory', reason: 'curious' });
  await store.execute('UPDATE vault_requests SET approved_by = ?, approved_at = ? WHERE id = ?', ['Bob', new Date(Date.parse('2026-11-25T12:00:00.000Z')).toISOString(), forged.id]);
  await rejects(vault.reveal({ requestId: forged.id, as: 'Mallory' }), VAULT_CODES.notApproved);
});

test.run();
