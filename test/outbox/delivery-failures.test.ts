// deliver() against failing receivers: 429 + Retry-After, a channel down for hours (order kept),
// permanent 4xx and exhausted attempts (dead, reported, announced elsewhere), a removed channel,
// and a multi-part digest that resumes where it stopped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import type { Store } from '../../src/store/store.ts';
import type { DurableOutbox } from '../../src/notify/outbox/outbox.ts';
import { retryDelayMs, DEFAULT_RETRY } from '../../src/notify/outbox/retry.ts';
import { buildOutbox, commitRun, endpointsOf, fakeClock, finding, mails, openOutboxStore, pdEvents, routeTable, seeded, tempDir } from './helpers.ts';

type Ctx = { rx: Receivers; tmp: ReturnType<typeof tempDir>; store: Store; outboxes: DurableOutbox[]; clock: ReturnType<typeof fakeClock> };
const t = suite<Ctx>('outbox: delivery failures', {} as Ctx);

t.before(async (c) => { c.rx = await startReceivers(); c.tmp = tempDir(); });
t.after(async (c) => { await c.rx.close(); c.tmp.remove(); });
t.before.each(async (c) => {
  c.rx.slack.reset(); c.rx.teams.reset(); c.rx.pagerduty.reset(); c.rx.smtp.reset();
  c.store = await openOutboxStore(join(c.tmp.dir, `${Math.random().toString(36).slice(2)}.db`));
  c.clock = fakeClock();
  c.outboxes = [];
});
t.after.each(async (c) => { await Promise.all(c.outboxes.map((o) => o.close())); await c.store.close(); });

const HOUR = 3_600_000;
const make = (c: Ctx, channels?: Parameters<typeof routeTable>[1], over: Parameters<typeof buildOutbox>[2] = {}) => {
  const o = buildOutbox(c.store, routeTable(endpointsOf(c.rx), channels), { now: c.clock.now, sleep: c.clock.sleep, ...over });
  c.outboxes.push(o);
  return o;
};

t('429 with Retry-After: waits as told, then delivered exactly once', async (c) => {
  const slept: number[] = [];
  const outbox = make(c, ['security'], { sleep: async (ms) => { slept.push(ms); c.clock.advance(ms); } });
  c.rx.slack.fail({ status: 429, retryAfter: '2', times: 1 });
  await commitRun(c.store, outbox, [finding(1, 'high')]);
  const outcomes = await outbox.deliver();
  assert.equal(outcomes, [{ channel: 'security', status: 'delivered', detail: '1 delivered' }]);
  assert.is(c.rx.slack.received.length, 2, 'one 429, one success');
  assert.is(c.rx.slack.accepted.length, 1, 'delivered once');
  assert.is(slept.length, 1);
  assert.ok(slept[0]! >= 2000 && slept[0]! <= 2200, `waited per Retry-After (${slept[0]} ms)`);
  const [row] = await outbox.list();
  assert.equal([row!.status, row!.attempts], ['delivered', 2]);
});

t('a channel down for hours: messages wait, then deliver in order; other channels are not held up', async (c) => {
  const outbox = make(c, ['oncall', 'security']);
  c.rx.slack.fail({ status: 503 });
  await commitRun(c.store, outbox, [finding(1, 'critical')]);
  c.clock.advance(HOUR);
  await commitRun(c.store, outbox, [finding(2, 'critical')]);
  const first = await outbox.deliver();
  assert.equal(first.map((o) => [o.channel, o.status]), [['oncall', 'delivered'], ['security', 'pending']]);
  assert.match(first[1]!.detail!, /2 waiting \(attempt 2 due .* after DW5101 service error 503/);
  assert.is(pdEvents(c.rx).length, 2, 'pages went out while Slack was down');
  assert.is(c.rx.slack.received.length, 1, 'the second Slack message waits behind the first: one request');

  // Hours of outage: every later deliver() retries what is due; nothing is given up yet.
  for (let i = 0; i < 5; i++) {
    c.clock.advance(HOUR);
    const o = await outbox.deliver();
    assert.is(o.find((x) => x.channel === 'security')?.status, 'pending');
  }
  const waiting = await outbox.list({ statuses: ['failed', 'pending'] });
  assert.equal(waiting.map((m) => [m.status, m.attempts]), [['failed', 6], ['pending', 0]]);

  c.rx.slack.reset();
  c.clock.advance(HOUR);
  const later = await outbox.deliver();
  assert.equal(later, [{ channel: 'security', status: 'delivered', detail: '2 delivered' }]);
  const texts = c.rx.slack.accepted.map((m) => JSON.stringify(m));
  assert.is(texts.length, 2);
  assert.ok(texts[0]!.includes('Setting 1 changed') && texts[1]!.includes('Setting 2 changed'), 'delivered in sequence order');
});

t('backoff grows with jitter, Retry-After is never undercut', () => {
  const r = seeded(1);
  const delays = [1, 2, 3, 4, 5, 10, 20].map((a) => retryDelayMs(DEFAULT_RETRY, a, undefined, r));
  delays.forEach((d, i) => {
    const exp = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** ([1, 2, 3, 4, 5, 10, 20][i]! - 1));
    assert.ok(d >= exp / 2 && d <= exp, `attempt delay ${d} within [${exp / 2}, ${exp}]`);
  });
  assert.ok(new Set(delays.slice(-2)).size === 2, 'jitter: capped delays still differ');
  assert.ok(retryDelayMs(DEFAULT_RETRY, 1, 120_000, r) >= 120_000);
});

t('permanent 4xx: dead at once, reported, and announced on the other channels', async (c) => {
  const outbox = make(c);
  c.rx.slack.fail({ status: 404, body: 'no_service' });
  await commitRun(c.store, outbox, [finding(1, 'critical')]);
  const outcomes = await outbox.deliver();
  const slack = outcomes.find((o) => o.channel === 'security')!;
  assert.is(slack.status, 'dead');
  assert.match(slack.detail!, /1 dead \(DW5103 rejected with 404: no_service\)/);
  assert.is(c.rx.slack.received.length, 1, 'a permanent failure is not retried');
  const [dead] = await outbox.list({ statuses: ['dead'] });
  assert.equal([dead!.channel, dead!.attempts], ['security', 1]);
  // The announcement reached every other channel.
  assert.ok(JSON.stringify(c.rx.teams.accepted).includes('Alerts to channel \\"security\\" are not being delivered'));
  assert.ok(mails(c.rx).some((m) => m.parsed.subject.includes('Alerts to channel "security" are not being delivered')));
  const notice = pdEvents(c.rx).find((e) => e.dedup_key.startsWith('dw-channel-'));
  assert.ok(notice, 'PagerDuty got the announcement');
  assert.equal(outcomes.filter((o) => o.channel !== 'security').map((o) => o.detail), ['2 delivered', '2 delivered', '2 delivered']);

  // Fixed: `outbox --retry` puts it back in line.
  c.rx.slack.reset();
  assert.is(await outbox.retryDead(), 1);
  assert.equal(await outbox.deliver(), [{ channel: 'security', status: 'delivered', detail: '1 delivered' }]);
  assert.is(c.rx.slack.accepted.length, 1);
});

t('attempts exhausted: dead after maxAttempts retryable failures', async (c) => {
  const outbox = make(c, ['security', 'it'], { retry: { maxAttempts: 3, baseDelayMs: 1000, maxInlineWaitMs: 5000 } });
  c.rx.teams.fail({ status: 500 });
  await commitRun(c.store, outbox, [finding(1, 'medium')]);
  const outcomes = await outbox.deliver();
  assert.equal(outcomes.map((o) => [o.channel, o.status]), [['it', 'dead'], ['security', 'delivered']]);
  assert.match(outcomes[0]!.detail!, /DW5303 gave up after 3 attempts; last: DW5101 service error 500/);
  assert.is(c.rx.teams.received.length, 3);
  assert.is(c.rx.slack.accepted.length, 2, 'the digest and the announcement');
});

t('a channel removed from routes.yaml: its pending messages are dead, not stuck', async (c) => {
  const before = make(c, ['security', 'it']);
  await commitRun(c.store, before, [finding(1, 'medium')]);
  const after = make(c, ['security']);
  const outcomes = await after.deliver();
  assert.equal(outcomes.map((o) => [o.channel, o.status]), [['it', 'dead'], ['security', 'delivered']]);
  assert.match(outcomes[0]!.detail!, /DW5301 channel "it" is not in routes.yaml any more/);
});

t('a multi-part digest resumes after the parts already acknowledged', async (c) => {
  const outbox = make(c, ['security']);
  const many = Array.from({ length: 100 }, (_, i) => finding(i + 1, 'medium'));
  c.rx.slack.fail({ status: 503, skip: 1, times: 1 });
  await commitRun(c.store, outbox, many);
  const first = await outbox.deliver();
  assert.is(first[0]!.status, 'pending');
  const [row] = await outbox.list();
  assert.equal(row!.partsDelivered, [0], 'part 0 recorded as acknowledged');
  c.clock.advance(HOUR);
  await outbox.deliver();
  assert.is(c.rx.slack.accepted.length, 3, 'three parts, each once');
  assert.equal(c.rx.slack.received.map((r) => [r.status, r.headers['idempotency-key']?.split('#')[1]]), [['200', '0'], ['503', '1'], ['200', '1'], ['200', '2']].map(([s, p]) => [Number(s), p]));
  assert.not.ok(c.rx.slack.received.some((r) => r.duplicate), 'part 0 was not sent again');
});

t('a receiver that drops the connection is retried like a 5xx', async (c) => {
  const outbox = make(c, ['oncall'], { retry: { baseDelayMs: 100 } });
  c.rx.pagerduty.fail({ reset: true, times: 2 });
  await commitRun(c.store, outbox, [finding(1, 'critical')]);
  const outcomes = await outbox.deliver();
  assert.equal(outcomes, [{ channel: 'oncall', status: 'delivered', detail: '1 delivered' }]);
  assert.is(pdEvents(c.rx).length, 1);
  assert.is((await outbox.list())[0]!.attempts, 3);
});

t('two senders at once: every message is sent by exactly one of them', async (c) => {
  const a = make(c), b = make(c);
  await commitRun(c.store, a, [finding(1, 'critical'), finding(2, 'high'), finding(3, 'low')]);
  await commitRun(c.store, a, [finding(4, 'critical')]);
  await Promise.all([a.deliver(), b.deliver(), a.deliver()]);
  assert.is(c.rx.slack.accepted.length, 2);
  assert.is(c.rx.teams.accepted.length, 2);
  assert.is(mails(c.rx).length, 2);
  assert.equal(pdEvents(c.rx).map((e) => e.dedup_key).sort(), ['dw-f0001', 'dw-f0002', 'dw-f0004']);
  assert.not.ok([c.rx.slack, c.rx.teams, c.rx.pagerduty].some((r) => r.received.some((q) => q.duplicate)), 'no message was even attempted twice');
  assert.ok((await a.list()).every((m) => m.status === 'delivered' && m.attempts === 1));
});

t('a message left "delivering": re-sent when its sender is dead, left alone while it lives', async (c) => {
  const outbox = make(c, ['security']);
  await commitRun(c.store, outbox, [finding(1, 'medium')]);
  const host = hostname().replace(/\|/g, '_');
  const leave = (claim: string) => c.store.execute(`UPDATE outbox_messages SET status = 'delivering', attempts = 1, claim = ?, lease_until = ?`, [claim, new Date(c.clock.now().getTime() + HOUR).toISOString()]);
  await leave(`${host}|1|live`); // pid 1 is alive
  const held = await outbox.deliver();
  assert.equal(held, [{ channel: 'security', status: 'pending', detail: '1 waiting (being sent by another process)' }]);
  await leave(`elsewhere.example|4242|x`); // another host: its lease is trusted
  assert.is((await outbox.deliver())[0]!.status, 'pending');
  c.clock.advance(2 * HOUR); // lease over
  assert.is((await outbox.deliver())[0]!.status, 'delivered');
  assert.is(c.rx.slack.accepted.length, 1);
  c.rx.slack.reset();
  await commitRun(c.store, outbox, [finding(2, 'medium')]);
  await c.store.execute(`UPDATE outbox_messages SET status = 'delivering', attempts = 1, claim = ?, lease_until = ? WHERE status = 'pending'`, [`${host}|${process.pid}|crashed-instance`, new Date(c.clock.now().getTime() + HOUR).toISOString()]);
  assert.is((await outbox.deliver())[0]!.status, 'delivered', 'an instance of this process that is not delivering any more has crashed');
});

t.run();
