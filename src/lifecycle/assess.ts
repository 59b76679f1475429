// Lifecycle of findings across runs, as a pure function of what the store remembers and what this
// run found: never seen -> new; open before -> ongoing; resolved before and back -> regressed;
// open before and absent now -> resolved. A surface this run could not read (a coverage gap)
// resolves nothing: we are blind there, not clean, so its open findings are held as they were.
import type { Attribution, Finding, FindingKind, FindingState, FrameworkRef, DriftKind, Sensitivity, Severity } from '../model/findings.ts';
import type { FindingId, OrgId, RuleId, SurfaceId } from '../model/ids.ts';

/** What the store knows about a finding from earlier runs (no drift values: they may be secret). */
export type PriorFinding = {
  readonly id: FindingId;
  readonly org: OrgId;
  readonly surface: SurfaceId;
  readonly pathText: string;
  readonly rule: RuleId;
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly sensitivity: Sensitivity;
  readonly title: string;
  readonly frameworks: readonly FrameworkRef[];
  readonly driftKind?: DriftKind;
  readonly state: FindingState;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly resolvedAt?: string;
  readonly owner?: string;
  readonly attribution?: Attribution;
};

export type Assessment = {
  /** This run's findings with `state`, `firstSeen`, `lastSeen`. */
  readonly current: readonly Finding[];
  /** Open before, absent now, on a surface that was read: state 'resolved'. */
  readonly resolved: readonly Finding[];
  /** Open before, on a surface this run could not read: left open and untouched. */
  readonly held: readonly PriorFinding[];
};

export const isOpen = (s: FindingState): boolean => s !== 'resolved';

export function assessFindings(prior: readonly PriorFinding[], findings: readonly Finding[], now: Date): Assessment {
  const at = now.toISOString();
  const byId = new Map(prior.map((p) => [p.id as string, p]));
  const blind = new Set<string>(findings.filter((f) => f.kind === 'coverage-gap').map((f) => f.surface));

  const current = findings.map((f): Finding => {
    const before = byId.get(f.id);
    const state: FindingState = before === undefined ? 'new' : isOpen(before.state) ? 'ongoing' : 'regressed';
    // Who changed it was found when the finding opened; an ongoing finding keeps that answer.
    const keep = state === 'ongoing' && before?.attribution && !f.attribution ? { attribution: before.attribution } : {};
    return { ...f, ...keep, state, firstSeen: before?.firstSeen ?? at, lastSeen: at };
  });

  const seen = new Set<string>(findings.map((f) => f.id));
  const resolved: Finding[] = [];
  const held: PriorFinding[] = [];
  for (const p of prior) {
    if (!isOpen(p.state) || seen.has(p.id)) continue;
    // The coverage-gap finding of a surface is about readability itself, so it resolves as soon
    // as the surface is readable again; every other finding of a blind surface is held.
    if (blind.has(p.surface) && p.kind !== 'coverage-gap') { held.push(p); continue; }
    resolved.push(resolvedFinding(p));
  }
  return { current, resolved, held };
}

function resolvedFinding(p: PriorFinding): Finding {
  return {
    id: p.id, kind: p.kind, org: p.org, surface: p.surface, pathText: p.pathText, rule: p.rule,
    title: p.title, severity: p.severity, sensitivity: p.sensitivity, frameworks: p.frameworks,
    ...(p.driftKind ? { driftKind: p.driftKind } : {}),
    message: p.kind === 'coverage-gap'
      ? `Surface ${p.surface} is readable again.`
      : 'No longer present: the change was reverted, or accepted into the baseline.',
    state: 'resolved', firstSeen: p.firstSeen, lastSeen: p.lastSeen,
    ...(p.attribution ? { attribution: p.attribution } : {}),
  };
}
