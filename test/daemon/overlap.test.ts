// Two daemons as separate processes sharing one store file: the lease keeps runs of one org
// from overlapping.
import * as assert from 'uvu/assert';
import { readLease } from '../../src/daemon/index.ts';
import { assertConsistent, daemonWorkspace, eventsOf, processSuite, spawnDaemon, storeOf, waitFor } from './helpers.ts';

const t = processSuite('daemon processes');
const of = eventsOf;

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
