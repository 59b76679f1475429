// Builds the waivers stage from the config (returns undefined while the stage is not configured).
import type { WaiverStage } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createWaiversStage(_ctx: StageContext): Promise<WaiverStage | undefined> {
  return undefined;
}
