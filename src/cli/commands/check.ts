// `driftwarden check`: one drift check per configured org; prints redacted findings only.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, redactionFor, reportDir, selectOrgs, surfacesFor, withStore } from '../session.ts';
import { connectOrg } from '../../pipeline/connect.ts';
import { runCheck, type RunOutcome } from '../../pipeline/run-check.ts';
import { printOutcome, worstExit } from '../render.ts';
import { loadPolicyEngine } from '../../pipeline/policy-engine.ts';
import { loadDispatcher } from '../../pipeline/dispatch.ts';

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
    const policy = await loadPolicyEngine(config);
    return withStore(config, async (store) => {
      const dispatcher = await loadDispatcher(config, { store, env: ctx.env, redaction });
      const outcomes: RunOutcome[] = [];
      for (const org of orgs) {
        const { client } = connectOrg(config, org, { env: ctx.env });
        try {
          outcomes.push(await runCheck({ config, org, surfaces, reportDir: reportDir(config) }, {
            client, store, redaction, ...(policy ? { policy } : {}), ...(dispatcher ? { dispatcher } : {}),
            progress: (t) => ctx.out.progress(t),
          }));
        } finally { client.close?.(); }
      }
      for (const o of outcomes) printOutcome(ctx.out, o);
      ctx.out.result({ runs: outcomes.map((o) => ({ run: o.record, coverage: o.coverage, findings: o.findings, report: o.report })) });
      return worstExit(outcomes.map((o) => o.exitCode));
    });
  },
};
