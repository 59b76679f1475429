// Two daemons as separate processes sharing one store file: the lease keeps runs of one org
// from overlapping.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { RunRecord } from '../../src/model/findings.ts';
import { readLease, type DaemonEvent } from '../../src/daemon/index.ts';
import { daemonWorkspace, spawnDaemon, waitFor, type Child, type DaemonWorkspace } from './helpers.ts';

type Ctx = { sim: Simulator; ws?: DaemonWorkspace; children: Child[] };
const t = suite<Ctx>('daemon processes');

t.before.each(async (ctx) => { ctx.sim = await startSimulator({ seed: 9 }); ctx.children = []; });
t.after.each(async (ctx) => {
  for (const c of ctx.children) if (c.proc.exitCode === null && c.proc.signalCode === null) { c.proc.kill('SIGKILL'); await c.exited; }
  ctx.ws?.close();
  await ctx.sim.close();
  ctx.ws = undefined;
});

const of = <T extends DaemonEvent['type']>(events: readonly DaemonEvent[], type: T) => events.filter((e): e is Extract<DaemonEvent, { type: T }> => e.type === type);
const storeOf = (ws: DaemonWorkspace) => openStore(join(ws.dir, '.driftwarden', 'driftwarden.db'));

/** Invariants of any store a daemon left behind, however it ended. */
async function assertConsistent(store: Store): Promise<readonly RunRecord[]> {
  const runs = await store.listRuns({ limit: 1000 });
  for (const r of runs) {
    assert.ok(['clean', 'drift', 'coverage-gap', 'failed'].includes(r.status), r.status);
    assert.ok(r.finishedAt >= r.startedAt, `${r.id} ends before it starts`);
    assert.is(r.status === 'failed', r.error !== undefined, `${r.id}: failed runs (and only they) carry an error`);
    if (r.status !== 'failed') assert.is(r.surfacesTotal, 17);
  }
  return runs;
}

t('two daemons on one store never run the same org at the same time', async (ctx) => {
  const ws = ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *' });
  ctx.sim.setFaults({ latencyMs: 20 }); // runs take a good part of a second, so ticks contend
  const a = spawnDaemon(ws, ['--lease-seconds', '5']);
  const b = spawnDaemon(ws, ['--lease-seconds', '5']);
  ctx.children.push(a, b);
  const finished = () => of(a.events, 'run-finished').length + of(b.events, 'run-finished').length;
  await waitFor('four runs', () => finished() >= 4, 15000, [...a.events, ...b.events, a.stderr(), b.stderr()]);
  a.proc.kill('SIGTERM'); b.proc.kill('SIGTERM');
  assert.equal([await a.exited, await b.exited], [0, 0], a.stderr() + b.stderr());

  // They did contend: some tick found the lease held by the other daemon.
  const skipped = [...of(a.events, 'skipped'), ...of(b.events, 'skipped')].filter((e) => /another run holds the lease/.test(e.reason));
  assert.ok(skipped.length > 0, 'the daemons never contended, so the test proves nothing');
  const store = await storeOf(ws);
  try {
    const runs = [...await assertConsistent(store)].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    assert.ok(runs.length >= 4);
    for (let i = 1; i < runs.length; i++) {
      assert.ok(runs[i]!.startedAt >= runs[i - 1]!.finishedAt, `runs overlap: ${JSON.stringify([runs[i - 1], runs[i]])}`);
    }
    assert.is(await readLease(store, 'acme'), null, 'both released their leases on SIGTERM');
  } finally { await store.close(); }
});

t.run();
