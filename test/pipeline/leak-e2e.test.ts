// Nothing secret leaves, and hostile values cannot break or abuse a channel: a full check with
// routing to all four local receivers, after admin changes that carry canaries and hostile text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { adminSession, applyDemoDrift } from '../../src/simulator/admin.ts';
import { startReceivers, LOCAL_ROUTING_KEY, type Receivers } from '../../src/receivers/index.ts';
import { makeWorkspace, type Workspace } from '../helpers/workspace.ts';

type Ctx = { sim: Simulator; rx: Receivers; ws: Workspace };
const leak = suite<Ctx>('no secret leaves');

const HOSTILE_NAME = '<!channel> <@U12345> <https://evil.example|click> <script>alert(1)</script> & co\r\nBcc: victim@evil.example';

leak.before(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 21 });
  ctx.rx = await startReceivers();
  ctx.ws = makeWorkspace(ctx.sim, { policies: [join(process.cwd(), 'policies')], extraConfig: 'routes: routes.yaml' });
  writeFileSync(join(ctx.ws.dir, 'routes.yaml'), [
    'channels:',
    `  pd: { type: pagerduty, url: ${JSON.stringify(ctx.rx.pagerduty.url)}, routingKey: ${LOCAL_ROUTING_KEY} }`,
    `  slack: { type: slack, url: ${JSON.stringify(ctx.rx.slack.url)} }`,
    `  teams: { type: teams, url: ${JSON.stringify(ctx.rx.teams.url)} }`,
    `  mail: { type: email, from: dw@acme.example, to: [sec@acme.example], smtp: { host: ${ctx.rx.smtp.host}, port: ${ctx.rx.smtp.port}, secure: false, requireTLS: false } }`,
    'routes:',
    '  - { match: { severityAtLeast: high }, channels: [pd], continue: true }',
    'default: { channels: [slack, teams, mail] }',
  ].join('\n'));
  const cap = await ctx.ws.run(['baseline', 'capture']);
  assert.is(cap.code, 0, cap.stderr);

  const admin = adminSession(ctx.sim);
  await applyDemoDrift(admin); // includes a new OAuth client, whose secret the simulator adds to its canaries
  // Free text that carries a canary changes: the canary is in old and new of the drift.
  const roles = await admin.request<{ entities: { id: string; description?: string; name: string }[] }>('GET', '/api/v2/authorization/roles?pageSize=100&userCount=false');
  const vendor = roles.entities.find((r) => (r.description ?? '').includes('CANARY-'))!;
  assert.ok(vendor, 'the simulator plants a canary in a role description');
  const { version: _v, ...role } = vendor as Record<string, unknown>;
  await admin.request('PUT', `/api/v2/authorization/roles/${vendor.id}`, { ...role, description: `${vendor.description} (reviewed)` });
  // Hostile values: control sequences, markup, CRLF header injection, a 100 KB string, deep nesting.
  const { version: _w, ...org } = await admin.request<Record<string, unknown>>('GET', '/api/v2/organizations/me');
  let deep: unknown = { leaf: '<!here>' };
  for (let i = 0; i < 60; i++) deep = { n: deep };
  await admin.request('PUT', '/api/v2/organizations/me', { ...org, name: HOSTILE_NAME, supportURI: 'x'.repeat(100_000), thirdPartyURI: deep });
});
leak.after(async (ctx) => {
  ctx.ws.close();
  await ctx.rx.close();
  await ctx.sim.close();
});

const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? (n === '.git' ? [] : filesUnder(p)) : [p];
});

leak('a check delivers to every channel, none rejects a payload, and no canary appears anywhere it wrote or sent', async ({ sim, rx, ws }) => {
  const r = await ws.run(['check', '--json']);
  assert.is(r.code, 1, r.stderr);
  // The canary-bearing values really were in play: drift on the role description, a new client's secret.
  const findings = (JSON.parse(r.stdout) as { runs: { findings: { surface: string; pathText: string }[] }[] }).runs[0]!.findings;
  assert.ok(findings.some((f) => f.surface === 'roles' && f.pathText.endsWith('.description')), 'role description drift found');
  assert.ok(findings.some((f) => f.surface === 'oauth-clients'), 'new OAuth client found');
  const baselines = filesUnder(join(ws.dir, 'baselines')).map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.ok(sim.canaries.some((c) => baselines.includes(c)), 'free-text canaries are part of the approved configuration');
  assert.ok(rx.slack.accepted.length > 0 && rx.teams.accepted.length > 0 && rx.pagerduty.accepted.length > 0 && rx.smtp.received.length > 0,
    `deliveries: slack ${rx.slack.accepted.length}, teams ${rx.teams.accepted.length}, pd ${rx.pagerduty.accepted.length}, mail ${rx.smtp.received.length}`);
  for (const recv of [rx.slack, rx.teams, rx.pagerduty]) {
    for (const q of recv.received) assert.ok(q.status >= 200 && q.status < 300, `${q.path} answered ${q.status}: ${q.response}`);
  }
  assert.ok(sim.canaries.length >= 8, `${sim.canaries.length} canaries planted`);
  const places: [string, string][] = [
    ['receivers', rx.allReceivedText()],
    ['CLI output', ws.printed()],
    ...filesUnder(join(ws.dir, '.driftwarden')).filter((f) => !f.includes(`${join('keys')}`))
      .map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
  ];
  for (const c of sim.canaries) {
    for (const [where, text] of places) assert.not.ok(text.includes(c), `canary ${c} found in ${where}`);
  }
});

leak('hostile values arrive escaped and truncated', ({ rx }) => {
  const slack = rx.slack.received.map((q) => q.body).join('\n');
  assert.not.ok(slack.includes('<!channel>'), 'Slack got a live <!channel>');
  assert.not.ok(slack.includes('<@U12345>'), 'Slack got a live user mention');
  assert.not.ok(slack.includes('<https://evil.example|click>'), 'Slack got a live link');
  assert.not.ok(rx.allReceivedText().includes('x'.repeat(5000)), 'the 100 KB value was truncated');
  for (const m of rx.smtp.received) {
    assert.not.match(m.raw.split('\r\n\r\n')[0]!, /^Bcc:/mi, 'no injected header');
    assert.ok(m.parsed.html, 'an HTML alternative is sent');
    assert.not.ok(m.parsed.html!.includes('<script>'), 'HTML escaped');
    assert.not.match(m.parsed.subject, /[\r\n]/, 'no CR/LF in the subject');
  }
  const teams = rx.teams.received.map((q) => q.body).join('\n');
  assert.not.ok(teams.includes('<script>'), 'Teams card escaped');
});

leak.run();
