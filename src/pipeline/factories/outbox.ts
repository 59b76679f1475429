// Builds the outbox stage from the config (returns undefined while the stage is not configured).
import type { Outbox } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createOutboxStage(_ctx: StageContext): Promise<Outbox | undefined> {
  return undefined;
}
