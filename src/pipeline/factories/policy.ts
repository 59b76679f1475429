// Builds the policy engine: compiles the configured policy folders into one bundle (cached by
// content hash under the state folder, so repeated runs do not recompile).
import { join } from 'node:path';
import { buildBundle, collectRegoFiles } from '../../policy/bundle.ts';
import { createPolicyEngine, ENTRYPOINT } from '../../policy/engine.ts';
import type { PolicyEngine } from '../stages.ts';
import type { StageContext } from './context.ts';

export async function createPolicyStage(ctx: StageContext): Promise<PolicyEngine | undefined> {
  const { dirs, data } = ctx.config.policies;
  if (dirs.length === 0 || collectRegoFiles(dirs).length === 0) return undefined;
  const bundle = buildBundle({ dirs, dataFiles: data, entrypoints: [ENTRYPOINT], base: ctx.config.dir, cacheDir: join(ctx.stateDir, 'cache', 'policy') });
  return createPolicyEngine(bundle);
}
