// Builds the lifecycle stage. Always on: it needs only the store, which every check has.
import type { LifecycleStage } from '../stages.ts';
import type { StageContext } from './context.ts';
import { createLifecycle } from '../../lifecycle/lifecycle-stage.ts';

export async function createLifecycleStage(ctx: StageContext): Promise<LifecycleStage | undefined> {
  return createLifecycle(ctx.redaction);
}
