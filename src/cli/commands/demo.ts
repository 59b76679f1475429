// `driftwarden demo`: a full audit against the embedded simulator, start to finish, using the
// same commands a user runs. Everything listens on 127.0.0.1 and stops when the demo ends.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_HELP, type Command } from '../command.ts';
import { startSimulator, SIM_AUDITOR } from '../../simulator/index.ts';
import { adminSession, applyDemoDrift } from '../../simulator/admin.ts';
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
        '',
      ].join('\n'));
      const env = { ...ctx.env, DEMO_GENESYS_CLIENT_ID: SIM_AUDITOR.clientId, DEMO_GENESYS_CLIENT_SECRET: SIM_AUDITOR.clientSecret, DRIFTWARDEN_USER: 'Demo Compliance Lead' };
      const run = (argv: string[]): Promise<ExitCode> => main(argv, env, dir, ctx.io as never);

      out.line(out.paint('bold', 'driftwarden demo'));
      out.line(`Genesys Cloud simulator: ${sim.url} (org ${sim.orgId}); workspace: ${dir}`);

      step(1, 'Capture the approved baseline (commits baselines/acme-demo/*.json to git)');
      const captured = await run(['baseline', 'capture', '--as', 'Demo Compliance Lead']);
      if (captured !== EXIT.clean) return fail(out, 'baseline capture', captured);

      step(2, 'Check the untouched org: no drift, although the simulator reorders arrays, changes volatile metadata and returns numbers as strings');
      const clean = await run(['check']);
      if (clean !== EXIT.clean && clean !== EXIT.drift) return fail(out, 'first check', clean);

      step(3, 'An administrator changes the org through the API');
      for (const change of await applyDemoDrift(adminSession(sim))) out.line(`  - ${change}`);

      step(4, 'Check again: drift is found, classified, redacted and reported');
      const drifted = await run(['check']);
      if (drifted !== EXIT.drift) return fail(out, 'second check', drifted);

      step(5, 'Run history');
      await run(['runs']);
      out.line(`\nEverything the demo wrote is in ${dir} (reports in ${join(dir, '.driftwarden', 'reports')}).`);
      return EXIT.clean;
    } finally {
      await sim.close();
    }
  },
};

function fail(out: { error(t: string): void }, what: string, code: ExitCode): ExitCode {
  out.error(`demo: ${what} ended with exit code ${code}; see the messages above.`);
  return code === EXIT.clean ? EXIT.internal : code;
}
