// Drift across every surface of two snapshots' data (surface id -> raw document).
import type { DriftPath, Json } from '../model/findings.ts';
import { surfaceId } from '../model/ids.ts';
import type { NormalizeRules } from '../normalize/types.ts';
import { diffDocuments } from './diff-documents.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/** Surfaces in either map, in sorted order; a surface on one side only is one ADDED/REMOVED at
 *  its root. Pass only surfaces whose data is comparable (a forbidden or failed surface is a
 *  coverage gap, not a removal: leave it out of both maps). */
export function diffSnapshots(
  baseline: Readonly<Record<string, Json>>,
  current: Readonly<Record<string, Json>>,
  rulesFor: (surface: string) => NormalizeRules,
): DriftPath[] {
  const surfaces = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort();
  const out: DriftPath[] = [];
  for (const s of surfaces) {
    const before = hasOwn.call(baseline, s) ? baseline[s] : undefined;
    const after = hasOwn.call(current, s) ? current[s] : undefined;
    for (const d of diffDocuments(surfaceId(s), before, after, rulesFor(s))) out.push(d);
  }
  return out;
}
