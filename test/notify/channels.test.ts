// Each channel delivers one digest to its local receiver, and the receiver's validation passes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import { createSlackNotifier, SLACK_LIMITS } from '../../src/notify/slack.ts';
import { createTeamsNotifier } from '../../src/notify/teams.ts';
import { createPagerDutyNotifier } from '../../src/notify/pagerduty.ts';
import { createEmailNotifier } from '../../src/notify/email.ts';
import type { Notifier } from '../../src/notify/notifier.ts';
import { ctx, emailChannel, makeFinding, pagerdutyChannel, ROUTING_KEY, slackChannel, teamsChannel } from './helpers.ts';

const t = suite<{ rx: Receivers; notifiers: Notifier[] }>('channels', { rx: undefined as never, notifiers: [] });
t.before(async (c) => { c.rx = await startReceivers(); });
t.after(async (c) => { await Promise.all(c.notifiers.map((n) => n.close?.())); await c.rx.close(); });
t.before.each((c) => { c.rx.slack.reset(); c.rx.teams.reset(); c.rx.pagerduty.reset(); c.rx.smtp.reset(); });
const keep = <N extends Notifier>(c: { notifiers: Notifier[] }, n: N): N => { c.notifiers.push(n); return n; };

t('slack: one digest message, accepted with 200 ok', async (c) => {
  const n = keep(c, createSlackNotifier(slackChannel(c.rx)));
  const batch = [1, 2, 3].map((i) => makeFinding(i));
  const receipt = await n.send(batch, ctx());
  assert.is(receipt.status, 'delivered');
  assert.is(c.rx.slack.received.length, 1);
  assert.is(c.rx.slack.received[0]!.status, 200);
  assert.is(c.rx.slack.received[0]!.response, 'ok');
  const msg = c.rx.slack.accepted[0] as { text: string; blocks: { type: string }[] };
  assert.match(msg.text, /3 findings/);
  assert.is(msg.blocks.filter((b) => b.type === 'section').length, 3);
  assert.equal(receipt.parts[0]!.findingIds, ['fnd-0001', 'fnd-0002', 'fnd-0003'], 'most severe first (high, medium, low)');
});

t('slack: more findings than 50 blocks allow are split over several messages, all accepted', async (c) => {
  const n = keep(c, createSlackNotifier(slackChannel(c.rx)));
  const batch = Array.from({ length: 100 }, (_, i) => makeFinding(i));
  const receipt = await n.send(batch, ctx());
  assert.is(receipt.status, 'delivered');
  assert.is(receipt.parts.length, 3);
  assert.is(c.rx.slack.accepted.length, 3, 'receiver accepted every part');
  for (const m of c.rx.slack.accepted as { blocks: unknown[]; text: string }[]) {
    assert.ok(m.blocks.length <= 50);
    assert.match(m.text, /part \d\/3/);
  }
  const ids = receipt.parts.flatMap((p) => p.findingIds);
  assert.is(new Set(ids).size, 100, 'every finding in exactly one part');
  assert.is(receipt.parts[0]!.findingIds.length, SLACK_LIMITS.findingsPerMessage);
});

t('teams: Adaptive Card 1.4 digest, 202', async (c) => {
  const n = keep(c, createTeamsNotifier(teamsChannel(c.rx)));
  const receipt = await n.send([1, 2].map((i) => makeFinding(i)), ctx());
  assert.is(receipt.status, 'delivered');
  assert.is(c.rx.teams.received[0]!.status, 202);
  const msg = c.rx.teams.accepted[0] as { attachments: { content: { version: string; body: unknown[] } }[] };
  assert.is(msg.attachments[0]!.content.version, '1.4');
  assert.is(msg.attachments[0]!.content.body.length, 4);
});

t('teams: a large digest is split under 28 KB per message', async (c) => {
  const n = keep(c, createTeamsNotifier(teamsChannel(c.rx)));
  const batch = Array.from({ length: 60 }, (_, i) => makeFinding(i, { message: `long note ${'lorem ipsum '.repeat(60)}` }));
  const receipt = await n.send(batch, ctx());
  assert.is(receipt.status, 'delivered');
  assert.ok(receipt.parts.length > 1, `parts: ${receipt.parts.length}`);
  assert.is(c.rx.teams.accepted.length, receipt.parts.length);
  for (const r of c.rx.teams.received) assert.ok(Buffer.byteLength(r.body) <= 28 * 1024);
});

t('pagerduty: one event per finding, dedup_key = finding id, severity mapped, then resolve', async (c) => {
  const n = keep(c, createPagerDutyNotifier(pagerdutyChannel(c.rx)));
  const batch = [0, 1, 2, 3, 4].map((i) => makeFinding(i)); // critical, high, medium, low, info
  const receipt = await n.send(batch, ctx());
  assert.is(receipt.status, 'delivered');
  assert.is(c.rx.pagerduty.accepted.length, 5);
  const sev = new Map((c.rx.pagerduty.accepted as { dedup_key: string; payload: { severity: string }; routing_key: string }[]).map((e) => [e.dedup_key, e.payload.severity]));
  assert.equal(Object.fromEntries(sev), { 'fnd-0000': 'critical', 'fnd-0001': 'error', 'fnd-0002': 'warning', 'fnd-0003': 'info', 'fnd-0004': 'info' });
  assert.is((c.rx.pagerduty.accepted[0] as { routing_key: string }).routing_key, ROUTING_KEY);
  // A second run folds into the same incidents.
  await n.send([batch[0]!], ctx('run-0002:oncall'));
  assert.is(c.rx.pagerduty.incidents.get('fnd-0000')?.triggers, 2);
  assert.is(c.rx.pagerduty.incidents.size, 5);
  const resolved = await (n as ReturnType<typeof createPagerDutyNotifier>).resolve([batch[0]!.id, batch[1]!.id], ctx('run-0003:oncall'));
  assert.is(resolved.status, 'delivered');
  assert.is(c.rx.pagerduty.incidents.get('fnd-0000')?.status, 'resolved');
  assert.is(c.rx.pagerduty.incidents.get('fnd-0001')?.status, 'resolved');
  assert.is(c.rx.pagerduty.incidents.get('fnd-0002')?.status, 'triggered');
  assert.equal(resolved.parts.map((p) => p.remoteId), ['fnd-0000', 'fnd-0001']);
});

t('email: text + html alternatives, threading headers, envelope', async (c) => {
  const n = keep(c, createEmailNotifier(emailChannel(c.rx)));
  const batch = [1, 2].map((i) => makeFinding(i));
  const receipt = await n.send(batch, ctx('run-0001:compliance-mail'));
  assert.is(receipt.status, 'delivered');
  assert.is(c.rx.smtp.received.length, 1);
  const mail = c.rx.smtp.received[0]!;
  assert.is(mail.envelope.mailFrom, 'driftwarden@acme.example');
  assert.equal(mail.envelope.rcptTo, ['compliance@acme.example', 'ciso@acme.example']);
  assert.is(mail.parsed.header('message-id'), '<dw.run-0001-compliance-mail.1@driftwarden.invalid>');
  assert.is(mail.parsed.header('x-driftwarden-finding'), 'fnd-0001, fnd-0002');
  assert.match(mail.parsed.header('references') ?? '', /<finding\.fnd-0001@driftwarden\.invalid>\s+<finding\.fnd-0002@driftwarden\.invalid>/);
  assert.match(mail.parsed.header('content-type') ?? '', /^multipart\/alternative/);
  assert.match(mail.parsed.text ?? '', /\[HIGH\] Domain allow-list entry 1 changed/);
  assert.match(mail.parsed.html ?? '', /<h3>HIGH · Domain allow-list entry 1 changed<\/h3>/);
  assert.match(mail.parsed.subject, /^\[driftwarden\] acme-prod: high Domain allow-list entry 1 changed \(\+1 more\)$/);
});

t('an empty batch sends nothing', async (c) => {
  const n = keep(c, createSlackNotifier(slackChannel(c.rx)));
  const receipt = await n.send([], ctx());
  assert.is(receipt.status, 'empty');
  assert.is(c.rx.slack.received.length, 0);
});

t.run();
