// The outbox wired into `driftwarden check` by its factory: routes.yaml from the config, one
// digest per channel, pages, dedup on the next check, and a dead channel in the run report.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { adminSession, applyDemoDrift } from '../../src/simulator/admin.ts';
import { startReceivers, LOCAL_ROUTING_KEY, type Receivers } from '../../src/receivers/index.ts';
import { makeWorkspace, type Workspace } from '../helpers/workspace.ts';
import { parseArgs } from 'node:util';
import { mails } from './helpers.ts';
import { capture } from '../helpers/workspace.ts';
import { createOutput } from '../../src/cli/output.ts';
import { outboxCommand } from '../../src/cli/commands/outbox.ts';

/** `driftwarden outbox …` in-process, the way main() runs a command (it is not registered yet). */
async function outboxCli(ws: Workspace, argv: string[]): Promise<{ code: number; json: { requeued: number; deliveries: { channel: string; status: string }[]; messages: { id: string; channel: string; kind: string; status: string; lastError?: string }[] } }> {
  const out = capture(), err = capture();
  const { values, positionals } = parseArgs({ args: [...argv, '--json'], options: outboxCommand.options, allowPositionals: true, strict: true });
  const code = await outboxCommand.run({ out: createOutput({ json: true, stdout: out.stream, stderr: err.stream, env: ws.env }), values, positionals, cwd: ws.dir, env: ws.env, io: { stdout: out.stream, stderr: err.stream } });
  return { code, json: JSON.parse(out.text()) };
}

type Ctx = { sim: Simulator; rx: Receivers; ws: Workspace };
const t = suite<Ctx>('outbox in driftwarden check', {} as Ctx);

t.before(async (c) => {
  c.sim = await startSimulator({ seed: 5 });
  c.rx = await startReceivers();
  c.ws = makeWorkspace(c.sim, { extraConfig: 'routes: routes.yaml' });
  c.ws.env.SLACK_URL = c.rx.slack.url;
  writeFileSync(join(c.ws.dir, 'routes.yaml'), [
    'channels:',
    `  pd: { type: pagerduty, url: ${JSON.stringify(c.rx.pagerduty.url)}, routingKey: ${LOCAL_ROUTING_KEY}, throttle: { minTimeMs: 0 } }`,
    '  slack: { type: slack, urlEnv: SLACK_URL, throttle: { minTimeMs: 0 } }',
    `  mail: { type: email, from: dw@acme.example, to: [sec@acme.example], smtp: { host: ${c.rx.smtp.host}, port: ${c.rx.smtp.port} }, throttle: { minTimeMs: 0 } }`,
    'routes:',
    '  - { match: { severityAtLeast: high }, channels: [pd], continue: true }',
    'default: { channels: [slack, mail] }',
  ].join('\n'));
  const cap = await c.ws.run(['baseline', 'capture']);
  assert.is(cap.code, 0, cap.stderr);
  await applyDemoDrift(adminSession(c.sim));
});
t.after(async (c) => { c.ws.close(); await c.rx.close(); await c.sim.close(); });

type CheckJson = { runs: { findings: { id: string; severity: string }[]; deliveries: { channel: string; status: string; detail?: string }[]; report: { markdown: string } }[] };

t('first check: one digest per channel and a page per high finding; second check: nothing new', async (c) => {
  const r = await c.ws.run(['check', '--json']);
  assert.is(r.code, 1, r.stderr);
  const run = (JSON.parse(r.stdout) as CheckJson).runs[0]!;
  assert.ok(run.findings.length > 0);
  const paged = run.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => f.id).sort();
  assert.equal(run.deliveries.map((d) => [d.channel, d.status]), [['mail', 'delivered'], ...(paged.length ? [['pd', 'delivered']] : []), ['slack', 'delivered']]);
  assert.is(c.rx.slack.accepted.length, 1);
  assert.is(mails(c.rx).length, 1);
  assert.equal((c.rx.pagerduty.accepted as { dedup_key: string }[]).map((e) => e.dedup_key).sort(), paged);

  const again = await c.ws.run(['check', '--json']);
  assert.is(again.code, 1, again.stderr);
  assert.equal((JSON.parse(again.stdout) as CheckJson).runs[0]!.deliveries, [], 'ongoing findings are not re-sent');
  assert.is(c.rx.slack.accepted.length, 1);
  assert.is(c.rx.pagerduty.accepted.length, paged.length);
});

t('a revoked webhook: the message is dead, the run report says so, the other channels are told', async (c) => {
  c.rx.slack.fail({ status: 404, body: 'no_service' });
  // A new finding (a new entity path), so there is something to send: a changed value at a
  // path already reported would be the same, ongoing finding.
  await adminSession(c.sim).request('POST', '/api/v2/oauth/clients', {
    name: 'second-exporter', description: 'bulk export', authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: 3600, registeredRedirectUri: [], scope: [], roleDivisions: [],
  });
  const mailsBefore = mails(c.rx).length;
  const r = await c.ws.run(['check', '--json']);
  const run = (JSON.parse(r.stdout) as CheckJson).runs[0]!;
  const slack = run.deliveries.find((d) => d.channel === 'slack');
  assert.equal([slack?.status, /DW5103 rejected with 404/.test(slack?.detail ?? '')], ['dead', true], JSON.stringify(run.deliveries));
  const report = readFileSync(run.report.markdown, 'utf8');
  assert.match(report, /\| slack \| dead \|/);
  const told = mails(c.rx).slice(mailsBefore).map((m) => m.parsed.subject);
  assert.ok(told.some((s) => s.includes('Alerts to channel "slack" are not being delivered')), told.join(' | '));

  // `driftwarden outbox` lists it; once the webhook works again, --retry delivers it.
  const listed = await outboxCli(c.ws, []);
  assert.is(listed.code, 3);
  assert.equal(listed.json.messages.map((m) => [m.channel, m.kind, m.status]), [['slack', 'digest', 'dead']]);
  c.rx.slack.reset();
  const retried = await outboxCli(c.ws, ['--retry', '--id', listed.json.messages[0]!.id]);
  assert.equal([retried.code, retried.json.requeued, retried.json.messages], [0, 1, []]);
  assert.equal(retried.json.deliveries, [{ channel: 'slack', status: 'delivered', detail: '1 delivered' }]);
  assert.is(c.rx.slack.accepted.length, 1);
});

t.run();
