// Hostile values (mention/link injection, HTML, CRLF header injection, 100 KB strings, deep
// nesting, a planted secret) go through redaction and every channel: they arrive escaped and
// truncated, no receiver rejects the payload, and the secret never arrives anywhere.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceivers, type Receivers } from '../../src/receivers/index.ts';
import { createSlackNotifier } from '../../src/notify/slack.ts';
import { createTeamsNotifier } from '../../src/notify/teams.ts';
import { createPagerDutyNotifier } from '../../src/notify/pagerduty.ts';
import { createEmailNotifier } from '../../src/notify/email.ts';
import type { Notifier } from '../../src/notify/notifier.ts';
import type { Json } from '../../src/model/findings.ts';
import { ctx, emailChannel, makeFinding, pagerdutyChannel, SLACK_CONTROL, slackChannel, teamsChannel } from './helpers.ts';
import { canary, seeded } from '../redact/fixtures.ts';

const CANARY = canary(seeded(7));
const HOSTILE_TITLE = `<!channel> <@U024BE7LH> <https://evil.example|click here> <script>alert(1)</script> & [x](https://evil.example) \`code\`\r\nBcc: attacker@evil.example\r\nX-Injected: yes`;

function deep(n: number): Json {
  let v: Json = `bottom ${CANARY}`;
  for (let i = 0; i < n; i++) v = { level: i, next: v };
  return v;
}

const hostile = [
  makeFinding(0, { title: HOSTILE_TITLE, message: `<!here> ${'A'.repeat(100_000)}`, old: 'x'.repeat(100_000), new: deep(200), sensitivity: 'internal' }),
  makeFinding(1, { title: `client secret ${CANARY} rotated <!everyone>`, sensitivity: 'secret', old: CANARY, new: `${CANARY}-2` }),
  makeFinding(2, { title: 'y'.repeat(100_000), pathText: `entities[id=${'<!channel>'.repeat(50)}].name`, old: { note: `see <mailto:a@b.c|me> ${CANARY}` } }),
];

type Ctx = { rx: Receivers; notifiers: Notifier[] };
const t = suite<Ctx>('hostile values', { rx: undefined as never, notifiers: [] });
t.before(async (c) => {
  c.rx = await startReceivers();
  c.notifiers = [createSlackNotifier(slackChannel(c.rx)), createTeamsNotifier(teamsChannel(c.rx)), createPagerDutyNotifier(pagerdutyChannel(c.rx)), createEmailNotifier(emailChannel(c.rx))];
  const receipts = await Promise.all(c.notifiers.map((n) => n.send(hostile, ctx(`hostile:${n.channel}`))));
  for (const r of receipts) assert.is(r.status, 'delivered', `${r.channel}: ${r.error?.message}`);
});
t.after(async (c) => { await Promise.all(c.notifiers.map((n) => n.close?.())); await c.rx.close(); });

t('no receiver rejected anything', (c) => {
  for (const r of [c.rx.slack, c.rx.teams, c.rx.pagerduty]) for (const q of r.received) assert.ok(q.status >= 200 && q.status < 300, `${q.path} -> ${q.status} ${q.response}`);
  assert.ok(c.rx.smtp.received.every((m) => m.rejectedWith === undefined));
  assert.ok(c.rx.slack.received.length > 0 && c.rx.teams.received.length > 0 && c.rx.pagerduty.received.length === 3 && c.rx.smtp.received.length === 1);
});

t('the planted secret never reaches any receiver', (c) => {
  assert.not.ok(c.rx.allReceivedText().includes(CANARY));
});

t('slack: no control sequence can be produced by a value', (c) => {
  const strings: string[] = [];
  const collect = (v: unknown): void => { if (typeof v === 'string') strings.push(v); else if (v && typeof v === 'object') Object.values(v).forEach(collect); };
  c.rx.slack.accepted.forEach(collect);
  for (const s of strings) assert.not.ok(SLACK_CONTROL.test(s), `control sequence in: ${s.slice(0, 120)}`);
  const all = strings.join('\n');
  assert.ok(all.includes('&lt;!channel&gt;'), 'the text is still shown, escaped');
  assert.ok(all.includes('&lt;script&gt;'));
});

t('teams: markdown links and html-looking text are escaped', (c) => {
  const body = c.rx.teams.received.map((q) => q.body).join('\n');
  assert.not.ok(body.includes('[x](https://evil.example)'));
  assert.ok(body.includes('\\\\[x\\\\](https://evil.example)'), 'backslash-escaped in the JSON');
  assert.not.ok(body.includes('<script>'));
});

t('pagerduty: summaries within 1024 characters, one event per finding', (c) => {
  for (const e of c.rx.pagerduty.accepted as { payload: { summary: string } }[]) assert.ok(e.payload.summary.length <= 1024);
});

t('email: CR/LF cannot inject headers; HTML values escaped; long values truncated', (c) => {
  const mail = c.rx.smtp.received[0]!;
  const [head] = mail.raw.split(/\r?\n\r?\n/);
  assert.not.match(head!, /^(Bcc|X-Injected):/im, 'no injected header line');
  assert.is(mail.parsed.headers.get('bcc'), undefined);
  assert.not.match(mail.parsed.subject, /[\r\n]/);
  assert.ok(mail.parsed.subject.length <= 200);
  assert.not.ok((mail.parsed.html ?? '').includes('<script>'));
  assert.ok((mail.parsed.html ?? '').includes('&lt;script&gt;'));
  assert.ok(mail.raw.length < 60_000, `raw mail is ${mail.raw.length} bytes: 100 KB values must be truncated`);
  assert.equal(mail.envelope.rcptTo, ['compliance@acme.example', 'ciso@acme.example'], 'no recipient added by a value');
});

t.run();
