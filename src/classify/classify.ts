// Turns drift paths, policy verdicts and coverage gaps into findings. Pure: the policy was
// evaluated by the policy stage; this stage only joins verdicts with rule metadata.
import { makeFindingId } from './finding-id.ts';
import { ruleId, surfaceId, type OrgId, type RuleId } from '../model/ids.ts';
import {
  severityRank, type DriftPath, type Finding, type FrameworkRef, type Sensitivity, type Severity, type SurfaceSnapshot,
} from '../model/findings.ts';

/** What a policy rule says about the findings it produces (from its METADATA). */
export type RuleMeta = {
  readonly rule: RuleId;
  readonly title: string;
  readonly severity: Severity;
  readonly sensitivity: Sensitivity;
  readonly frameworks: readonly FrameworkRef[];
  readonly description?: string;
};

/** What the compiled policies answered for one run. */
export type PolicyVerdicts = {
  /** Rule `rule` matched drift path number `driftIndex` of the input. */
  readonly drift: readonly { readonly rule: string; readonly driftIndex: number }[];
  /** Posture violation in the current state, drifted or not. */
  readonly posture: readonly { readonly rule: string; readonly surface: string; readonly pathText: string; readonly message: string }[];
};

export const UNCLASSIFIED_RULE = ruleId('dw.drift.unclassified');
export const COVERAGE_GAP_RULE = ruleId('dw.coverage.gap');

export type ClassifyInput = {
  readonly org: OrgId;
  readonly drift: readonly DriftPath[];
  /** Surfaces whose status is not ok: each is a coverage gap. */
  readonly gaps: readonly SurfaceSnapshot[];
  readonly verdicts?: PolicyVerdicts;
  readonly rules?: ReadonlyMap<string, RuleMeta>;
  readonly defaultSeverity: Severity;
  /** True when a path holds a secret whatever the policy says (catalog + field names). */
  readonly isSecretPath: (surface: string, pathText: string) => boolean;
};

const UNKNOWN_RULE = (rule: string, defaultSeverity: Severity): RuleMeta => ({
  rule: ruleId(rule), title: rule, severity: defaultSeverity, sensitivity: 'internal', frameworks: [],
});

export function classifyFindings(input: ClassifyInput): Finding[] {
  const rules = input.rules ?? new Map<string, RuleMeta>();
  const findings: Finding[] = [];
  const matched = new Map<number, string[]>();
  for (const v of input.verdicts?.drift ?? []) {
    if (!input.drift[v.driftIndex]) continue;
    const list = matched.get(v.driftIndex) ?? [];
    if (!list.includes(v.rule)) list.push(v.rule);
    matched.set(v.driftIndex, list);
  }
  input.drift.forEach((d, i) => {
    const ruleNames = matched.get(i) ?? [];
    const metas = ruleNames.length
      ? ruleNames.map((r) => rules.get(r) ?? UNKNOWN_RULE(r, input.defaultSeverity))
      : [{ rule: UNCLASSIFIED_RULE, title: 'Configuration drifted from the approved baseline', severity: input.defaultSeverity, sensitivity: 'internal' as Sensitivity, frameworks: [] }];
    const secret = input.isSecretPath(d.surface, d.pathText);
    for (const meta of metas) {
      findings.push({
        id: makeFindingId(input.org, d.surface, d.pathText, meta.rule),
        kind: 'drift',
        org: input.org,
        surface: d.surface,
        pathText: d.pathText,
        rule: meta.rule,
        title: meta.title,
        // Secret drift is always at least high: a changed credential is an incident even if no rule says so.
        severity: secret && severityRank(meta.severity) < severityRank('high') ? 'high' : meta.severity,
        sensitivity: secret ? 'secret' : meta.sensitivity,
        frameworks: meta.frameworks,
        driftKind: d.kind,
        ...(d.old !== undefined ? { old: d.old } : {}),
        ...(d.new !== undefined ? { new: d.new } : {}),
      });
    }
  });
  for (const p of input.verdicts?.posture ?? []) {
    const meta = rules.get(p.rule) ?? UNKNOWN_RULE(p.rule, input.defaultSeverity);
    const surface = surfaceId(p.surface);
    findings.push({
      id: makeFindingId(input.org, surface, p.pathText, meta.rule),
      kind: 'posture', org: input.org, surface, pathText: p.pathText, rule: meta.rule, title: meta.title,
      severity: meta.severity, sensitivity: meta.sensitivity, frameworks: meta.frameworks, message: p.message,
    });
  }
  for (const g of input.gaps) {
    const why = g.missingPermission ? `missing permission ${g.missingPermission}` : g.reason ?? g.status;
    findings.push({
      id: makeFindingId(input.org, g.surface, '', COVERAGE_GAP_RULE),
      kind: 'coverage-gap', org: input.org, surface: g.surface, pathText: '', rule: COVERAGE_GAP_RULE,
      title: `Coverage gap: surface ${g.surface} could not be read (${why})`,
      severity: 'high', sensitivity: 'internal', frameworks: [],
      message: `Monitoring is blind to ${g.surface}: ${why}. Drift on this surface cannot be detected until it is readable again.`,
    });
  }
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.surface.localeCompare(b.surface) || a.pathText.localeCompare(b.pathText) || a.rule.localeCompare(b.rule));
}
