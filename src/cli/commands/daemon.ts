// `driftwarden daemon`: runs each org's check on its cron schedule until SIGTERM/SIGINT.
import { COMMON_HELP, COMMON_OPTIONS, CONFIG_HELP, CONFIG_OPTIONS, type Command, type CommandContext } from '../command.ts';
import { loadConfigFor, redactionFor, reportDir, selectOrgs, stateDir, surfacesFor, withStore } from '../session.ts';
import { prepareChecks } from '../../pipeline/check-org.ts';
import { Daemon, DAEMON_CODES, DEFAULT_LEASE_MS, type DaemonEvent } from '../../daemon/index.ts';
import { EXIT, fail } from '../../model/errors.ts';

export const daemonCommand: Command = {
  name: ['daemon'],
  summary: 'check each org on its cron schedule (orgs[].schedule) until stopped',
  usage: 'driftwarden daemon [--config FILE] [--org ID] [--lease-seconds N] [--json]',
  details: [
    'Each org with a `schedule` (cron, 5 or 6 fields) is checked exactly like `driftwarden check`.',
    'Several daemons may share one store: a lease per org makes sure only one checks it at a time.',
    'On start, an org whose last scheduled time passed without a run is checked at once.',
    'An org with no successful complete run (clean or drift) for blindAfterMinutes (default: three',
    'schedule intervals) raises a CRITICAL "monitoring blind" finding, routed like any other.',
    'SIGTERM/SIGINT: no new runs; a run in progress stops at its next stage boundary (recorded as',
    'failed) unless it is already committing; leases are released; exit 0.',
    '--json prints one JSON object per event and line (for log shippers).',
    'Exit codes: 0 stopped by a signal, 2 bad input (no schedule, bad cron), 4 internal error.',
  ].join('\n'),
  options: { ...CONFIG_OPTIONS, 'lease-seconds': { type: 'string' }, ...COMMON_OPTIONS },
  optionHelp: { ...CONFIG_HELP, 'lease-seconds': `lease time to live, renewed while a run goes on (default ${DEFAULT_LEASE_MS / 1000})`, ...COMMON_HELP },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    const orgs = selectOrgs(config, ctx.values.org as string | undefined);
    const surfaces = surfacesFor(config);
    const redaction = redactionFor(config, ctx.env);
    const leaseMs = leaseOption(ctx.values['lease-seconds'] as string | undefined);
    return withStore(config, async (store) => {
      const setup = await prepareChecks({ config, store, env: ctx.env, surfaces, redaction, reportDir: reportDir(config), stateDir: stateDir(config) });
      const daemon = new Daemon({ setup, orgs, leaseMs, onEvent: (e) => log(ctx, e) });
      const onSignal = (signal: NodeJS.Signals) => { void daemon.stop(signal); };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      try {
        await daemon.start().catch(async (e) => { await daemon.stop('start failed'); throw e; });
        await daemon.done;
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        const outbox = setup.stages.outbox as { close?: () => Promise<void> } | undefined;
        await outbox?.close?.();
      }
      return EXIT.clean;
    });
  },
};

function leaseOption(v: string | undefined): number {
  if (v === undefined) return DEFAULT_LEASE_MS;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1 || n > 86_400) return fail(DAEMON_CODES.badOption, 'bad-input', `--lease-seconds: "${v}" is not a number of seconds between 1 and 86400`);
  return Math.round(n * 1000);
}

/** One line per event: JSON lines with --json, otherwise a timestamped human line (problems on stderr). */
function log(ctx: CommandContext, e: DaemonEvent): void {
  if (ctx.out.json) { ctx.io.stdout.write(JSON.stringify(e) + '\n'); return; }
  const org = 'org' in e && e.org ? `${e.org}: ` : '';
  const say = (t: string) => ctx.out.line(`${e.at} ${org}${t}`);
  const warn = (t: string) => ctx.out.error(`${e.at} ${org}${t}`);
  switch (e.type) {
    case 'started':
      say(`daemon started as ${e.holder}`);
      for (const o of e.orgs) say(`  ${o.org}: "${o.schedule}", next ${o.next ?? 'never'}, blind after ${o.blindAfterMinutes} min`);
      if (e.unscheduled.length) say(`  not scheduled (no schedule): ${e.unscheduled.join(', ')}`);
      return;
    case 'catch-up': return say(`missed a scheduled run (last ${e.lastRunAt ?? 'never'}): checking now`);
    case 'skipped': return say(`skipped: ${e.reason}`);
    case 'run-started': return say(`run started (${e.trigger})`);
    case 'run-finished': return say(`run ${e.runId} ${e.status} (exit ${e.exitCode}): ${e.findings} finding(s), ${e.surfacesOk}/${e.surfacesTotal} surfaces read`);
    case 'coverage-gap': return warn(`COVERAGE GAP in run ${e.runId}: ${e.gaps.map((g) => `${g.surface} (${g.missingPermission ? `missing permission ${g.missingPermission}` : g.reason ?? g.status})`).join(', ')}`);
    case 'run-failed': return warn(`run failed: ${e.error}`);
    case 'blind': return warn(`MONITORING BLIND: no successful run since ${e.since} (window ${e.windowMinutes} min); recorded as run ${e.runId}${e.deliveries.length ? `, ${e.deliveries.map((d) => `${d.channel} ${d.status}`).join(', ')}` : ''}`);
    case 'heartbeat': return e.ok ? undefined : warn(e.error ?? 'heartbeat failed');
    case 'lease-lost': return warn('lease lost (expired and taken over): the run stops at its next stage boundary');
    case 'error': return warn(`error: ${e.error}`);
    case 'stopping': return say(`stopping (${e.reason}): no new runs; the current run stops at its next stage boundary`);
    case 'stopped': return say('stopped');
  }
}

export const daemonCommands: readonly Command[] = [daemonCommand];
