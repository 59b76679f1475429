// `driftwarden vault …` in-process through main(argv, env, cwd, io), on a temp workspace whose
// store was filled by the vault stage the factory builds (as `check` does). The log is tampered
// with by editing the SQLite file directly, the way an attacker with file access would.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { redactionFor, stateDir } from '../../src/cli/session.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createVaultStage } from '../../src/pipeline/factories/vault.ts';
import { logRowHash, VAULT_CODES, type VaultAction } from '../../src/vault/index.ts';
import { capture } from '../helpers/workspace.ts';
import { occurrencesInDatabase, runAt, secret } from './helpers.ts';

const test = suite('vault cli');
const PLANTED = 'PLANTED-sip-trunk-secret-c0ffee';
const OTHER = 'PLANTED-webhook-signing-secret-77';

let dir = '';
let db = '';
let entryId = '';
let printed = '';
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NO_COLOR: '1' };

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const code = await main(argv, env, dir, { stdout: out.stream, stderr: err.stream });
  printed += out.text() + err.text();
  return { code, stdout: out.text(), stderr: err.text() };
}
const json = async (...argv: string[]) => {
  const r = await cli(...argv, '--json');
  return { ...r, body: JSON.parse(r.stdout) as Record<string, any> };
};

/** Runs `tamper` on the closed database file, checks `vault log --verify`, then restores it. */
async function verifyAfter(tamper: (sql: Database.Database) => void): Promise<{ code: number; stderr: string; body: Record<string, any> }> {
  const backup = `${db}.bak`;
  assert.not.ok(existsSync(`${db}-wal`), 'every command closed the store');
  copyFileSync(db, backup);
  const sql = new Database(db);
  try { tamper(sql); } finally { sql.close(); }
  const r = await json('vault', 'log', '--verify');
  copyFileSync(backup, db);
  return r;
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dw-vault-cli-'));
  writeFileSync(join(dir, 'driftwarden.yaml'), [
    'orgs:',
    '  - id: acme',
    '    apiBase: http://127.0.0.1:9',
    '    credentials:',
    '      env: { clientId: SIM_ID, clientSecret: SIM_SECRET }',
    'store: { path: .driftwarden/driftwarden.db }',
    'vault: { revealWindowMinutes: 5 }',
    '',
  ].join('\n'));
  // What a check does: the factory builds the vault stage, the run's transaction deposits.
  const config = loadConfig(join(dir, 'driftwarden.yaml'));
  db = config.store.path;
  const store = await openStore(db);
  try {
    const redaction = redactionFor(config, env);
    const vault = await createVaultStage({ config, store, env, redaction, stateDir: stateDir(config) });
    assert.ok(vault, 'the vault stage is always on');
    const run = runAt(1);
    await store.transaction(async (tx) => {
      await tx.recordRun(run);
      await vault!.deposit(tx, run, [
        secret('trunks', 'entities[0].properties.trunk_authentication_password', PLANTED, redaction.key),
        secret('integrations', 'entities[0].credentialFields', OTHER, redaction.key),
      ]);
    });
  } finally { await store.close(); }
  assert.ok(existsSync(join(dir, '.driftwarden', 'keys', 'vault.key')), 'the key file was generated on first use');
});
test.after(() => { rmSync(dir, { recursive: true, force: true }); });

test('vault list shows where and when, never the value; the database holds no clear value', async () => {
  const { code, body } = await json('vault', 'list');
  assert.is(code, 0);
  assert.is(body.entries.length, 2);
  const trunk = body.entries.find((e: { surface: string }) => e.surface === 'trunks');
  assert.is(trunk.pathText, 'entities[0].properties.trunk_authentication_password');
  assert.match(trunk.fingerprint, /^sealed:hmac:[0-9a-f]{16}$/);
  assert.is(trunk.org, 'acme');
  assert.ok(trunk.firstSeen && trunk.lastSeen);
  entryId = trunk.id;
  const human = await cli('vault', 'list', '--org', 'acme');
  assert.ok(human.stdout.includes(entryId) && human.stdout.includes('trunks:entities[0]'));
  assert.is((await json('vault', 'list', '--org', 'globex')).body.entries.length, 0);
  assert.is(occurrencesInDatabase(db, PLANTED), 0);
  assert.is(occurrencesInDatabase(db, OTHER), 0);
  assert.not.ok(printed.includes('PLANTED'));
});

test('request → self-approval refused → approval → reveal once → second reveal refused', async () => {
  const req = await cli('vault', 'request', entryId, '--as', 'alice', '--reason', 'INC-7 trunk down');
  assert.is(req.code, 0, req.stderr);
  const requestId = req.stdout.trim();
  assert.match(requestId, /^vr-[0-9a-f]{16}$/);

  const early = await cli('vault', 'reveal', requestId, '--as', 'alice');
  assert.is(early.code, 2);
  assert.ok(early.stderr.includes(VAULT_CODES.notApproved), early.stderr);

  const self = await cli('vault', 'approve', requestId, '--as', 'Alice');
  assert.is(self.code, 2);
  assert.ok(self.stderr.includes(VAULT_CODES.selfApproval) && /different person/.test(self.stderr), self.stderr);

  const ok = await json('vault', 'approve', requestId, '--as', 'bob');
  assert.is(ok.code, 0);
  assert.is(ok.body.request.approvedBy, 'bob');

  const wrong = await cli('vault', 'reveal', requestId, '--as', 'bob');
  assert.is(wrong.code, 2);
  assert.ok(wrong.stderr.includes(VAULT_CODES.notRequester));
  assert.not.ok(printed.includes('PLANTED'), 'nothing revealed so far');

  const shown = await cli('vault', 'reveal', requestId, '--as', 'alice');
  assert.is(shown.code, 0, shown.stderr);
  assert.is(shown.stdout, `${PLANTED}\n`, 'exactly the value on stdout');
  assert.not.ok(shown.stderr.includes(PLANTED));

  const again = await cli('vault', 'reveal', requestId, '--as', 'alice');
  assert.is(again.code, 2);
  assert.ok(again.stderr.includes(VAULT_CODES.alreadyRevealed));
  assert.not.ok(again.stdout.includes(PLANTED) || again.stderr.includes(PLANTED));
});

test('an approval older than vault.revealWindowMinutes no longer reveals', async () => {
  const requestId = (await cli('vault', 'request', entryId, '--as', 'alice', '--reason', 'later')).stdout.trim();
  assert.is((await cli('vault', 'approve', requestId, '--as', 'bob')).code, 0);
  // Time passes: the approval is moved 6 minutes into the past (window: 5).
  const sql = new Database(db);
  try { sql.prepare('UPDATE vault_requests SET approved_at = ? WHERE id = ?').run(new Date(Date.now() - 6 * 60_000).toISOString(), requestId); } finally { sql.close(); }
  const r = await cli('vault', 'reveal', requestId, '--as', 'alice');
  assert.is(r.code, 2);
  assert.ok(r.stderr.includes(VAULT_CODES.windowExpired) && r.stderr.includes('5 minute'), r.stderr);
  assert.not.ok(r.stdout.includes(PLANTED));
});

test('a finding id from a run report resolves to its vault entry', async () => {
  const { body } = await json('vault', 'list');
  const other = body.entries.find((e: { surface: string }) => e.surface === 'integrations');
  mkdirSync(join(dir, '.driftwarden', 'reports'), { recursive: true });
  writeFileSync(join(dir, '.driftwarden', 'reports', '20261125T100001000Z-01010101.json'), JSON.stringify({
    findings: [{ id: 'dw-0123456789abcdef01234567', org: 'acme', surface: 'integrations', pathText: 'entities[id=x].credentialFields', new: `[REDACTED] ${other.fingerprint.slice('sealed:'.length)}` }],
  }));
  const req = await json('vault', 'request', 'dw-0123456789abcdef01234567', '--as', 'carol', '--reason', 'who rotated it');
  assert.is(req.code, 0, req.stderr);
  assert.is(req.body.request.entryId, other.id);
  const unknown = await cli('vault', 'request', 'dw-ffffffffffffffffffffffff', '--as', 'carol', '--reason', 'x');
  assert.is(unknown.code, 2);
  assert.ok(unknown.stderr.includes(VAULT_CODES.unknownSubject));
  const missing = await cli('vault', 'request', '--as', 'carol', '--reason', 'x');
  assert.is(missing.code, 2);
  assert.ok(missing.stderr.includes(VAULT_CODES.missingArgument));
  const noReason = await cli('vault', 'request', other.id, '--as', 'carol');
  assert.is(noReason.code, 2);
  assert.ok(noReason.stderr.includes(VAULT_CODES.badReason));
});

test('vault log lists every step without values; --verify passes on the untouched chain', async () => {
  const log = await json('vault', 'log');
  assert.is(log.code, 0);
  const actions = log.body.rows.map((r: { action: string }) => r.action);
  for (const a of ['deposit', 'request', 'approve', 'reveal', 'refuse-approve', 'refuse-reveal', 'refuse-request']) assert.ok(actions.includes(a), a);
  assert.equal(log.body.rows.map((r: { seq: number }) => r.seq), actions.map((_: string, i: number) => i + 1));
  assert.not.ok(JSON.stringify(log.body).includes('PLANTED'));
  const v = await json('vault', 'log', '--verify');
  assert.is(v.code, 0);
  assert.equal([v.body.verify.valid, v.body.verify.rows], [true, actions.length]);
  const human = await cli('vault', 'log', '--verify');
  assert.match(human.stdout, /vault log intact/);
});

test('vault log --verify reports an edited, a deleted and a reordered row by position (exit 1)', async () => {
  const edited = await verifyAfter((sql) => sql.prepare(`UPDATE vault_log SET actor = 'mallory' WHERE seq = 4`).run());
  assert.is(edited.code, 1);
  assert.equal([edited.body.verify.valid, edited.body.verify.position], [false, 4]);
  assert.ok(edited.stderr.includes(VAULT_CODES.logTampered) && edited.stderr.includes('position 4'), edited.stderr);

  const deleted = await verifyAfter((sql) => sql.prepare('DELETE FROM vault_log WHERE seq = 3').run());
  assert.is(deleted.code, 1);
  assert.is(deleted.body.verify.position, 3);
  assert.match(deleted.body.verify.reason, /deleted/);

  const swapped = await verifyAfter((sql) => {
    sql.prepare('UPDATE vault_log SET seq = -1 WHERE seq = 5').run();
    sql.prepare('UPDATE vault_log SET seq = 5 WHERE seq = 6').run();
    sql.prepare('UPDATE vault_log SET seq = 6 WHERE seq = -1').run();
  });
  assert.is(swapped.code, 1);
  assert.is(swapped.body.verify.position, 5);

  // Rewriting a row together with a correct hash of its own still breaks the link of the next row.
  const rehashed = await verifyAfter((sql) => {
    const row = sql.prepare('SELECT * FROM vault_log WHERE seq = 2').get() as { seq: number; at: string; actor: string; action: VaultAction; subject: string; prev_hash: string };
    const hash = logRowHash(row.prev_hash, { ...row, detail: '{}' });
    sql.prepare(`UPDATE vault_log SET detail = '{}', hash = ? WHERE seq = 2`).run(hash);
  });
  assert.is(rehashed.code, 1);
  assert.is(rehashed.body.verify.position, 3);

  const restored = await json('vault', 'log', '--verify');
  assert.is(restored.code, 0, 'the restored file verifies again');
});

test('help and argument errors', async () => {
  const help = await cli('vault', 'reveal', '--help');
  assert.is(help.code, 0);
  const unknownFlag = await cli('vault', 'approve', 'vr-x', '--as', 'bob', '--force');
  assert.is(unknownFlag.code, 2);
  const noAs = await cli('vault', 'approve', 'vr-x');
  assert.is(noAs.code, 2);
  assert.ok(noAs.stderr.includes(VAULT_CODES.badPerson));
  assert.not.ok(printed.split(PLANTED).length > 2, 'the value was printed exactly once, by the one reveal');
});

test.run();
