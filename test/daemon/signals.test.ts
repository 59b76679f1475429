// A daemon process stopped mid-run by SIGTERM (graceful) or SIGKILL (crash) leaves a consistent
// store: runs recorded whole or not at all, no lease beyond its expiry.
import * as assert from 'uvu/assert';
import { acquireLease, readLease } from '../../src/daemon/index.ts';
import { assertConsistent, daemonWorkspace, eventsOf, processSuite, spawnDaemon, storeOf, waitFor } from './helpers.ts';

const t = processSuite('daemon signals');
const of = eventsOf;

t('SIGTERM mid-run: exit 0, the run is aborted at a stage boundary and recorded as failed, no lease left', async (ctx) => {
  const ws = ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *' });
  ctx.sim.setFaults({ latencyMs: 150 }); // the snapshot takes over a second
  const c = spawnDaemon(ws, ['--lease-seconds', '30']);
  ctx.children.push(c);
  await waitFor('a run in progress', () => of(c.events, 'run-started')[0], 10000, [c.stderr()]);
  await new Promise((r) => setTimeout(r, 200)); // into the snapshot stage
  c.proc.kill('SIGTERM');
  assert.is(await c.exited, 0, c.stderr());
  assert.equal(c.events.slice(-1).map((e) => e.type), ['stopped']);
  const failed = of(c.events, 'run-failed');
  assert.is(failed.length, 1, JSON.stringify(c.events));
  const stage = /^DW9103 run aborted before stage (\w+): the daemon is stopping$/.exec(failed[0]!.error)?.[1];
  assert.ok(stage && ['baseline', 'snapshot', 'normalize', 'diff', 'policy', 'classify', 'lifecycle', 'attribution', 'redact'].includes(stage), failed[0]!.error);
  const store = await storeOf(ws);
  try {
    const runs = await assertConsistent(store);
    assert.is(runs.length, 1);
    assert.is(runs[0]!.status, 'failed');
    assert.match(runs[0]!.error!, /^DW9103/);
    if (stage !== 'baseline' && stage !== 'snapshot') assert.ok(runs[0]!.durationsMs.snapshot !== undefined, 'the snapshot stage ran before the abort');
    assert.is(await readLease(store, 'acme'), null);
  } finally { await store.close(); }
});

t('SIGKILL mid-run: the lease outlives the process only until it expires; the store stays consistent', async (ctx) => {
  const ws = ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *' });
  ctx.sim.setFaults({ latencyMs: 150 });
  const c = spawnDaemon(ws, ['--lease-seconds', '3']);
  ctx.children.push(c);
  await waitFor('a run in progress', () => of(c.events, 'run-started')[0], 10000, [c.stderr()]);
  await new Promise((r) => setTimeout(r, 200));
  const killedAt = Date.now();
  c.proc.kill('SIGKILL');
  await c.exited;
  const store = await storeOf(ws);
  try {
    const runs = await assertConsistent(store);
    assert.is(runs.length, 0, 'the run died before its transaction: nothing of it was recorded');
    const lease = await readLease(store, 'acme');
    assert.ok(lease, 'the killed daemon could not release its lease');
    assert.ok(Date.parse(lease.expiresAt) <= killedAt + 3000 + 500, `lease expires ${lease.expiresAt}, killed at ${new Date(killedAt).toISOString()}`);
    // Another daemon gets it once it expires, not before.
    const before = await acquireLease(store, 'acme', 'other', 3000, new Date(Date.parse(lease.expiresAt) - 1));
    assert.is(before.acquired, false);
    const after = await acquireLease(store, 'acme', 'other', 3000, new Date(Date.parse(lease.expiresAt)));
    assert.is(after.acquired, true);
  } finally { await store.close(); }
});

t.run();
