// Builds the lifecycle stage from the config (returns undefined while the stage is not configured).
import type { LifecycleStage } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createLifecycleStage(_ctx: StageContext): Promise<LifecycleStage | undefined> {
  return undefined;
}
