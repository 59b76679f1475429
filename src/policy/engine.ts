// The policy stage as the pipeline sees it: one evaluation of the bundle per run, with every
// drift path and the normalized snapshot in one input; verdicts joined with rule METADATA.
import { loadCompiledPolicy } from './runtime/index.ts';
import type { PolicyBundle } from './bundle.ts';
import type { Annotation } from './compiler/ast.ts';
import type { PolicyVerdicts, RuleMeta } from '../classify/classify.ts';
import type { PolicyEngine, PolicyInput } from '../pipeline/stages.ts';
import { SENSITIVITIES, SEVERITIES, type FrameworkRef, type Sensitivity, type Severity } from '../model/findings.ts';
import { fail } from '../model/errors.ts';
import { ruleId } from '../model/ids.ts';

/** Rules live in these packages; the engine evaluates `data.driftwarden` once and reads both. */
export const DRIFT_PACKAGE = 'driftwarden.drift';
export const POSTURE_PACKAGE = 'driftwarden.posture';
export const ENTRYPOINT = 'driftwarden';

export async function createPolicyEngine(bundle: PolicyBundle): Promise<PolicyEngine> {
  const policy = await loadCompiledPolicy(bundle.module.wasm, { data: { config: bundle.data } });
  const rules = rulesFromAnnotations(bundle.module.annotations);
  return {
    digest: bundle.digest,
    rules,
    async evaluate(input: PolicyInput): Promise<PolicyVerdicts> {
      const rows = policy.evaluate(input, ENTRYPOINT);
      const doc = (rows[0]?.result ?? {}) as { drift?: Record<string, unknown>; posture?: Record<string, unknown> };
      return verdictsOf(doc, input.drift.length);
    },
  };
}

function verdictsOf(doc: { drift?: Record<string, unknown>; posture?: Record<string, unknown> }, driftCount: number): PolicyVerdicts {
  const drift: { rule: string; driftIndex: number }[] = [];
  for (const [name, matches] of Object.entries(doc.drift ?? {})) {
    if (!Array.isArray(matches)) continue; // helper rules of the package, not classifications
    for (const i of matches) if (Number.isInteger(i) && i >= 0 && i < driftCount) drift.push({ rule: `${DRIFT_PACKAGE}.${name}`, driftIndex: i as number });
  }
  const posture: { rule: string; surface: string; pathText: string; message: string }[] = [];
  for (const [name, items] of Object.entries(doc.posture ?? {})) {
    if (!Array.isArray(items)) continue;
    for (const v of items as { surface?: unknown; path?: unknown; message?: unknown }[]) {
      if (v && typeof v === 'object' && typeof v.surface === 'string') {
        posture.push({ rule: `${POSTURE_PACKAGE}.${name}`, surface: v.surface, pathText: typeof v.path === 'string' ? v.path : '', message: typeof v.message === 'string' ? v.message : '' });
      }
    }
  }
  return { drift, posture };
}

/** Rule metadata from `# METADATA` blocks of rules in the drift and posture packages. */
export function rulesFromAnnotations(annotations: readonly Annotation[]): Map<string, RuleMeta> {
  const rules = new Map<string, RuleMeta>();
  for (const a of annotations) {
    if (a.scope !== 'rule' && a.scope !== 'document') continue;
    const path = a.path.replace(/^data\./, '');
    if (!path.startsWith(`${DRIFT_PACKAGE}.`) && !path.startsWith(`${POSTURE_PACKAGE}.`)) continue;
    const custom = a.custom ?? {};
    const where = { file: a.pos.file, line: a.pos.line, col: a.pos.col };
    const severity = custom.severity ?? 'medium';
    const sensitivity = custom.sensitivity ?? 'internal';
    if (!SEVERITIES.includes(severity as Severity)) fail('DW3404', 'bad-input', `METADATA of ${path}: severity must be one of ${SEVERITIES.join(', ')}, found ${JSON.stringify(severity)}`, where);
    if (!SENSITIVITIES.includes(sensitivity as Sensitivity)) fail('DW3405', 'bad-input', `METADATA of ${path}: sensitivity must be one of ${SENSITIVITIES.join(', ')}, found ${JSON.stringify(sensitivity)}`, where);
    const frameworks = Array.isArray(custom.frameworks) ? custom.frameworks : [];
    const refs: FrameworkRef[] = frameworks.map((f, i) => {
      const fw = f as { framework?: unknown; control?: unknown };
      if (typeof fw?.framework !== 'string' || (typeof fw.control !== 'string' && typeof fw.control !== 'number')) {
        return fail('DW3406', 'bad-input', `METADATA of ${path}: frameworks[${i}] needs framework and control`, where);
      }
      return { framework: fw.framework, control: String(fw.control) };
    });
    rules.set(path, {
      rule: ruleId(path), title: a.title ?? path, severity: severity as Severity, sensitivity: sensitivity as Sensitivity,
      frameworks: refs, ...(a.description ? { description: a.description } : {}),
    });
  }
  return rules;
}
