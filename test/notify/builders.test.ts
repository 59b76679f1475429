// Pure message builders: limits hold for worst-case (escape-heavy, huge) content, checked with the
// same validators the receivers use.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSlackMessages, clipEscaped, escapeMrkdwn } from '../../src/notify/slack.ts';
import { buildTeamsMessages, escapeCardMarkdown } from '../../src/notify/teams.ts';
import { triggerEvent, resolveEvent, PAGERDUTY_SEVERITY } from '../../src/notify/pagerduty.ts';
import { buildEmailMessages, escapeHtml, headerSafe } from '../../src/notify/email.ts';
import { validateSlackPayload } from '../../src/receivers/slack.ts';
import { validateTeamsPayload } from '../../src/receivers/teams.ts';
import { validatePagerDutyEvent } from '../../src/receivers/pagerduty.ts';
import { ctx, makeFinding, ROUTING_KEY } from './helpers.ts';

const ampHeavy = (i: number) => makeFinding(i, { title: '&<>'.repeat(1000), message: '<&>'.repeat(1000), old: '&'.repeat(1500), new: '>'.repeat(1500) });

test('slack: escape-heavy findings stay within 3000 chars per section and validate', () => {
  const msgs = buildSlackMessages(Array.from({ length: 120 }, (_, i) => ampHeavy(i)), ctx());
  assert.is(msgs.length, 3);
  for (const m of msgs) {
    assert.is(validateSlackPayload(JSON.stringify(m), 'application/json'), undefined);
    for (const b of m.blocks as { type: string; text?: { text: string } }[]) {
      if (b.type === 'section') assert.not.match(b.text!.text, /&(?:a|am|amp|l|lt|g|gt)?…/, 'no half entity at the cut');
    }
  }
});

test('slack: escaping covers the three control characters and nothing else', () => {
  assert.is(escapeMrkdwn('<!channel> & <@U1|x>'), '&lt;!channel&gt; &amp; &lt;@U1|x&gt;');
  assert.is(clipEscaped('abc&amp;def', 5), 'abc…');
});

test('teams: worst-case findings fit under 28 KB per message and validate', () => {
  const msgs = buildTeamsMessages(Array.from({ length: 80 }, (_, i) => ampHeavy(i)), ctx());
  assert.ok(msgs.length > 1);
  for (const m of msgs) {
    const body = JSON.stringify(m.message);
    assert.ok(Buffer.byteLength(body) <= 28 * 1024, `${Buffer.byteLength(body)} bytes`);
    assert.is(validateTeamsPayload(body), undefined);
  }
  assert.is(msgs.reduce((n, m) => n + m.findings.length, 0), 80);
  assert.is(escapeCardMarkdown('[a](b) *c* <d>'), '\\[a\\](b) \\*c\\* \\<d\\>');
});

test('pagerduty: event shape, severity mapping, summary cap', () => {
  const e = triggerEvent(makeFinding(0, { title: 'z'.repeat(5000) }), ctx(), new Date('2026-01-01T00:00:00Z'));
  const problems = validatePagerDutyEvent(JSON.stringify({ routing_key: ROUTING_KEY, ...e }));
  assert.equal(problems.errors, []);
  assert.ok((e.payload!.summary as string).length <= 1024);
  assert.is(e.dedup_key, 'fnd-0000');
  assert.equal(PAGERDUTY_SEVERITY, { critical: 'critical', high: 'error', medium: 'warning', low: 'info', info: 'info' });
  assert.equal(resolveEvent(e.dedup_key as never), { event_action: 'resolve', dedup_key: 'fnd-0000' });
});

test('email: header values are single-line, HTML escaped, split at 50 findings', () => {
  assert.is(headerSafe('a\r\nBcc: x@y\n\tz'), 'a Bcc: x@y z');
  assert.is(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const msgs = buildEmailMessages(Array.from({ length: 120 }, (_, i) => makeFinding(i)), ctx('run:mail'));
  assert.equal(msgs.map((m) => m.findings.length), [50, 50, 20]);
  assert.equal(msgs.map((m) => m.messageId), ['<dw.run-mail.1@driftwarden.invalid>', '<dw.run-mail.2@driftwarden.invalid>', '<dw.run-mail.3@driftwarden.invalid>']);
  assert.ok(msgs.every((m) => !/[\r\n]/.test(m.subject) && m.subject.length <= 200));
});

test.run();
