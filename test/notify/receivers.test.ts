// The receivers reject what the real services reject — otherwise "the receiver accepted it" would
// prove nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';

const t = suite<{ rx: Receivers }>('receivers validate like the real services', { rx: undefined as never });
t.before(async (c) => { c.rx = await startReceivers(); });
t.after(async (c) => { await c.rx.close(); });

const post = async (url: string, body: unknown, type = 'application/json') => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
};
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

t('slack', async ({ rx }) => {
  assert.equal(await post(rx.slack.url, { text: 'hi', blocks: [section('x')] }), { status: 200, text: 'ok' });
  assert.equal(await post(rx.slack.url, { blocks: [section('x')] }), { status: 400, text: 'no_text' });
  assert.equal(await post(rx.slack.url, { text: 'hi', blocks: Array.from({ length: 51 }, () => section('x')) }), { status: 400, text: 'invalid_payload' });
  assert.equal(await post(rx.slack.url, { text: 'hi', blocks: [section('x'.repeat(3001))] }), { status: 400, text: 'invalid_payload' });
  assert.equal(await post(rx.slack.url, { text: 'hi', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }), { status: 400, text: 'invalid_payload' });
  const fields = (n: number, len: number) => ({ type: 'section', fields: Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'f'.repeat(len) })) });
  assert.is((await post(rx.slack.url, { text: 'hi', blocks: [fields(11, 1)] })).status, 400);
  assert.is((await post(rx.slack.url, { text: 'hi', blocks: [fields(10, 2001)] })).status, 400);
  assert.is((await post(rx.slack.url, { text: 'hi', blocks: [fields(10, 2000)] })).status, 200);
  assert.is((await post(rx.slack.url, 'payload={}', 'application/x-www-form-urlencoded')).status, 400);
  assert.is(rx.slack.received.length, 9, 'every request kept');
});

t('teams', async ({ rx }) => {
  const card = (body: unknown[]) => ({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4', body } }] });
  assert.is((await post(rx.teams.url, card([{ type: 'TextBlock', text: 'hi' }]))).status, 202);
  assert.is((await post(rx.teams.url, { text: 'legacy connector payload' })).status, 400);
  assert.is((await post(rx.teams.url, card([{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }]))).status, 413);
  assert.is((await post(rx.teams.url, card([{ type: 'FactSet', facts: [{ title: 'a' }] }]))).status, 400);
});

t('pagerduty', async ({ rx }) => {
  const key = 'k'.repeat(32);
  const ok = await post(rx.pagerduty.url, { routing_key: key, event_action: 'trigger', dedup_key: 'd1', payload: { summary: 's', source: 'x', severity: 'error' } });
  assert.is(ok.status, 202);
  assert.equal(JSON.parse(ok.text), { status: 'success', message: 'Event processed', dedup_key: 'd1' });
  const bad = await post(rx.pagerduty.url, { routing_key: 'short', event_action: 'trigger', payload: { summary: 's'.repeat(1025), source: 'x', severity: 'high' } });
  assert.is(bad.status, 400);
  const errors = (JSON.parse(bad.text) as { errors: string[] }).errors.join(' ');
  assert.match(errors, /routing_key/);
  assert.match(errors, /summary/);
  assert.match(errors, /severity/);
  assert.is((await post(rx.pagerduty.url, { routing_key: key, event_action: 'resolve' })).status, 400, 'resolve needs dedup_key');
  assert.is((await post(rx.pagerduty.url, { routing_key: key, event_action: 'resolve', dedup_key: 'd1' })).status, 202);
  assert.is(rx.pagerduty.incidents.get('d1')?.status, 'resolved');
  assert.is((await post(rx.pagerduty.url, 'x'.repeat(513 * 1024))).status, 400);
});

t.run();
