// enqueue + deliver against the real receivers and a real SQLite file: one digest per channel
// per run, one PagerDuty trigger per finding, dedup across runs, reminders, resolves, waivers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import type { Store } from '../../src/store/store.ts';
import type { DurableOutbox } from '../../src/notify/outbox/outbox.ts';
import { planOutbox } from '../../src/notify/outbox/plan.ts';
import { insertMessage, listMessages } from '../../src/notify/outbox/rows.ts';
import type { Finding } from '../../src/model/findings.ts';
import { buildOutbox, commitRun, endpointsOf, fakeClock, finding, mails, nextRunId, openOutboxStore, ORG, pdEvents, routeTable, tempDir } from './helpers.ts';

type Ctx = { rx: Receivers; tmp: ReturnType<typeof tempDir>; store: Store; outbox: DurableOutbox; clock: ReturnType<typeof fakeClock> };
const t = suite<Ctx>('outbox: enqueue, dedup, resolve', {} as Ctx);

t.before(async (c) => { c.rx = await startReceivers(); c.tmp = tempDir(); });
t.after(async (c) => { await c.rx.close(); c.tmp.remove(); });
t.before.each(async (c) => {
  c.rx.slack.reset(); c.rx.teams.reset(); c.rx.pagerduty.reset(); c.rx.smtp.reset();
  c.store = await openOutboxStore(join(c.tmp.dir, `${Math.random().toString(36).slice(2)}.db`));
  c.clock = fakeClock();
  c.outbox = buildOutbox(c.store, routeTable(endpointsOf(c.rx)), { now: c.clock.now, sleep: c.clock.sleep });
});
t.after.each(async (c) => { await c.outbox.close(); await c.store.close(); });

const HOUR = 3_600_000;
const five = () => [finding(1, 'critical'), finding(2, 'high'), finding(3, 'medium'), finding(4, 'low'), finding(5, 'info')];

t('one digest per channel per run and one PagerDuty trigger per paged finding (dedup_key = finding id)', async (c) => {
  const { enqueued } = await commitRun(c.store, c.outbox, five());
  assert.is(enqueued, 5, 'slack + teams + email digests, 2 triggers');
  const outcomes = await c.outbox.deliver();
  assert.equal(outcomes.map((o) => [o.channel, o.status]), [['compliance', 'delivered'], ['it', 'delivered'], ['oncall', 'delivered'], ['security', 'delivered']]);
  assert.is(c.rx.slack.accepted.length, 1, 'one Slack message, not one per path');
  assert.is(c.rx.teams.accepted.length, 1);
  assert.is(mails(c.rx).length, 1);
  for (let i = 1; i <= 5; i++) assert.ok(JSON.stringify(c.rx.slack.accepted[0]).includes(`Setting ${i} changed`), `digest lists finding ${i}`);
  assert.equal(pdEvents(c.rx).map((e) => [e.event_action, e.dedup_key]), [['trigger', 'dw-f0001'], ['trigger', 'dw-f0002']]);
  const rows = await c.outbox.list();
  assert.ok(rows.every((r) => r.status === 'delivered' && r.attempts === 1 && r.deliveredAt), 'all delivered on the first attempt');
  // Every HTTP message carried its idempotency key; the receivers saw no repeat.
  assert.ok(c.rx.slack.received.every((r) => r.headers['idempotency-key']?.startsWith(`${rows[0]!.runId}:security:digest#`)));
  assert.not.ok(c.rx.allReceivedText().includes(c.rx.slack.url), 'no webhook URL in any message');
});

t('idempotency keys are deterministic: planning and inserting a run twice adds nothing the second time', async (c) => {
  const run = { id: nextRunId(), org: ORG };
  const plan = () => planOutbox({ run, findings: five(), resolved: [], table: routeTable(endpointsOf(c.rx)), previous: [], now: c.clock.now(), reminderMs: HOUR });
  const first = plan(), second = plan();
  assert.equal(first.messages.map((m) => m.idempotencyKey), second.messages.map((m) => m.idempotencyKey));
  assert.equal(first.messages.map((m) => m.idempotencyKey).sort(), [
    `${run.id}:compliance:digest`, `${run.id}:it:digest`, `${run.id}:oncall:trigger:dw-f0001`, `${run.id}:oncall:trigger:dw-f0002`, `${run.id}:security:digest`,
  ]);
  await c.store.recordRun({ id: run.id, org: ORG, startedAt: 'x', finishedAt: 'x', status: 'drift', surfacesOk: 1, surfacesTotal: 1, driftCount: 5, findingCount: 5, durationsMs: {}, exitCode: 1 });
  const insertAll = (p: typeof first) => c.store.transaction(async (tx) => {
    let n = 0;
    for (const m of p.messages) if (await insertMessage(tx, m, c.clock.now().toISOString())) n++;
    return n;
  });
  assert.is(await insertAll(first), 5);
  assert.is(await insertAll(second), 0, 'a retried enqueue never creates a second message');
  assert.is((await listMessages(c.store)).length, 5);
});

t('a second run with the same ongoing findings sends nothing; a severity rise re-sends that finding only', async (c) => {
  await commitRun(c.store, c.outbox, five());
  await c.outbox.deliver();
  c.clock.advance(HOUR);
  const again = await commitRun(c.store, c.outbox, five().map((f) => ({ ...f, state: 'ongoing' as const })));
  assert.is(again.enqueued, 0, 'dedup: nothing new');
  assert.equal(await c.outbox.deliver(), []);
  assert.is(c.rx.slack.accepted.length, 1);
  assert.is(pdEvents(c.rx).length, 2);

  c.clock.advance(HOUR);
  const rose = five().map((f) => (f.id === 'dw-f0003' ? { ...f, severity: 'critical' as const } : f));
  const r = await commitRun(c.store, c.outbox, rose);
  assert.is(r.enqueued, 4, 'three digests and one trigger for the risen finding');
  await c.outbox.deliver();
  assert.is(c.rx.slack.accepted.length, 2);
  const second = JSON.stringify(c.rx.slack.accepted[1]);
  assert.ok(second.includes('Setting 3 changed') && !second.includes('Setting 1 changed'), 'only the risen finding');
  assert.equal(pdEvents(c.rx).map((e) => e.dedup_key), ['dw-f0001', 'dw-f0002', 'dw-f0003']);

  // A lower severity is not news either.
  const lower = rose.map((f) => (f.id === 'dw-f0001' ? { ...f, severity: 'high' as const } : f));
  assert.is((await commitRun(c.store, c.outbox, lower)).enqueued, 0);
});

t('the reminder interval re-sends an unchanged finding', async (c) => {
  await commitRun(c.store, c.outbox, [finding(1, 'critical'), finding(3, 'medium')]);
  await c.outbox.deliver();
  c.clock.advance(23 * HOUR);
  assert.is((await commitRun(c.store, c.outbox, [finding(1, 'critical'), finding(3, 'medium')])).enqueued, 0, 'not yet');
  c.clock.advance(HOUR);
  assert.is((await commitRun(c.store, c.outbox, [finding(1, 'critical'), finding(3, 'medium')])).enqueued, 4, 'reminder due after 24 h');
  await c.outbox.deliver();
  assert.is(c.rx.slack.accepted.length, 2);
  assert.equal(pdEvents(c.rx).map((e) => e.event_action), ['trigger', 'trigger']);
  assert.is(c.rx.pagerduty.incidents.get('dw-f0001')?.triggers, 2, 'the reminder folds into the same incident');
});

t('a resolved finding that was paged gets a resolve event; one that was not, does not', async (c) => {
  await commitRun(c.store, c.outbox, [finding(1, 'critical'), finding(3, 'medium')]);
  await c.outbox.deliver();
  const resolved = [finding(1, 'critical', { state: 'resolved' }), finding(3, 'medium', { state: 'resolved' })];
  // PagerDuty: one resolve (only 1 was paged); each digest channel that heard of them: one digest.
  assert.is((await commitRun(c.store, c.outbox, [], resolved)).enqueued, 4);
  await c.outbox.deliver();
  assert.equal(pdEvents(c.rx).map((e) => [e.event_action, e.dedup_key]), [['trigger', 'dw-f0001'], ['resolve', 'dw-f0001']]);
  const lastSlack = c.rx.slack.accepted[c.rx.slack.accepted.length - 1]!;
  assert.match(JSON.stringify(lastSlack), /\[resolved\]/, 'the digest says what resolved');
  assert.is(c.rx.pagerduty.incidents.get('dw-f0001')?.status, 'resolved');
  // It comes back: a regression is news again on every channel.
  assert.is((await commitRun(c.store, c.outbox, [finding(1, 'critical', { state: 'regressed' })])).enqueued, 4);
  await c.outbox.deliver();
  assert.is(c.rx.pagerduty.incidents.get('dw-f0001')?.status, 'triggered');
});

t('waived findings are never paged; digests list them marked as waived, without reminders; a paged finding that becomes waived is resolved', async (c) => {
  const waiver = { id: 'W-7', owner: 'sec@acme.example', reason: 'migration', expires: '2026-12-31T00:00:00Z', status: 'active' as const };
  const waived = (f: ReturnType<typeof finding>) => ({ ...f, waiver }) as typeof f & Finding;
  await commitRun(c.store, c.outbox, [waived(finding(1, 'critical')), finding(2, 'high')]);
  await c.outbox.deliver();
  assert.equal(pdEvents(c.rx).map((e) => e.dedup_key), ['dw-f0002'], 'the waived critical is not paged');
  const digest = JSON.stringify(c.rx.slack.accepted[0]);
  assert.ok(digest.includes('[waived W-7 until 2026-12-31] Setting 1 changed'), digest.slice(0, 400));

  c.clock.advance(25 * HOUR);
  const r = await commitRun(c.store, c.outbox, [waived(finding(1, 'critical')), waived(finding(2, 'high'))]);
  await c.outbox.deliver();
  assert.is(r.enqueued, 1, 'only the resolve of finding 2: no reminder for waived findings');
  assert.equal(pdEvents(c.rx).map((e) => [e.event_action, e.dedup_key]), [['trigger', 'dw-f0002'], ['resolve', 'dw-f0002']]);
  assert.is(c.rx.slack.accepted.length, 1);
});

t.run();
