// Builds the waivers stage: loads waivers.yaml up front, all-or-nothing, so a malformed or
// over-long waiver stops `check` (exit 2, file:line:col) before any API call or run record.
import type { WaiverStage } from '../stages.ts';
import type { StageContext } from './context.ts';
import { createWaivers, loadWaivers } from '../../waivers/index.ts';

export async function createWaiversStage(ctx: StageContext): Promise<WaiverStage | undefined> {
  if (ctx.config.waivers === null) return undefined;
  const now = ctx.now?.() ?? new Date();
  const waivers = loadWaivers(ctx.config.waivers, { maxDays: ctx.config.waiverPolicy.maxDays }, now);
  return createWaivers(waivers, ctx.config.waiverPolicy.warnDays);
}
