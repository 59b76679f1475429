// `driftwarden baseline capture|accept|history`: the approved state, kept as commits in git.
import { userInfo } from 'node:os';
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command, type CommandContext } from '../command.ts';
import { loadConfigFor, redactionFor, selectOrgs, stateDir, surfacesFor, withStore } from '../session.ts';
import { connectOrg } from '../../pipeline/connect.ts';
import { acceptDrift, captureBaseline, describeGap, type AcceptTarget } from '../../pipeline/baseline-flows.ts';
import { createPolicyStage } from '../../pipeline/factories/policy.ts';
import { baselineHistory, type BaselineAuthor } from '../../baseline/baseline-repo.ts';
import { EXIT, fail } from '../../model/errors.ts';

const AUTHOR_OPTIONS = { as: { type: 'string' }, email: { type: 'string' } } as const;
const AUTHOR_HELP = { as: 'person approving (default: $DRIFTWARDEN_USER or the login name)', email: 'their e-mail for the commit' } as const;

function author(ctx: CommandContext): BaselineAuthor {
  const name = (ctx.values.as as string | undefined) ?? ctx.env.DRIFTWARDEN_USER ?? safeLogin();
  const email = (ctx.values.email as string | undefined) ?? ctx.env.DRIFTWARDEN_EMAIL ?? `${name.replace(/[^A-Za-z0-9._-]/g, '') || 'driftwarden'}@driftwarden.invalid`;
  return { name, email };
}
const safeLogin = (): string => { try { return userInfo().username; } catch { return 'driftwarden'; } };

export const baselineCaptureCommand: Command = {
  name: ['baseline', 'capture'],
  summary: 'read each org now and commit its state as the approved baseline',
  usage: 'driftwarden baseline capture [--org ID] [--as NAME] [--allow-gaps] [--json]',
  details: 'Refuses (exit 3) when a surface cannot be read, unless --allow-gaps: an unread surface must not look approved.',
  options: { ...CONFIG_OPTIONS, ...AUTHOR_OPTIONS, 'allow-gaps': { type: 'boolean' }, message: { type: 'string', short: 'm' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, ...AUTHOR_HELP, 'allow-gaps': 'commit the readable surfaces even if some are not', message: 'commit message', ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const redaction = redactionFor(config, ctx.env);
    const results = [];
    for (const org of selectOrgs(config, ctx.values.org as string | undefined)) {
      const { client } = connectOrg(config, org, { env: ctx.env });
      ctx.out.progress(`${org.id}: reading surfaces…`);
      const r = await captureBaseline({
        config, org, surfaces: surfacesFor(config), author: author(ctx),
        allowGaps: Boolean(ctx.values['allow-gaps']), ...(ctx.values.message ? { message: ctx.values.message as string } : {}),
      }, { client, redaction }).finally(() => client.close());
      results.push({ org: org.id, ...r });
      ctx.out.line(`${org.id}: ${r.changed ? `committed ${r.sha?.slice(0, 12)}` : 'unchanged'} (${r.surfaces} surfaces) in ${config.baselines.dir}`);
      for (const g of r.gaps) ctx.out.error(`  COVERAGE GAP ${describeGap(g)}`);
    }
    ctx.out.result({ baselines: results });
    return results.some((r) => r.gaps.length) ? EXIT.upstream : EXIT.clean;
  },
};

export const baselineAcceptCommand: Command = {
  name: ['baseline', 'accept'],
  summary: 'approve chosen drift paths into the baseline (a commit naming what and who)',
  usage: 'driftwarden baseline accept --org ID <finding-id | surface:path>... [--as NAME] [--reason TEXT]',
  details: 'Name drift by the finding id `check` prints (dw-…), or as surface:path, e.g. `authentication-settings:multifactorAuthenticationRequired`.',
  options: { ...CONFIG_OPTIONS, ...AUTHOR_OPTIONS, reason: { type: 'string' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, ...AUTHOR_HELP, reason: 'why the change is approved (ticket, change request)', ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const orgs = selectOrgs(config, ctx.values.org as string | undefined);
    if (orgs.length !== 1) fail('DW1022', 'bad-input', 'baseline accept needs --org when several orgs are configured');
    if (ctx.positionals.length === 0) fail('DW1023', 'bad-input', 'name at least one drift to accept: a finding id or surface:path');
    const targets = ctx.positionals.map((p): AcceptTarget => {
      if (/^dw-[0-9a-f]{24}$/.test(p)) return { findingId: p };
      const i = p.indexOf(':');
      if (i <= 0) return fail('DW1024', 'bad-input', `"${p}" is neither a finding id (dw-…) nor a drift path (surface:path)`);
      return { surface: p.slice(0, i), pathText: p.slice(i + 1) };
    });
    const redaction = redactionFor(config, ctx.env);
    const policy = targets.some((t) => 'findingId' in t)
      ? await withStore(config, (store) => createPolicyStage({ config, store, env: ctx.env, redaction, stateDir: stateDir(config) }))
      : undefined;
    const org = orgs[0]!;
    const { client } = connectOrg(config, org, { env: ctx.env });
    const r = await acceptDrift({
      config, org, surfaces: surfacesFor(config), author: author(ctx), targets, ruleIds: [...(policy?.rules.keys() ?? [])],
      ...(ctx.values.reason ? { reason: ctx.values.reason as string } : {}),
    }, { client, redaction }).finally(() => client.close());
    ctx.out.line(`${org.id}: ${r.changed ? `accepted ${r.paths.length} path(s) in commit ${r.sha?.slice(0, 12)}` : 'nothing to accept: the baseline already matches'}`);
    ctx.out.result({ org: org.id, sha: r.sha, changed: r.changed, accepted: r.paths.length });
    return EXIT.clean;
  },
};

export const baselineHistoryCommand: Command = {
  name: ['baseline', 'history'],
  summary: 'list the commits that changed an org’s baseline',
  usage: 'driftwarden baseline history [--org ID] [--json]',
  options: { ...CONFIG_OPTIONS, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const all = [];
    for (const org of selectOrgs(config, ctx.values.org as string | undefined)) {
      const h = await baselineHistory(config.baselines.dir, org.id);
      all.push({ org: org.id, commits: h });
      ctx.out.line(ctx.out.paint('bold', org.id));
      for (const c of h) ctx.out.line(`  ${c.sha.slice(0, 12)} ${c.date} ${c.author.name}  ${c.message.split('\n')[0]}`);
    }
    ctx.out.result({ history: all });
    return EXIT.clean;
  },
};
