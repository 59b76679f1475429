// Builds the attribution stage for one org's API client (undefined when attribution is disabled).
import type { AttributionStage } from '../stages.ts';
import type { StageContext } from './context.ts';
import type { GenesysClient } from '../../genesys/client.ts';
import { createAttribution } from '../../attribution/attribution-stage.ts';

export async function createAttributionStage(ctx: StageContext, client: GenesysClient): Promise<AttributionStage | undefined> {
  if (!ctx.config.attribution.enabled) return undefined;
  return createAttribution(client, { lookbackDays: ctx.config.attribution.lookbackDays });
}
