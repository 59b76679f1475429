// `driftwarden findings …` commands: the findings the store keeps across runs, with their lifecycle.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, selectOrgs, withStore } from '../session.ts';
import { listFindings } from '../../lifecycle/finding-rows.ts';
import { EXIT } from '../../model/errors.ts';
import { orgId } from '../../model/ids.ts';
import type { Severity } from '../../model/findings.ts';
import type { Style } from '../output.ts';

const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };

export const findingsListCommand: Command = {
  name: ['findings'],
  summary: 'list open findings with state (new, ongoing, regressed), first/last seen, severity and owner',
  usage: 'driftwarden findings [--org ID] [--all] [--json]',
  details: [
    'Reads the store only (no API call). A finding on a surface that could not be read stays open:',
    'driftwarden was blind there, so it cannot say the drift went away. --all adds resolved findings.',
    'Owner is the owner of the waiver covering the finding, if any.',
  ].join('\n'),
  options: { ...CONFIG_OPTIONS, all: { type: 'boolean', short: 'a' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, all: 'include resolved findings', ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const org = ctx.values.org as string | undefined;
    if (org !== undefined) selectOrgs(config, org); // an unknown org is bad input, not an empty list
    return withStore(config, async (store) => {
      const rows = await listFindings(store, { ...(org !== undefined ? { org: orgId(org) } : {}), all: Boolean(ctx.values.all) });
      for (const f of rows) {
        const sev = ctx.out.paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8));
        const where = f.pathText ? `${f.surface}:${f.pathText}` : f.surface;
        ctx.out.line(`${sev} ${f.state.padEnd(9)} ${f.org}  ${where}  ${ctx.out.paint('dim', `[${f.rule}]`)}`);
        const waiver = f.waiverId ? `  waiver ${f.waiverId} (${f.waiverStatus ?? 'active'})` : '';
        const who = f.attribution?.found ? `  changed by ${f.attribution.user ?? f.attribution.client ?? 'unknown'} at ${f.attribution.time ?? '?'}` : '';
        ctx.out.line(`         ${f.title}`);
        ctx.out.line(`         first seen ${f.firstSeen}  last seen ${f.lastSeen}${f.resolvedAt ? `  resolved ${f.resolvedAt}` : ''}  owner ${f.owner ?? '-'}${waiver}${who}`);
      }
      if (rows.length === 0) ctx.out.line(ctx.values.all ? 'no findings recorded yet' : 'no open findings');
      ctx.out.result({
        findings: rows.map((f) => ({
          id: f.id, org: f.org, surface: f.surface, path: f.pathText, rule: f.rule, kind: f.kind, title: f.title,
          severity: f.severity, sensitivity: f.sensitivity, state: f.state, firstSeen: f.firstSeen, lastSeen: f.lastSeen,
          resolvedAt: f.resolvedAt ?? null, owner: f.owner ?? null, lastRunId: f.lastRunId,
          waiver: f.waiverId ? { id: f.waiverId, status: f.waiverStatus ?? null } : null,
          attribution: f.attribution ?? null,
        })),
      });
      return EXIT.clean;
    });
  },
};

export const findingsCommands: readonly Command[] = [findingsListCommand];
