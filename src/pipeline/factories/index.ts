// Builds every optional stage a check uses, from the config. One place, so commands agree.
import { createPolicyStage } from './policy.ts';
import { createLifecycleStage } from './lifecycle.ts';
import { createWaiversStage } from './waivers.ts';
import { createOutboxStage } from './outbox.ts';
import { createVaultStage } from './vault.ts';
import { createEvidenceStage } from './evidence.ts';
import type { StageContext } from './context.ts';
import type { EvidenceRecorder, LifecycleStage, Outbox, PolicyEngine, SecretVault, WaiverStage } from '../stages.ts';

export type { StageContext } from './context.ts';
export { createAttributionStage } from './attribution.ts';

export type Stages = {
  readonly policy?: PolicyEngine;
  readonly lifecycle?: LifecycleStage;
  readonly waivers?: WaiverStage;
  readonly outbox?: Outbox;
  readonly vault?: SecretVault;
  readonly evidence?: EvidenceRecorder;
};

const defined = <K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : { [k]: v } as Record<K, V>);

export async function createStages(ctx: StageContext): Promise<Stages> {
  return {
    ...defined('policy', await createPolicyStage(ctx)),
    ...defined('lifecycle', await createLifecycleStage(ctx)),
    ...defined('waivers', await createWaiversStage(ctx)),
    ...defined('outbox', await createOutboxStage(ctx)),
    ...defined('vault', await createVaultStage(ctx)),
    ...defined('evidence', await createEvidenceStage(ctx)),
  };
}
