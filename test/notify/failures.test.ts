// Failures come back as values in the receipt, classified for the outbox: retryable (429 with
// Retry-After, 5xx, network, SMTP 4xx) or permanent (4xx, SMTP 5xx, leak guard).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import { createSlackNotifier } from '../../src/notify/slack.ts';
import { createTeamsNotifier } from '../../src/notify/teams.ts';
import { createPagerDutyNotifier } from '../../src/notify/pagerduty.ts';
import { createEmailNotifier } from '../../src/notify/email.ts';
import { parseRetryAfter } from '../../src/notify/http.ts';
import type { Notifier } from '../../src/notify/notifier.ts';
import { markRedacted } from '../../src/redact/redacted.ts';
import { SecretString } from '../../src/redact/secret-string.ts';
import { ctx, emailChannel, makeFinding, pagerdutyChannel, slackChannel, teamsChannel } from './helpers.ts';

type Ctx = { rx: Receivers; notifiers: Notifier[] };
const t = suite<Ctx>('delivery failures', { rx: undefined as never, notifiers: [] });
t.before(async (c) => { c.rx = await startReceivers(); });
t.after(async (c) => { await Promise.all(c.notifiers.map((n) => n.close?.())); await c.rx.close(); });
t.before.each((c) => { c.rx.slack.reset(); c.rx.teams.reset(); c.rx.pagerduty.reset(); c.rx.smtp.reset(); });
const keep = <N extends Notifier>(c: Ctx, n: N): N => { c.notifiers.push(n); return n; };
const batch = (n: number) => Array.from({ length: n }, (_, i) => makeFinding(i));

t('429 with Retry-After is retryable and says how long to wait', async (c) => {
  c.rx.slack.fail({ status: 429, retryAfter: '7', body: 'rate_limited' });
  const r = await keep(c, createSlackNotifier(slackChannel(c.rx))).send(batch(2), ctx());
  assert.is(r.status, 'failed');
  assert.is(r.retryable, true);
  assert.equal({ code: r.error?.code, status: r.error?.httpStatus, wait: r.error?.retryAfterMs }, { code: 'DW5100', status: 429, wait: 7000 });
});

t('5xx is retryable; later parts are not attempted and stay retryable', async (c) => {
  c.rx.slack.fail({ status: 503, skip: 1 });
  const r = await keep(c, createSlackNotifier(slackChannel(c.rx))).send(batch(100), ctx());
  assert.is(r.status, 'partial');
  assert.equal(r.parts.map((p) => p.status), ['delivered', 'failed', 'not-attempted']);
  assert.is(r.parts[1]!.error?.code, 'DW5101');
  assert.is(r.retryable, true);
  assert.is(c.rx.slack.received.length, 2, 'the third message was never sent');
});

t('a revoked webhook (404 no_service) is permanent', async (c) => {
  c.rx.teams.fail({ status: 404, body: 'no_service' });
  const r = await keep(c, createTeamsNotifier(teamsChannel(c.rx))).send(batch(1), ctx());
  assert.is(r.retryable, false);
  assert.is(r.error?.code, 'DW5103');
  assert.match(r.error?.message ?? '', /404: no_service/);
});

t('a connection reset is a retryable network error', async (c) => {
  c.rx.pagerduty.fail({ reset: true, times: 1 });
  const r = await keep(c, createPagerDutyNotifier(pagerdutyChannel(c.rx))).send(batch(2), ctx());
  assert.is(r.parts[0]!.status, 'failed');
  assert.is(r.parts[0]!.error?.code, 'DW5102');
  assert.is(r.parts[1]!.status, 'not-attempted');
  assert.is(r.retryable, true);
});

t('N failures then success: a retry of the same delivery goes through', async (c) => {
  c.rx.pagerduty.fail({ status: 500, times: 2 });
  const n = keep(c, createPagerDutyNotifier(pagerdutyChannel(c.rx)));
  const first = await n.send(batch(1), ctx());
  const second = await n.send(batch(1), ctx());
  const third = await n.send(batch(1), ctx());
  assert.equal([first.status, second.status, third.status], ['failed', 'failed', 'delivered']);
  assert.is(c.rx.pagerduty.incidents.size, 1);
});

t('pagerduty 400 from the receiver is permanent and carries the reason', async (c) => {
  const bad = { ...pagerdutyChannel(c.rx), routingKey: new SecretString('too-short', 'pd key') };
  const r = await keep(c, createPagerDutyNotifier(bad)).send(batch(1), ctx());
  assert.is(r.retryable, false);
  assert.is(r.error?.httpStatus, 400);
  assert.match(r.error?.message ?? '', /routing_key/);
});

t('SMTP 4xx is retryable, 5xx permanent (the reverse of HTTP intuition)', async (c) => {
  const n = keep(c, createEmailNotifier(emailChannel(c.rx)));
  c.rx.smtp.fail({ code: 451, message: 'try again later', times: 1 });
  const soft = await n.send(batch(1), ctx());
  assert.equal({ code: soft.error?.code, retry: soft.retryable, smtp: soft.error?.smtpCode }, { code: 'DW5105', retry: true, smtp: 451 });
  c.rx.smtp.fail({ code: 550, message: 'mailbox unavailable', times: 1 });
  const hard = await n.send(batch(1), ctx());
  assert.equal({ code: hard.error?.code, retry: hard.retryable }, { code: 'DW5106', retry: false });
  const ok = await n.send(batch(1), ctx());
  assert.is(ok.status, 'delivered');
});

t('SMTP server down is a retryable network error', async (c) => {
  const down = { ...emailChannel(c.rx), smtp: { ...emailChannel(c.rx).smtp, port: 1 } };
  const r = await keep(c, createEmailNotifier(down, { timeoutMs: 2000 })).send(batch(1), ctx());
  assert.is(r.error?.code, 'DW5102');
  assert.is(r.retryable, true);
});

t('leak guard: a body containing a known secret is never sent', async (c) => {
  const secret = new SecretString('genesys-client-secret-value-0001', 'genesys client secret');
  // Simulates a redaction bug: a finding branded without going through redactFinding.
  const leaky = markRedacted({ ...makeFinding(1), title: 'oops genesys-client-secret-value-0001' });
  const r = await keep(c, createSlackNotifier(slackChannel(c.rx), { knownSecrets: [secret] })).send([leaky], ctx());
  assert.is(r.error?.code, 'DW5104');
  assert.is(r.retryable, false);
  assert.is(c.rx.slack.received.length, 0);
  const pd = await keep(c, createPagerDutyNotifier(pagerdutyChannel(c.rx), { knownSecrets: [secret] })).send([leaky], ctx());
  assert.is(pd.error?.code, 'DW5104');
  assert.is(c.rx.pagerduty.received.length, 0);
});

t('Retry-After as seconds or HTTP date', () => {
  assert.is(parseRetryAfter('30'), 30_000);
  assert.is(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
  assert.is(parseRetryAfter('soon'), undefined);
  assert.is(parseRetryAfter(null), undefined);
});

t.run();
