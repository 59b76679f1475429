// `driftwarden check`: one drift check per configured org; prints redacted findings only.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, redactionFor, reportDir, selectOrgs, stateDir, surfacesFor, withStore } from '../session.ts';
import { connectOrg } from '../../pipeline/connect.ts';
import { runCheck, type RunOutcome } from '../../pipeline/run-check.ts';
import { createAttributionStage, createStages } from '../../pipeline/factories/index.ts';
import { printOutcome, worstExit } from '../render.ts';

export const checkCommand: Command = {
  name: ['check'],
  summary: 'snapshot each org, diff against the approved baseline, evaluate policies, alert',
  usage: 'driftwarden check [--config FILE] [--org ID] [--json]',
  details: [
    'Exit codes: 0 no findings, 1 drift or posture findings, 2 bad input (config, baseline),',
    '3 API failure or a surface that could not be read (coverage gap), 4 internal error.',
    'Values of secret-bearing fields are never printed; their drift shows as a changed fingerprint.',
  ].join('\n'),
  options: { ...CONFIG_OPTIONS, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const orgs = selectOrgs(config, ctx.values.org as string | undefined);
    const surfaces = surfacesFor(config);
    const redaction = redactionFor(config, ctx.env);
    const configDigest = `sha256:${createHash('sha256').update(readFileSync(config.file)).digest('hex')}`;
    return withStore(config, async (store) => {
      const stageCtx = { config, store, env: ctx.env, redaction, stateDir: stateDir(config) };
      const stages = await createStages(stageCtx);
      const outcomes: RunOutcome[] = [];
      for (const org of orgs) {
        const { client } = connectOrg(config, org, { env: ctx.env });
        try {
          const attribution = await createAttributionStage(stageCtx, client);
          outcomes.push(await runCheck({ config, org, surfaces, reportDir: reportDir(config), configDigest }, {
            client, store, redaction, ...stages, ...(attribution ? { attribution } : {}),
            progress: (t) => ctx.out.progress(t),
          }));
        } finally { await client.close(); }
      }
      for (const o of outcomes) printOutcome(ctx.out, o);
      ctx.out.result({ runs: outcomes.map((o) => ({ run: o.record, coverage: o.coverage, findings: o.findings, resolved: o.resolved, deliveries: o.deliveries, report: o.report })) });
      return worstExit(outcomes.map((o) => o.exitCode));
    });
  },
};
