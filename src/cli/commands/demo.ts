// `driftwarden demo`: a full audit against the embedded simulator, start to finish, using the
// same commands a user runs. Everything listens on 127.0.0.1 and stops when the demo ends.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_HELP, type Command } from '../command.ts';
import { startSimulator, SIM_AUDITOR } from '../../simulator/index.ts';
import { adminSession, applyDemoDrift } from '../../simulator/admin.ts';
import { startReceivers, LOCAL_ROUTING_KEY } from '../../receivers/index.ts';
import { EXIT, type ExitCode } from '../../model/errors.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export const demoCommand: Command = {
  name: ['demo'],
  summary: 'full audit against the embedded Genesys Cloud simulator (what `npm run demo` runs)',
  usage: 'driftwarden demo [--dir DIR]',
  details: 'Writes its workspace (config, git baselines, store, reports) to out/demo unless --dir is given.',
  options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  optionHelp: { dir: 'workspace folder (default: out/demo)', help: COMMON_HELP.help },
  async run(ctx) {
    const { main } = await import('../main.ts');
    const out = ctx.out;
    const dir = resolve(ctx.cwd, (ctx.values.dir as string | undefined) ?? 'out/demo');
    const step = (n: number, text: string) => out.line(`\n${out.paint('bold', `${n}. ${text}`)}`);
    const sim = await startSimulator({ seed: 7 });
    const rx = await startReceivers();
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      // The workspace is its own repository, as a compliance team's baseline repo would be.
      execFileSync('git', ['init', '-q', dir]);
      await writeFile(join(dir, 'driftwarden.yaml'), [
        '# Written by `driftwarden demo`: one org, reached through the local simulator.',
        'orgs:',
        '  - id: acme-demo',
        '    name: Acme Support (simulated)',
        `    apiBase: ${sim.url}`,
        '    credentials:',
        '      env: { clientId: DEMO_GENESYS_CLIENT_ID, clientSecret: DEMO_GENESYS_CLIENT_SECRET }',
        'baselines: { dir: baselines }',
        'store: { path: .driftwarden/driftwarden.db }',
        `policies: { dirs: [${JSON.stringify(join(REPO_ROOT, 'policies'))}] }`,
        'routes: routes.yaml',
        '',
      ].join('\n'));
      await writeFile(join(dir, 'routes.yaml'), [
        '# Where findings go. First matching route wins unless `continue: true` (like Alertmanager).',
        'channels:',
        '  oncall: { type: pagerduty, url: ' + JSON.stringify(rx.pagerduty.url) + ', routingKeyEnv: DEMO_PAGERDUTY_KEY }',
        '  security-slack: { type: slack, urlEnv: DEMO_SLACK_URL }',
        '  compliance-teams: { type: teams, urlEnv: DEMO_TEAMS_URL }',
        '  audit-mail:',
        '    type: email',
        '    from: driftwarden@acme.example',
        '    to: [compliance@acme.example]',
        `    smtp: { host: ${rx.smtp.host}, port: ${rx.smtp.port}, secure: false, requireTLS: false }`,
        'routes:',
        '  - name: page-on-critical',
        '    match: { severityAtLeast: critical, kind: [drift, coverage-gap] }',
        '    channels: [oncall]',
        '    continue: true',
        '  - name: security-team',
        '    match: { severityAtLeast: high }',
        '    channels: [security-slack, audit-mail]',
        '    continue: true',
        '  - name: regulated-frameworks',
        '    match: { framework: [HIPAA, PCI DSS 4.0] }',
        '    channels: [compliance-teams]',
        'default: { channels: [audit-mail] }',
        '',
      ].join('\n'));
      const env = {
        ...ctx.env, DEMO_GENESYS_CLIENT_ID: SIM_AUDITOR.clientId, DEMO_GENESYS_CLIENT_SECRET: SIM_AUDITOR.clientSecret,
        DEMO_SLACK_URL: rx.slack.url, DEMO_TEAMS_URL: rx.teams.url, DEMO_PAGERDUTY_KEY: LOCAL_ROUTING_KEY,
        DRIFTWARDEN_USER: 'Demo Compliance Lead',
      };
      const run = (argv: string[]): Promise<ExitCode> => main(argv, env, dir, ctx.io as never);

      out.line(out.paint('bold', 'driftwarden demo'));
      out.line(`Genesys Cloud simulator: ${sim.url} (org ${sim.orgId}); workspace: ${dir}`);

      step(1, 'Capture the approved baseline (commits baselines/acme-demo/*.json to git)');
      const captured = await run(['baseline', 'capture', '--as', 'Demo Compliance Lead']);
      if (captured !== EXIT.clean) return fail(out, 'baseline capture', captured);

      step(2, 'Check the untouched org: no drift (the simulator reorders arrays, changes volatile metadata and returns numbers as strings), but posture rules flag what the baseline itself gets wrong');
      const clean = await run(['check']);
      if (clean !== EXIT.clean && clean !== EXIT.drift) return fail(out, 'first check', clean);

      step(3, 'An administrator changes the org through the API');
      for (const change of await applyDemoDrift(adminSession(sim))) out.line(`  - ${change}`);

      step(4, 'Check again: drift is found, classified, redacted and reported');
      const drifted = await run(['check']);
      if (drifted !== EXIT.drift) return fail(out, 'second check', drifted);

      step(5, 'What the local receivers got (every payload validated as the real service would)');
      const leaks = sim.canaries.filter((c) => rx.allReceivedText().includes(c));
      out.line(`  Slack: ${rx.slack.accepted.length} message(s)   Teams: ${rx.teams.accepted.length} card(s)   PagerDuty: ${rx.pagerduty.accepted.length} event(s)   e-mail: ${rx.smtp.received.length} message(s)`);
      out.line(`  canary secrets planted in the simulator: ${sim.canaries.length}; found in anything delivered: ${leaks.length}`);
      if (leaks.length) return fail(out, 'leak check', EXIT.internal);

      step(6, 'The new OAuth client\'s secret went to the encrypted vault: revealing it takes a second person');
      const json = async <T>(argv: string[]): Promise<T> => {
        const chunks: Buffer[] = [];
        const sink = new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
        const code = await main([...argv, '--json'], env, dir, { stdout: sink, stderr: ctx.io.stderr as never });
        if (code !== EXIT.clean) throw new Error(`demo: \`driftwarden ${argv.join(' ')}\` ended with exit code ${code}`);
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
      };
      type Entry = { id: string; surface: string; pathText: string; fingerprint: string; seenCount: number };
      const { entries } = await json<{ entries: Entry[] }>(['vault', 'list']);
      const entry = entries.find((e) => e.surface === 'oauth-clients' && e.seenCount === 1);
      if (!entry) return fail(out, 'vault (no new OAuth client secret deposited)', EXIT.internal);
      out.line(`  vault holds ${entries.length} sealed value(s); the new one is ${entry.surface}:${entry.pathText} (${entry.fingerprint})`);
      const { request } = await json<{ request: { id: string } }>(['vault', 'request', entry.id, '--as', 'Demo Compliance Lead', '--reason', 'incident review of shadow-exporter']);
      out.line(`  requested by Demo Compliance Lead: ${request.id}`);
      const selfApproval = await run(['vault', 'approve', request.id, '--as', 'Demo Compliance Lead']);
      out.line(`  approving one's own request is refused (exit ${selfApproval})`);
      await json(['vault', 'approve', request.id, '--as', 'Second Approver']);
      out.line('  approved by Second Approver');
      const revealed = await json<{ value: unknown }>(['vault', 'reveal', request.id, '--as', 'Demo Compliance Lead']);
      out.line(`  revealed once to the requester: ${sim.canaries.includes(String(revealed.value)) ? 'the exact secret the simulator issued' : 'A DIFFERENT VALUE'} (not printed here); \`driftwarden vault log --verify\` checks the hash chain`);

      step(7, 'Run history, the evidence chain, and an audit report');
      await run(['runs']);
      const verified = await run(['verify']);
      if (verified !== EXIT.clean) return fail(out, 'evidence verification', verified);
      const html = join(dir, 'audit-report.html');
      const reported = await run(['report', '--format', 'html', '-o', html]);
      if (reported !== EXIT.clean) return fail(out, 'report', reported);
      await run(['report', '--format', 'sarif', '-o', join(dir, 'audit-report.sarif.json')]);
      out.line(`\nEverything the demo wrote is in ${dir}: the audit report ${html}, per-run reports in ${join(dir, '.driftwarden', 'reports')}, baselines (git) in ${join(dir, 'baselines')}.`);
      return EXIT.clean;
    } finally {
      await rx.close();
      await sim.close();
    }
  },
};

function fail(out: { error(t: string): void }, what: string, code: ExitCode): ExitCode {
  out.error(`demo: ${what} ended with exit code ${code}; see the messages above.`);
  return code === EXIT.clean ? EXIT.internal : code;
}
