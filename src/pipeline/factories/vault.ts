// Builds the vault stage. Always on: every run's clear secret values must go somewhere safe, so
// the key is loaded (or generated, 0600) here, before any API call, and a bad key stops the run.
import { join } from 'node:path';
import type { SecretVault } from '../stages.ts';
import type { StageContext } from './context.ts';
import { createVault, findingsFromReports, loadVaultKey } from '../../vault/index.ts';

export async function createVaultStage(ctx: StageContext): Promise<SecretVault | undefined> {
  const key = loadVaultKey(ctx.stateDir, ctx.env);
  return createVault({
    store: ctx.store,
    key: () => key,
    revealWindowMinutes: ctx.config.vault.revealWindowMinutes,
    ...(ctx.now ? { now: ctx.now } : {}),
    findings: findingsFromReports(join(ctx.stateDir, 'reports')),
  });
}
