// `driftwarden runs`: the run history kept in the store.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, withStore } from '../session.ts';
import { EXIT } from '../../model/errors.ts';
import { orgId } from '../../model/ids.ts';

export const runsCommand: Command = {
  name: ['runs'],
  summary: 'list recent runs with status, drift count and durations',
  usage: 'driftwarden runs [--org ID] [--limit N] [--json]',
  options: { ...CONFIG_OPTIONS, limit: { type: 'string', short: 'n' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, limit: 'how many (default 20)', ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const limit = Number(ctx.values.limit ?? 20);
    return withStore(config, async (store) => {
      const runs = await store.listRuns({ ...(ctx.values.org ? { org: orgId(ctx.values.org as string) } : {}), limit: Number.isFinite(limit) && limit > 0 ? limit : 20 });
      for (const r of runs) {
        const total = Object.values(r.durationsMs).reduce((a, b) => a + b, 0);
        ctx.out.line(`${r.id}  ${r.org.padEnd(16)} ${r.status.padEnd(12)} exit ${r.exitCode}  surfaces ${r.surfacesOk}/${r.surfacesTotal}  drift ${r.driftCount}  findings ${r.findingCount}  ${total} ms${r.error ? `  ${r.error}` : ''}`);
      }
      if (runs.length === 0) ctx.out.line('no runs recorded yet');
      ctx.out.result({ runs });
      return EXIT.clean;
    });
  },
};
