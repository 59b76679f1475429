// A finding's identity: a hash of (org, surface, normalized path, rule id) — never of values —
// so the same drift keeps the same id run after run (lifecycle, dedup_key, waivers).
import { createHash } from 'node:crypto';
import { findingId, type FindingId, type OrgId, type RuleId, type SurfaceId } from '../model/ids.ts';

export function makeFindingId(org: OrgId, surface: SurfaceId, pathText: string, rule: RuleId): FindingId {
  const h = createHash('sha256');
  // NUL separators: no field can contain one, so ("a","bc") and ("ab","c") never collide.
  for (const part of [org, surface, pathText, rule]) h.update(part).update('\0');
  return findingId(`dw-${h.digest('hex').slice(0, 24)}`);
}
