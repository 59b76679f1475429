// `driftwarden simulator`: a local Genesys Cloud to try driftwarden against, until Ctrl-C.
import { COMMON_HELP, COMMON_OPTIONS, type Command } from '../command.ts';
import { startSimulator, SIM_ADMIN, SIM_AUDITOR } from '../../simulator/index.ts';
import { EXIT } from '../../model/errors.ts';

export const simulatorCommand: Command = {
  name: ['simulator'],
  summary: 'run the embedded Genesys Cloud simulator on 127.0.0.1 until interrupted',
  usage: 'driftwarden simulator [--port N] [--seed N] [--token-lifetime SEC]',
  details: 'Prints the base URL and the two demo OAuth clients (read-only auditor and admin). For trying things out only.',
  options: { port: { type: 'string', short: 'p' }, seed: { type: 'string' }, 'token-lifetime': { type: 'string' }, ...COMMON_OPTIONS },
  optionHelp: { port: 'port (default: any free port)', seed: 'seed of the simulated quirks (default 1)', 'token-lifetime': 'expires_in of issued tokens in seconds', ...COMMON_HELP },
  async run(ctx) {
    const sim = await startSimulator({
      port: Number(ctx.values.port ?? 0),
      seed: Number(ctx.values.seed ?? 1),
      ...(ctx.values['token-lifetime'] ? { tokenLifetimeSec: Number(ctx.values['token-lifetime']) } : {}),
    });
    ctx.out.line(`Genesys Cloud simulator at ${sim.url} (org ${sim.orgId})`);
    ctx.out.line(`  auditor (read-only): GENESYS_CLIENT_ID=${SIM_AUDITOR.clientId} GENESYS_CLIENT_SECRET=${SIM_AUDITOR.clientSecret}`);
    ctx.out.line(`  admin (writes):      ${SIM_ADMIN.clientId} / ${SIM_ADMIN.clientSecret}`);
    ctx.out.result({ url: sim.url, orgId: sim.orgId, auditor: SIM_AUDITOR.clientId, admin: SIM_ADMIN.clientId });
    await new Promise<void>((resolve) => {
      const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
      process.on('SIGINT', stop); process.on('SIGTERM', stop);
    });
    await sim.close();
    return EXIT.clean;
  },
};
