// The daemon in-process against the simulator: catch-up on start, graceful stop, a hung run
// does not hide blindness.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { readLease, type DaemonEvent } from '../../src/daemon/index.ts';
import { orgId, runId } from '../../src/model/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { daemonWorkspace, startInProcess, waitFor, type DaemonWorkspace, type InProcess } from './helpers.ts';

type Ctx = { sim: Simulator; ws?: DaemonWorkspace; d?: InProcess };
const t = suite<Ctx>('daemon');

t.before.each(async (ctx) => { ctx.sim = await startSimulator({ seed: 5 }); });
t.after.each(async (ctx) => {
  await ctx.d?.stop();
  ctx.ws?.close();
  await ctx.sim.close();
  ctx.d = undefined; ctx.ws = undefined;
});

const seedRun = (store: Store, startedAt: string, status: 'clean' | 'failed' = 'clean') => store.recordRun({
  id: runId(`${startedAt.replace(/[-:.]/g, '')}-00000001`), org: orgId('acme'), startedAt, finishedAt: startedAt, status,
  surfacesOk: 1, surfacesTotal: 1, driftCount: 0, findingCount: 0, durationsMs: {}, exitCode: status === 'clean' ? 0 : 3,
});
const of = <T extends DaemonEvent['type']>(events: readonly DaemonEvent[], type: T) => events.filter((e): e is Extract<DaemonEvent, { type: T }> => e.type === type);

t('catch-up: a scheduled time passed since the last run, so the org is checked at once', async (ctx) => {
  // Yearly on 1 January: without catch-up the next run would be weeks away.
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '0 0 1 1 *' });
  const d = ctx.d = await startInProcess(ctx.ws, {}, (store) => seedRun(store, '2025-06-01T00:00:00.000Z'));
  assert.equal(of(d.events, 'catch-up').map((e) => e.lastRunAt), ['2025-06-01T00:00:00.000Z']);
  const done = await waitFor('catch-up run', () => of(d.events, 'run-finished')[0], 8000, d.events);
  assert.is(done.status, 'clean');
  assert.equal(of(d.events, 'run-started').map((e) => e.trigger), ['catch-up']);
  assert.is((await d.store.listRuns())[0]!.id, done.runId);
});

t('no catch-up when the last run is after the last scheduled time', async (ctx) => {
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '0 0 1 1 *' });
  const d = ctx.d = await startInProcess(ctx.ws, {}, (store) => seedRun(store, new Date().toISOString()));
  assert.equal(of(d.events, 'catch-up'), []);
  assert.equal(of(d.events, 'run-started'), []);
  assert.is(of(d.events, 'started')[0]!.orgs[0]!.org, 'acme');
});

t('stop(): no new runs, the current run stops at its next stage boundary and is recorded as failed, lease released', async (ctx) => {
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *' });
  // Stop the moment a run starts (as a SIGTERM would): its first stage boundary is the baseline.
  const d = ctx.d = await startInProcess(ctx.ws, { onEvent: (e, daemon) => { if (e.type === 'run-started') void daemon.stop('test'); } });
  await d.daemon.done;
  assert.equal(of(d.events, 'run-finished'), []);
  const failed = of(d.events, 'run-failed');
  assert.is(failed.length, 1, JSON.stringify(d.events));
  assert.is(failed[0]!.error, 'DW9103 run aborted before stage baseline: the daemon is stopping');
  const runs = await d.store.listRuns();
  assert.is(runs.length, 1);
  assert.is(runs[0]!.status, 'failed');
  assert.match(runs[0]!.error!, /^DW9103/);
  assert.is(await readLease(d.store, 'acme'), null);
  const count = of(d.events, 'run-started').length;
  await new Promise((r) => setTimeout(r, 1100)); // a tick would fire within a second if scheduling went on
  assert.is(of(d.events, 'run-started').length, count);
  assert.is(d.events.at(-1)!.type, 'stopped');
});

t('a run that hangs does not hide blindness: the next tick raises "monitoring blind" while it is still going', async (ctx) => {
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *', blindAfterMinutes: 1 });
  let skewMs = 0;
  let startsBefore = -1;
  let starts = 0;
  const sim = ctx.sim;
  const d = ctx.d = await startInProcess(ctx.ws, {
    now: () => new Date(Date.now() + skewMs),
    onEvent: (e) => {
      if (e.type === 'run-started') starts++;
      // Right after the first good run (none is in progress then), every later run sits in its snapshot.
      if (e.type === 'run-finished' && startsBefore < 0) { sim.setFaults({ latencyMs: 2500 }); startsBefore = starts; }
    },
  });
  await waitFor('a slow run to start', () => startsBefore > 0 && of(d.events, 'run-started').length > startsBefore, 8000, d.events);
  skewMs = 2 * 60_000;
  const blind = await waitFor('blind', () => of(d.events, 'blind')[0], 8000, d.events);
  // Between the slow run's start and the alarm, no run ended: it was raised by a busy tick.
  const slowStart = d.events.indexOf(of(d.events, 'run-started')[startsBefore]!);
  const ended = d.events.slice(slowStart, d.events.indexOf(blind)).filter((e) => e.type === 'run-finished' || e.type === 'run-failed');
  assert.equal(ended, [], 'raised while the slow run was still going');
  assert.ok(d.events.slice(slowStart).some((e) => e.type === 'skipped' && /still going/.test(e.reason)));
  const lastGood = of(d.events, 'run-finished').filter((e) => e.status === 'clean' && d.events.indexOf(e) < d.events.indexOf(blind)).at(-1)!;
  assert.is(blind.since, lastGood.finishedAt);
  ctx.sim.setFaults({ latencyMs: 0 }); // let the teardown's stop() come quickly
});

t.run();
