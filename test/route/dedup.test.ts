import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideNotification, planNotifications, type NotificationRecord } from '../../src/route/dedup.ts';
import { findingId, type FindingId } from '../../src/model/ids.ts';

const HOUR = 3_600_000;
const id = findingId('f1');

test('first sighting is sent', () => {
  assert.equal(decideNotification({ id, severity: 'low' }, undefined, 0, 24 * HOUR), { action: 'send', reason: 'first-seen' });
});

test('unchanged finding is skipped until the reminder interval passes', () => {
  const prev: NotificationRecord = { severity: 'high', lastSentAt: 0 };
  assert.is(decideNotification({ id, severity: 'high' }, prev, 23 * HOUR, 24 * HOUR).action, 'skip');
  assert.is(decideNotification({ id, severity: 'high' }, prev, 24 * HOUR, 24 * HOUR).action, 'reminder');
});

test('a rise in severity is sent at once; a drop is not', () => {
  const prev: NotificationRecord = { severity: 'medium', lastSentAt: 0 };
  assert.equal(decideNotification({ id, severity: 'critical' }, prev, 1, 24 * HOUR), { action: 'send', reason: 'severity-rose' });
  assert.is(decideNotification({ id, severity: 'low' }, prev, 1, 24 * HOUR).action, 'skip');
});

test('planNotifications: what to send and the state to persist', () => {
  const a = { id: findingId('a'), severity: 'high' as const };
  const b = { id: findingId('b'), severity: 'low' as const };
  const c = { id: findingId('c'), severity: 'low' as const };
  const prev = new Map<FindingId, NotificationRecord>([[b.id, { severity: 'low', lastSentAt: 10 }], [c.id, { severity: 'low', lastSentAt: 0 }]]);
  const plan = planNotifications([a, b, c], prev, 100, 95);
  assert.equal(plan.toSend.map((x) => x.id), ['a', 'c']);
  assert.equal(plan.nextState.get(a.id), { severity: 'high', lastSentAt: 100 });
  assert.equal(plan.nextState.get(b.id), { severity: 'low', lastSentAt: 10 });
  assert.equal(plan.decisions.get(c.id)?.reason, 'reminder-due');
  assert.is(prev.get(c.id)?.lastSentAt, 0, 'input state untouched');
});

test.run();
