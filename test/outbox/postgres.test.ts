// The outbox on PostgreSQL (the same portable SQL as on SQLite): enqueue in the run's
// transaction, deliver, dedup, resolve, two senders at once. Skipped with the reason printed when
// PostgreSQL is not installed, except in CI.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { CORE_MIGRATIONS } from '../../src/store/migrations.ts';
import { OUTBOX_MIGRATIONS } from '../../src/notify/outbox/migrations.ts';
import type { Store } from '../../src/store/store.ts';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres.ts';
import { buildOutbox, commitRun, endpointsOf, fakeClock, finding, mails, pdEvents, routeTable } from './helpers.ts';

type Ctx = { pg?: PostgresServer; rx: Receivers; stores: Store[] };
const t = suite<Ctx>('outbox on PostgreSQL', { stores: [] } as unknown as Ctx);
const unavailable = postgresUnavailable();

if (unavailable && !process.env.CI) {
  console.warn(`\n!!! SKIPPING the outbox PostgreSQL tests: ${unavailable}\n`);
} else {
  t.before(async (c) => { c.pg = await startPostgres(); c.rx = await startReceivers(); c.stores = []; });
  t.after(async (c) => {
    for (const s of c.stores) await s.close().catch(() => undefined);
    await c.rx?.close();
    await c.pg?.stop();
  });
  const open = async (c: Ctx) => {
    const s = await openPostgresStore(await c.pg!.createDatabase(), { migrations: [...CORE_MIGRATIONS, ...OUTBOX_MIGRATIONS] });
    c.stores.push(s);
    await s.migrate();
    return s;
  };
  const reset = (rx: Receivers) => { rx.slack.reset(); rx.teams.reset(); rx.pagerduty.reset(); rx.smtp.reset(); };

  t('enqueue, deliver, dedup on the next run, resolve', async (c) => {
    reset(c.rx);
    const store = await open(c);
    const clock = fakeClock();
    const outbox = buildOutbox(store, routeTable(endpointsOf(c.rx)), { now: clock.now, sleep: clock.sleep });
    try {
      assert.is((await commitRun(store, outbox, [finding(1, 'critical'), finding(2, 'medium')])).enqueued, 4);
      const outcomes = await outbox.deliver();
      assert.ok(outcomes.every((o) => o.status === 'delivered'), JSON.stringify(outcomes));
      assert.equal([c.rx.slack.accepted.length, c.rx.teams.accepted.length, mails(c.rx).length], [1, 1, 1]);
      assert.is((await commitRun(store, outbox, [finding(1, 'critical'), finding(2, 'medium')])).enqueued, 0, 'dedup');
      // A PagerDuty resolve, and the digest channels that heard of it are told it resolved.
      assert.is((await commitRun(store, outbox, [finding(2, 'medium')], [finding(1, 'critical', { state: 'resolved' })])).enqueued, 4);
      await outbox.deliver();
      assert.equal(pdEvents(c.rx).map((e) => [e.event_action, e.dedup_key]), [['trigger', 'dw-f0001'], ['resolve', 'dw-f0001']]);
      assert.ok((await outbox.list()).every((m) => m.status === 'delivered' && m.attempts === 1));
    } finally { await outbox.close(); }
  });

  t('a permanent failure is dead and announced; two senders never send one message twice', async (c) => {
    reset(c.rx);
    const store = await open(c);
    const a = buildOutbox(store, routeTable(endpointsOf(c.rx)));
    const b = buildOutbox(store, routeTable(endpointsOf(c.rx)));
    try {
      c.rx.teams.fail({ status: 400, body: 'bad card' });
      await commitRun(store, a, [finding(1, 'critical'), finding(2, 'low')]);
      await commitRun(store, a, [finding(3, 'high')]);
      const [oa, ob] = await Promise.all([a.deliver(), b.deliver()]);
      const it = [...oa, ...ob].filter((o) => o.channel === 'it');
      assert.ok(it.some((o) => o.status === 'dead'), JSON.stringify([oa, ob]));
      assert.is(c.rx.slack.accepted.length, 3, 'two digests and the announcement');
      assert.equal(pdEvents(c.rx).map((e) => e.dedup_key).filter((k) => !k.startsWith('dw-channel-')).sort(), ['dw-f0001', 'dw-f0003']);
      assert.not.ok([c.rx.slack, c.rx.pagerduty].some((r) => r.received.some((q) => q.duplicate)));
    } finally { await a.close(); await b.close(); }
  });
}

t.run();
