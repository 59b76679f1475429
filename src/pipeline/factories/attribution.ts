// Builds the attribution stage for one org's API client.
import type { AttributionStage } from '../stages.ts';
import type { StageContext } from './context.ts';
import type { GenesysClient } from '../../genesys/client.ts';

export async function createAttributionStage(_ctx: StageContext, _client: GenesysClient): Promise<AttributionStage | undefined> {
  return undefined;
}
