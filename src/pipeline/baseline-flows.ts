// The two baseline flows: capture (approve the whole current state) and accept (approve chosen
// drift only). Both read the org fresh, normalize and seal secrets exactly as a check does, so
// a baseline never holds a secret value and never differs from what a check compares.
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { writeBaseline, acceptPaths, type BaselineAuthor, type BaselineCommit } from '../baseline/baseline-repo.ts';
import { prepareDocument, prepareSurfaces, rulesForSurface } from './surface-rules.ts';
import { readBaseline } from '../baseline/baseline-repo.ts';
import { diffSnapshots } from '../diff/index.ts';
import { makeFindingId } from '../classify/finding-id.ts';
import { UNCLASSIFIED_RULE } from '../classify/classify.ts';
import { ruleId } from '../model/ids.ts';
import type { GenesysClient } from '../genesys/client.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import type { RedactionRules } from '../redact/rules.ts';
import type { SurfaceSnapshot } from '../model/findings.ts';
import { fail } from '../model/errors.ts';
import { TOOL_VERSION } from '../model/version.ts';

export type BaselineFlowInput = {
  readonly config: Config;
  readonly org: OrgConfig;
  readonly surfaces: readonly SurfaceDef[];
  readonly author: BaselineAuthor;
};
export type BaselineFlowDeps = { readonly client: GenesysClient; readonly redaction: RedactionRules; readonly now?: () => Date };

async function readOrg(input: BaselineFlowInput, deps: BaselineFlowDeps, allowGaps: boolean) {
  const snapshot = await takeSnapshot(deps.client, input.surfaces, {
    org: input.org.id, region: input.org.region ?? input.org.apiBase, toolVersion: TOOL_VERSION, ...(deps.now ? { now: deps.now } : {}),
  });
  const gaps = snapshot.surfaces.filter((s) => s.status !== 'ok');
  if (gaps.length && !allowGaps) {
    // Approving a baseline we could only partly read would make the unread part look approved.
    fail('DW4210', 'coverage', `cannot approve a baseline for ${input.org.id}: ${gaps.length} surface(s) unreadable (${gaps.map(describeGap).join('; ')}); fix the permissions or pass --allow-gaps`);
  }
  const ok = snapshot.surfaces.filter((s) => s.status === 'ok');
  return { gaps, docs: prepareSurfaces(ok, input.surfaces, rulesForSurface(input.surfaces, input.config.normalize.volatileFields), deps.redaction).docs };
}

export const describeGap = (g: SurfaceSnapshot): string =>
  `${g.surface}: ${g.missingPermission ? `missing permission ${g.missingPermission}` : g.reason ?? g.status}`;

export async function captureBaseline(input: BaselineFlowInput & { readonly allowGaps?: boolean; readonly message?: string }, deps: BaselineFlowDeps): Promise<BaselineCommit & { readonly surfaces: number; readonly gaps: readonly SurfaceSnapshot[] }> {
  const { gaps, docs } = await readOrg(input, deps, input.allowGaps ?? false);
  const commit = await writeBaseline(input.config.baselines.dir, input.org.id, docs, {
    author: input.author,
    message: input.message ?? `baseline: capture ${input.org.id} (${Object.keys(docs).length} surfaces) by ${input.author.name}`,
    replace: gaps.length === 0,
  });
  return { ...commit, surfaces: Object.keys(docs).length, gaps };
}

/** A drift to accept: `surface:path` as diffed, or a finding id as printed by `check`
 *  (finding paths are shown redacted, so the id is the reliable handle). */
export type AcceptTarget = { readonly surface: string; readonly pathText: string } | { readonly findingId: string };

export async function acceptDrift(input: BaselineFlowInput & { readonly targets: readonly AcceptTarget[]; readonly ruleIds: readonly string[]; readonly reason?: string }, deps: BaselineFlowDeps): Promise<BaselineCommit & { readonly paths: readonly { surface: string; pathText: string }[] }> {
  const byId = input.targets.filter((t): t is { findingId: string } => 'findingId' in t);
  const direct = input.targets.filter((t): t is { surface: string; pathText: string } => 'surface' in t);
  const wanted = new Set(direct.map((p) => p.surface));
  const { docs } = await readOrg({ ...input, surfaces: byId.length ? input.surfaces : input.surfaces.filter((s) => wanted.has(s.id)) }, deps, false);
  const paths = [...direct];
  if (byId.length) {
    // Re-derive today's drift and the ids `check` gives it, then map the ids back to paths.
    const rulesFor = rulesForSurface(input.surfaces, input.config.normalize.volatileFields);
    const baseline = await readBaseline(input.config.baselines.dir, input.org.id);
    const approved = Object.fromEntries(Object.entries(baseline.surfaces).filter(([s]) => s in docs)
      .map(([s, doc]) => [s, prepareDocument(s, doc, input.surfaces, rulesFor, deps.redaction).doc]));
    const ids = new Map<string, { surface: string; pathText: string }>();
    for (const d of diffSnapshots(approved, docs, rulesFor)) {
      for (const rule of [UNCLASSIFIED_RULE, ...input.ruleIds]) ids.set(makeFindingId(input.org.id, d.surface, d.pathText, ruleId(rule)), { surface: d.surface, pathText: d.pathText });
    }
    for (const t of byId) {
      const p = ids.get(t.findingId);
      if (!p) return fail('DW1025', 'bad-input', `finding ${t.findingId} is not current drift of ${input.org.id}; run \`driftwarden check\` and use an id it prints`);
      paths.push(p);
    }
  }
  const commit = await acceptPaths(input.config.baselines.dir, input.org.id, docs, paths, { author: input.author, ...(input.reason ? { reason: input.reason } : {}) });
  return { ...commit, paths };
}
