// `driftwarden check`: one drift check per configured org; prints redacted findings only.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, redactionFor, reportDir, selectOrgs, stateDir, surfacesFor, withStore } from '../session.ts';
import { checkOrg, configDigestOf, prepareChecks } from '../../pipeline/check-org.ts';
import type { RunOutcome } from '../../pipeline/run-check.ts';
import { printOutcome, worstExit } from '../render.ts';
import { DwFailure, exitCodeFor, formatDwError, type DwError, type ExitCode } from '../../model/errors.ts';

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
    const configDigest = configDigestOf(config);
    return withStore(config, async (store) => {
      const setup = await prepareChecks({ config, store, env: ctx.env, surfaces, redaction, reportDir: reportDir(config), stateDir: stateDir(config), configDigest });
      const outcomes: RunOutcome[] = [];
      const failures: { org: string; error: DwError; exitCode: ExitCode }[] = [];
      for (const org of orgs) {
        // One org's failure must not leave the others unchecked: it is reported (and recorded
        // as a failed run), and the next org is checked all the same.
        try {
          outcomes.push(await checkOrg(setup, org, { progress: (t) => ctx.out.progress(t) }));
        } catch (e) {
          if (!(e instanceof DwFailure) || orgs.length === 1) throw e;
          failures.push({ org: org.id, error: e.error, exitCode: exitCodeFor(e.error.kind) });
          ctx.out.error(`${org.id}: ${formatDwError(e.error)}`);
        }
      }
      for (const o of outcomes) printOutcome(ctx.out, o);
      ctx.out.result({
        runs: outcomes.map((o) => ({ run: o.record, coverage: o.coverage, findings: o.findings, resolved: o.resolved, deliveries: o.deliveries, report: o.report })),
        failures: failures.map(({ org, error }) => ({ org, error })),
      });
      return worstExit([...outcomes.map((o) => o.exitCode), ...failures.map((f) => f.exitCode)]);
    });
  },
};
