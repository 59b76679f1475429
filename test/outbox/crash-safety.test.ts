// Crash safety: delivery runs in a child process that is SIGKILLed at every checkpoint of a
// send (claimed, acknowledged by the receiver, part recorded, sent, settled) and at seeded
// random moments; a new child then finishes the job. The receivers run here, in the parent, and
// must have seen every message exactly once, in order, with nothing left undelivered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import type { Redacted } from '../../src/redact/redacted.ts';
import type { Finding } from '../../src/model/findings.ts';
import { buildOutbox, commitRun, endpointsOf, finding, mails, openOutboxStore, pdEvents, routeTable, seeded, tempDir } from './helpers.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'crash-child.ts');
const ROOT = join(HERE, '..', '..');

type Channels = NonNullable<Parameters<typeof routeTable>[1]>;
type ChildResult = { readonly killed: boolean; readonly out: string; readonly err: string; readonly code: number | null };

/** Runs one delivery child; kills it with SIGKILL when it reports its crash point (or `killAfterMs`
 *  after it reports READY). */
function runChild(env: Record<string, string>, killAfterMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, ...(killAfterMs !== undefined ? { DW_READY: '1' } : {}) },
    });
    let out = '', err = '', killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => { if (!killed) { killed = true; child.kill('SIGKILL'); } };
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('CRASH ')) kill();
      if (killAfterMs !== undefined && timer === undefined && out.includes('READY')) timer = setTimeout(kill, killAfterMs);
    });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => { if (timer) clearTimeout(timer); resolve({ killed: killed && !out.includes('DONE'), out, err, code }); });
  });
}

/** Enqueues runs' findings into a fresh database file (as run-check would), then closes it. */
async function seed(file: string, rx: Receivers, channels: Channels, runs: readonly (readonly Redacted<Finding>[])[]): Promise<void> {
  const store = await openOutboxStore(file);
  const outbox = buildOutbox(store, routeTable(endpointsOf(rx), channels));
  for (const findings of runs) await commitRun(store, outbox, findings);
  await outbox.close();
  await store.close();
}

/** Everything in the outbox was delivered, and each receiver saw each message once. Repeats
 *  that a receiver recognised by key are allowed only for messages in flight at a kill: at most
 *  one per channel (channels deliver concurrently, each one message at a time). */
async function assertExactlyOnce(file: string, rx: Receivers, expect: { slack: number; teams: number; mails: number; pd: number }, kills: number, channels: number, label: string) {
  const store = await openOutboxStore(file);
  try {
    const rows = await store.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status');
    assert.equal(rows.map((r) => [r.status, r.n]), [['delivered', rows.reduce((s, r) => s + r.n, 0)]], `${label}: every message delivered`);
  } finally { await store.close(); }
  for (const [name, r, n] of [['slack', rx.slack, expect.slack], ['teams', rx.teams, expect.teams], ['pagerduty', rx.pagerduty, expect.pd]] as const) {
    const keys = r.received.filter((q) => q.status >= 200 && q.status < 300 && !q.duplicate).map((q) => q.headers['idempotency-key']);
    assert.is(keys.length, n, `${label}: ${name} got ${n} messages`);
    assert.is(new Set(keys).size, n, `${label}: ${name} never delivered a key twice`);
    assert.is(r.accepted.length, n, `${label}: ${name} accepted each once`);
  }
  const kept = mails(rx).map((m) => m.parsed.headers.get('message-id')?.[0]);
  assert.is(kept.length, expect.mails, `${label}: mailbox`);
  assert.is(new Set(kept).size, expect.mails, `${label}: no Message-ID twice`);
  const repeats = [rx.slack, rx.teams, rx.pagerduty].reduce((s, r) => s + r.received.filter((q) => q.duplicate).length, 0) + rx.smtp.received.filter((m) => m.duplicate).length;
  assert.ok(repeats <= kills * channels, `${label}: at most one re-sent (and recognised) message per channel per kill, got ${repeats} for ${kills} kills`);
}

const resetAll = (rx: Receivers) => { rx.slack.reset(); rx.teams.reset(); rx.pagerduty.reset(); rx.smtp.reset(); };

type Ctx = { pool: Receivers[]; tmp: ReturnType<typeof tempDir> };
const t = suite<Ctx>('outbox: crash safety (SIGKILL)', {} as Ctx);
t.before(async (c) => { c.pool = await Promise.all([startReceivers(), startReceivers()]); c.tmp = tempDir(); });
t.after(async (c) => { await Promise.all(c.pool.map((r) => r.close())); c.tmp.remove(); });

// A two-part Slack digest (46 findings): claimed, acked #0, part-recorded #0, acked #1,
// part-recorded #1, sent, settled = 7 checkpoints. (Every channel type goes through the same
// code; the chains below mix all four concurrently.)
const SWEEP_CHANNELS: Channels = ['security'];
const SWEEP_FINDINGS = () => Array.from({ length: 46 }, (_, i) => finding(i + 1, 'medium'));
const SWEEP_POINTS = 7;

t('killed at each of the 7 checkpoints of a two-part digest, then restarted: every message exactly once', async (c) => {
  const ks = Array.from({ length: SWEEP_POINTS }, (_, i) => i + 1);
  const worker = async (rx: Receivers, lane: number) => {
    for (let j = lane; j < ks.length; j += c.pool.length) {
      const k = ks[j]!;
      resetAll(rx);
      const db = join(c.tmp.dir, `sweep-${k}.db`);
      await seed(db, rx, SWEEP_CHANNELS, [SWEEP_FINDINGS()]);
      const env = { DW_DB: db, DW_ENDPOINTS: JSON.stringify(endpointsOf(rx)), DW_CHANNELS: JSON.stringify(SWEEP_CHANNELS) };
      const crashed = await runChild({ ...env, DW_CRASH_AT: String(k) });
      assert.ok(crashed.killed, `k=${k}: the child was killed at its checkpoint (${crashed.out.trim()} ${crashed.err.slice(0, 500)})`);
      const restarted = await runChild(env);
      assert.ok(restarted.out.includes('DONE'), `k=${k}: restart finished: ${restarted.err.slice(0, 500)}`);
      await assertExactlyOnce(db, rx, { slack: 2, teams: 0, mails: 0, pd: 0 }, 1, SWEEP_CHANNELS.length, `k=${k} (${crashed.out.trim()})`);
    }
  };
  // allSettled: a failing lane must not leave the other one sending into the next test.
  const lanes = await Promise.allSettled(c.pool.map((rx, lane) => worker(rx, lane)));
  for (const l of lanes) if (l.status === 'rejected') throw l.reason;
});

// Two runs on all four channels: 2 × (Slack, Teams, e-mail digests) + 3 PagerDuty triggers.
const CHAIN_CHANNELS: Channels = ['oncall', 'security', 'it', 'compliance'];
const CHAIN_RUNS = () => [[finding(1, 'critical'), finding(2, 'high'), finding(3, 'low')], [finding(4, 'critical'), finding(5, 'medium')]];
const CHAIN_EXPECT = { slack: 2, teams: 2, mails: 2, pd: 3 };

/** Kills children one after another until one finishes; returns how many were killed. */
async function chain(rx: Receivers, db: string, nextKill: () => { crashAt?: number; afterMs?: number }, maxKills: number): Promise<number> {
  const env = { DW_DB: db, DW_ENDPOINTS: JSON.stringify(endpointsOf(rx)), DW_CHANNELS: JSON.stringify(CHAIN_CHANNELS) };
  let kills = 0;
  for (let i = 0; i <= maxKills; i++) {
    const k = i < maxKills ? nextKill() : {};
    const r = await runChild({ ...env, ...(k.crashAt ? { DW_CRASH_AT: String(k.crashAt) } : {}) }, k.afterMs);
    if (r.out.includes('DONE')) return kills;
    assert.ok(r.killed, `child ${i} neither finished nor was killed: ${r.err.slice(0, 500)}`);
    kills++;
  }
  return assert.unreachable('the last child runs without a kill and must finish') as never;
}

t('several kills in a row, at seeded checkpoints and at seeded random moments (mid-request), across four channels and two runs', async (c) => {
  const byCheckpoint = async (rx: Receivers) => {
    resetAll(rx);
    const db = join(c.tmp.dir, 'chain-checkpoints.db');
    await seed(db, rx, CHAIN_CHANNELS, CHAIN_RUNS());
    const random = seeded(2026);
    const kills = await chain(rx, db, () => ({ crashAt: 2 + Math.floor(random() * 8) }), 4);
    assert.ok(kills >= 3, `most children were killed mid-delivery (${kills})`);
    await assertExactlyOnce(db, rx, CHAIN_EXPECT, kills, CHAIN_CHANNELS.length, 'checkpoint chain');
    const slack = rx.slack.accepted.map((m) => JSON.stringify(m));
    assert.ok(slack[0]!.includes('Setting 1 changed') && slack[1]!.includes('Setting 4 changed'), 'run order kept per channel');
  };
  const atRandom = async (rx: Receivers) => {
    resetAll(rx);
    const db = join(c.tmp.dir, 'chain-random.db');
    await seed(db, rx, CHAIN_CHANNELS, CHAIN_RUNS());
    const random = seeded(42);
    const kills = await chain(rx, db, () => ({ afterMs: Math.floor(random() * 40) }), 4);
    await assertExactlyOnce(db, rx, CHAIN_EXPECT, kills, CHAIN_CHANNELS.length, 'random chain');
  };
  const lanes = await Promise.allSettled([byCheckpoint(c.pool[0]!), atRandom(c.pool[1]!)]);
  for (const l of lanes) if (l.status === 'rejected') throw l.reason;
});

t.run();
