// Builds the vault stage from the config (returns undefined while the stage is not configured).
import type { SecretVault } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createVaultStage(_ctx: StageContext): Promise<SecretVault | undefined> {
  return undefined;
}
