// The two baseline flows: capture (approve the whole current state) and accept (approve chosen
// drift only). Both read the org fresh, normalize and seal secrets exactly as a check does, so
// a baseline never holds a secret value and never differs from what a check compares.
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { writeBaseline, acceptPaths, type BaselineAuthor, type BaselineCommit } from '../baseline/baseline-repo.ts';
import { prepareSurfaces, rulesForSurface } from './surface-rules.ts';
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

export async function acceptDrift(input: BaselineFlowInput & { readonly paths: readonly { surface: string; pathText: string }[]; readonly reason?: string }, deps: BaselineFlowDeps): Promise<BaselineCommit> {
  const wanted = new Set(input.paths.map((p) => p.surface));
  const { docs } = await readOrg({ ...input, surfaces: input.surfaces.filter((s) => wanted.has(s.id)) }, deps, false);
  return acceptPaths(input.config.baselines.dir, input.org.id, docs, input.paths, { author: input.author, ...(input.reason ? { reason: input.reason } : {}) });
}
