// The daemon's alarms in-process against the simulator: "monitoring blind" after a revoked
// credential (routed through the outbox), coverage gaps are not good runs, the heartbeat, a lost
// lease stops the run.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, SIM_AUDITOR, AUDITOR_PERMISSIONS, type Simulator } from '../../src/simulator/index.ts';
import { startSlackReceiver, type SlackReceiver } from '../../src/receivers/slack.ts';
import { startPagerDutyReceiver, type PagerDutyReceiver } from '../../src/receivers/pagerduty.ts';
import { LOCAL_ROUTING_KEY } from '../../src/receivers/index.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runId } from '../../src/model/ids.ts';
import type { DaemonEvent } from '../../src/daemon/index.ts';
import { daemonWorkspace, startInProcess, waitFor, type DaemonWorkspace, type InProcess } from './helpers.ts';

type Ctx = { sim: Simulator; ws?: DaemonWorkspace; d?: InProcess; slack?: SlackReceiver; pd?: PagerDutyReceiver; beat?: Beat };
type Beat = { url: string; gets: string[]; status: number; close(): Promise<void> };

/** A heartbeat endpoint (healthchecks.io style): counts GETs, answers `status`. */
async function startBeat(): Promise<Beat> {
  const beat: Beat = { url: '', gets: [], status: 200, close: async () => {} };
  const server = createServer((req, res) => { if (req.method === 'GET') beat.gets.push(req.url ?? ''); res.writeHead(beat.status).end('OK'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  beat.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/abc`;
  beat.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return beat;
}
const t = suite<Ctx>('daemon alarms');

t.before.each(async (ctx) => { ctx.sim = await startSimulator({ seed: 5 }); });
t.after.each(async (ctx) => {
  await ctx.d?.stop();
  ctx.ws?.close();
  await ctx.slack?.close();
  await ctx.pd?.close();
  await ctx.beat?.close();
  await ctx.sim.close();
  ctx.d = undefined; ctx.ws = undefined; ctx.slack = undefined; ctx.pd = undefined; ctx.beat = undefined;
});

const of = <T extends DaemonEvent['type']>(events: readonly DaemonEvent[], type: T) => events.filter((e): e is Extract<DaemonEvent, { type: T }> => e.type === type);

t('a revoked credential raises a CRITICAL "monitoring blind" within one interval once the window has passed, routed to the outbox', async (ctx) => {
  ctx.slack = await startSlackReceiver();
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *', blindAfterMinutes: 1 }, ['routes: routes.yaml'], {
    'routes.yaml': [
      'channels:',
      '  ops: { type: slack, urlEnv: DW_SLACK_URL, throttle: { minTimeMs: 0, maxConcurrent: 1 } }',
      'routes:',
      '  - name: everything',
      '    match: { severityAtLeast: info }',
      '    channels: [ops]',
      '',
    ].join('\n'),
  }, { DW_SLACK_URL: ctx.slack.url });
  // The daemon's clock can be moved forward; the runs themselves use real time.
  let skewMs = 0;
  const d = ctx.d = await startInProcess(ctx.ws, { now: () => new Date(Date.now() + skewMs) });
  await waitFor('a good run', () => of(d.events, 'run-finished').find((e) => e.status === 'clean'), 8000, d.events);

  ctx.sim.revokeTokens();
  ctx.ws.env.SIM_SECRET = 'revoked-secret';
  const failedBefore = await waitFor('a failed run', () => of(d.events, 'run-failed').length >= 1 && of(d.events, 'run-failed').length, 8000, d.events);
  assert.match(of(d.events, 'run-failed')[0]!.error, /DW4/);
  assert.equal(of(d.events, 'blind'), [], 'inside the window nothing is blind yet');

  skewMs = 2 * 60_000; // the window (1 min) has now passed since the last good run
  const blind = await waitFor('blind', () => of(d.events, 'blind')[0], 8000, d.events);
  // Raised by the first failing tick after the window passed: within one schedule interval.
  assert.ok(of(d.events, 'run-failed').length <= failedBefore + 2, `blind took ${of(d.events, 'run-failed').length - failedBefore} failed runs`);
  const run = await d.store.getRun(runId(blind.runId));
  assert.is(run!.status, 'failed');
  assert.is(run!.findingCount, 1);
  assert.match(run!.error!, /^DW9110 Monitoring blind/);
  const sent = await waitFor('slack message', () => ctx.slack!.received.find((r) => r.body.includes('Monitoring blind')), 8000);
  assert.match(sent.body, /critical/i);
  assert.not.ok(sent.body.includes('revoked-secret'));
  assert.ok(blind.deliveries.some((x) => x.channel === 'ops'), JSON.stringify(blind.deliveries));
  // Once per window, not once per tick.
  const failedAtBlind = of(d.events, 'run-failed').length;
  await waitFor('another failed run', () => of(d.events, 'run-failed').length > failedAtBlind, 8000, d.events);
  assert.is(of(d.events, 'blind').length, 1);
});

t('when the org is seen again the blind alarm resolves: its PagerDuty incident is closed', async (ctx) => {
  ctx.pd = await startPagerDutyReceiver();
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *', blindAfterMinutes: 1 }, ['routes: routes.yaml'], {
    'routes.yaml': [
      'channels:',
      `  pager: { type: pagerduty, url: ${JSON.stringify(ctx.pd.url)}, routingKey: ${LOCAL_ROUTING_KEY} }`,
      'routes:',
      '  - { match: { severityAtLeast: critical }, channels: [pager] }',
      '',
    ].join('\n'),
  });
  let skewMs = 0;
  const d = ctx.d = await startInProcess(ctx.ws, { now: () => new Date(Date.now() + skewMs) });
  await waitFor('a good run', () => of(d.events, 'run-finished').find((e) => e.status === 'clean'), 8000, d.events);
  ctx.sim.revokeTokens();
  const secret = ctx.ws.env.SIM_SECRET;
  ctx.ws.env.SIM_SECRET = 'revoked-secret';
  await waitFor('a failed run', () => of(d.events, 'run-failed')[0], 8000, d.events);
  skewMs = 2 * 60_000;
  await waitFor('blind', () => of(d.events, 'blind')[0], 8000, d.events);
  const incident = await waitFor('a PagerDuty incident', () => [...ctx.pd!.incidents.values()].find((i) => i.status === 'triggered'), 8000);

  ctx.ws.env.SIM_SECRET = secret; // credentials fixed: the next tick sees the org again
  const resolved = await waitFor('blind resolved', () => of(d.events, 'blind-resolved')[0], 8000, d.events);
  assert.ok(resolved.deliveries.some((x) => x.channel === 'pager'), JSON.stringify(resolved.deliveries));
  assert.is(ctx.pd.incidents.get(incident.dedupKey)!.status, 'resolved');
  const cleanRuns = of(d.events, 'run-finished').filter((e) => e.status === 'clean').length;
  await waitFor('another good run', () => of(d.events, 'run-finished').filter((e) => e.status === 'clean').length > cleanRuns, 8000, d.events);
  assert.is(of(d.events, 'blind-resolved').length, 1, 'resolved once, not on every good tick');
});

t('a run with a coverage gap is logged and is not a good run: no heartbeat; a failing heartbeat is not fatal', async (ctx) => {
  ctx.beat = await startBeat();
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '* * * * * *', heartbeatUrl: ctx.beat.url });
  const d = ctx.d = await startInProcess(ctx.ws);
  await waitFor('a heartbeat', () => of(d.events, 'heartbeat').find((e) => e.ok), 8000, d.events);
  assert.ok(ctx.beat.gets.length >= 1);
  assert.is(ctx.beat.gets[0], '/ping/abc');

  ctx.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS.filter((p) => p !== 'oauth:client:view'));
  const gap = await waitFor('a coverage gap', () => of(d.events, 'coverage-gap')[0], 8000, d.events);
  assert.equal(gap.gaps.map((g) => [g.surface, g.missingPermission]), [['oauth-clients', 'oauth:client:view']]);
  const gapRuns = () => of(d.events, 'run-finished').filter((e) => e.status === 'coverage-gap').length;
  const beatsAtGap = of(d.events, 'heartbeat').length;
  await waitFor('another gap run', () => gapRuns() >= 2, 8000, d.events);
  assert.is(of(d.events, 'heartbeat').length, beatsAtGap, 'a run with gaps must not ping the heartbeat');
  assert.is(ctx.beat.gets.length, beatsAtGap);

  // Heartbeat endpoint down: logged, runs go on.
  ctx.sim.setPermissions(SIM_AUDITOR.clientId, AUDITOR_PERMISSIONS);
  ctx.beat.status = 503;
  const bad = await waitFor('a failed heartbeat', () => of(d.events, 'heartbeat').find((e) => !e.ok), 8000, d.events);
  assert.match(bad.error!, /DW9120 heartbeat http:\/\/127\.0\.0\.1:\d+ answered HTTP 503/);
  assert.not.ok(bad.error!.includes('/ping/abc'), 'the heartbeat path may hold a token: not logged');
  const after = of(d.events, 'run-finished').length;
  await waitFor('runs continue', () => of(d.events, 'run-finished').length > after, 8000, d.events);
});

t('a lease lost mid-run (expired and taken over) stops the run at its next stage boundary', async (ctx) => {
  ctx.ws = await daemonWorkspace(ctx.sim, { schedule: '0 0 1 1 *' });
  ctx.sim.setFaults({ latencyMs: 150 });
  let store: InProcess['store'] | undefined;
  const d = ctx.d = await startInProcess(ctx.ws, {
    leaseMs: 300, // renewed every 100 ms
    onEvent: (e) => {
      // Another daemon takes the org over, as if our lease had expired.
      if (e.type === 'run-started') void store!.execute('UPDATE daemon_leases SET holder = ?', ['someone-else']);
    },
  }, async (s) => { store = s; });
  const failed = await waitFor('the run to stop', () => of(d.events, 'run-failed')[0], 8000, d.events);
  assert.match(failed.error, /^DW9104 run aborted before stage \w+: its lease expired and may be held by another daemon$/);
  assert.is(of(d.events, 'lease-lost').length, 1);
  assert.equal(of(d.events, 'run-finished'), []);
  assert.is((await d.store.listRuns())[0]!.status, 'failed');
  ctx.sim.setFaults({ latencyMs: 0 });
});

t.run();
