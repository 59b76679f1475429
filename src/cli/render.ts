// Human rendering of run outcomes. Only redacted findings reach this file.
import type { Output, Style } from './output.ts';
import type { RunOutcome } from '../pipeline/run-check.ts';
import type { Severity } from '../model/findings.ts';
import { EXIT, type ExitCode } from '../model/errors.ts';

const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };

export function printOutcome(out: Output, o: RunOutcome): void {
  const r = o.record;
  const head = r.status === 'clean' ? out.paint('green', 'clean') : r.status === 'drift' ? out.paint('yellow', 'findings') : out.paint('red', r.status);
  out.line(`${out.paint('bold', r.org)}  run ${r.id}  ${head}  surfaces ${r.surfacesOk}/${r.surfacesTotal}  drift paths ${r.driftCount}  findings ${r.findingCount}`);
  for (const c of o.coverage.filter((c) => c.status !== 'ok')) {
    out.line(`  ${out.paint('red', 'COVERAGE GAP')} ${c.surface}: ${c.missingPermission ? `missing permission ${c.missingPermission}` : c.reason ?? c.status}`);
  }
  for (const f of o.findings) {
    const sev = out.paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8));
    const where = f.pathText ? `${f.surface}:${f.pathText}` : f.surface;
    const state = f.state ? ` ${f.state}` : '';
    const waived = f.waiver ? out.paint('dim', ` (waiver ${f.waiver.status}: ${f.waiver.owner})`) : '';
    out.line(`  ${sev} ${f.driftKind ?? f.kind} ${where}  ${out.paint('dim', `[${f.rule}] ${f.id}${state}`)} ${f.title}${waived}`);
    if (f.driftKind) out.line(`           ${show(f.old)} → ${show(f.new)}`);
    else if (f.message && f.kind !== 'coverage-gap') out.line(`           ${f.message}`);
    const a = f.attribution;
    if (a) {
      out.line(out.paint('dim', a.found
        ? `           changed by ${[a.user, a.client && `client ${a.client}`].filter(Boolean).join(' via ') || 'unknown'}${a.remoteIp ? ` from ${a.remoteIp}` : ''}${a.time ? ` at ${a.time}` : ''}`
        : `           ${a.note ?? 'not found in the audit window'}`));
    }
  }
  for (const r of o.resolved) out.line(`  ${out.paint('green', 'RESOLVED')} ${r.surface}${r.pathText ? `:${r.pathText}` : ''}  ${out.paint('dim', `[${r.rule}] ${r.id}`)} ${r.title}`);
  for (const w of o.expiringWaivers) out.line(`  ${out.paint('yellow', 'WAIVER EXPIRING')} ${w.id} (owner ${w.owner}) on ${w.expires}`);
  for (const d of o.deliveries) if (d.status !== 'delivered') out.line(`  ${out.paint('red', 'DELIVERY')} ${d.channel}: ${d.status}${d.detail ? ` (${d.detail})` : ''}`);
  out.line(`  report: ${o.report.markdown}`);
}

const show = (v: unknown): string => (v === undefined ? '∅' : JSON.stringify(v).slice(0, 160));

/** The exit code of several runs: the most serious one (3 over 1 over 0; 2 and 4 are raised, not returned). */
export function worstExit(codes: readonly ExitCode[]): ExitCode {
  const order: ExitCode[] = [EXIT.internal, EXIT.badInput, EXIT.upstream, EXIT.drift, EXIT.clean];
  return order.find((c) => codes.includes(c)) ?? EXIT.clean;
}
