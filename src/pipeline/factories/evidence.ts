// Builds the evidence stage from the config (returns undefined while the stage is not configured).
import type { EvidenceRecorder } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createEvidenceStage(_ctx: StageContext): Promise<EvidenceRecorder | undefined> {
  return undefined;
}
