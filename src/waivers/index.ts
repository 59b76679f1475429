// Waivers: accepted exceptions from waivers.yaml, with owner, reason, ticket and a bounded expiry.
import type { WaiverStage } from '../pipeline/stages.ts';
import { applyWaivers } from './apply-waivers.ts';
import type { Waiver } from './load-waivers.ts';

export { loadWaivers, parseWaivers, WAIVER_CODES, type Waiver, type WaiverPolicy } from './load-waivers.ts';
export { applyWaivers, isExpired, waiverCovers, type ExpiringWaiver, type WaiverOutcome } from './apply-waivers.ts';
export { WAIVERS_SCHEMA, type RawWaiver, type RawWaiversFile } from './schema.ts';

/** The stage run-check calls, over waivers already loaded (and validated) before the run. */
export function createWaivers(waivers: readonly Waiver[], warnDays: number): WaiverStage {
  return { apply: (org, findings, now) => applyWaivers(waivers, findings, now, warnDays, org) };
}
