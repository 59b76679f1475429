// One check of one org, assembled exactly as `driftwarden check` does it: credentials from the
// org's provider, an API client, the optional stages, runCheck. `check` and the daemon both call
// this, so a scheduled run and a manual run cannot drift apart.
import { sha256Digest } from '../model/digest.ts';
import { readFileSync } from 'node:fs';
import { credentialProviderFor } from '../auth/providers/index.ts';
import { connectOrg } from './connect.ts';
import { runCheck, type RunOutcome } from './run-check.ts';
import { createAttributionStage, createStages, type StageContext, type Stages } from './factories/index.ts';
import { newRunId } from '../store/run-id.ts';
import { DwFailure, EXIT } from '../model/errors.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import type { RedactionRules } from '../redact/rules.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';

/** Everything shared by the checks of one invocation (one `check`, one daemon lifetime). */
export type CheckSetup = {
  readonly config: Config;
  readonly store: Store;
  readonly env: NodeJS.ProcessEnv;
  readonly surfaces: readonly SurfaceDef[];
  readonly redaction: RedactionRules;
  readonly reportDir: string;
  readonly configDigest: string;
  readonly stageCtx: StageContext;
  readonly stages: Stages;
};

export type CheckSetupInput = Omit<CheckSetup, 'stageCtx' | 'stages' | 'configDigest'> & { readonly stateDir: string; readonly configDigest?: string };

/** sha256 of the config file's bytes, pinned in evidence records. */
export const configDigestOf = (config: Config): string => sha256Digest(readFileSync(config.file));

/** Builds the stages once (policy compile, outbox, vault keys ...) for every check that follows. */
export async function prepareChecks(input: CheckSetupInput): Promise<CheckSetup> {
  const { stateDir, ...rest } = input;
  const stageCtx: StageContext = { config: input.config, store: input.store, env: input.env, redaction: input.redaction, stateDir };
  const stages = await createStages(stageCtx);
  return { ...rest, configDigest: input.configDigest ?? configDigestOf(input.config), stageCtx, stages };
}

export type CheckOrgOptions = {
  /** Stage names as they start (TTY progress). May throw to abort the run at a stage boundary:
   *  runCheck then records the run as failed. */
  readonly progress?: (text: string) => void;
};

export async function checkOrg(setup: CheckSetup, org: OrgConfig, opts: CheckOrgOptions = {}): Promise<RunOutcome> {
  const { config, store } = setup;
  let credentials;
  const startedAt = new Date().toISOString();
  try {
    credentials = await credentialProviderFor(org, setup.env).get();
  } catch (e) {
    // A secret store that is down makes the org as blind as a revoked token: recorded like a run
    // that failed upstream (runCheck does the same for failures after this point).
    if (e instanceof DwFailure && e.error.kind !== 'bad-input') {
      await store.recordRun({
        id: newRunId(), org: org.id, startedAt, finishedAt: new Date().toISOString(), status: 'failed',
        surfacesOk: 0, surfacesTotal: setup.surfaces.length, driftCount: 0, findingCount: 0, durationsMs: {},
        exitCode: e.error.kind === 'internal' ? EXIT.internal : EXIT.upstream, error: `${e.error.code} ${e.error.message}`,
      }).catch(() => { /* the original error matters more */ });
    }
    throw e;
  }
  const { client } = connectOrg(config, org, { env: setup.env, credentials });
  try {
    const attribution = await createAttributionStage(setup.stageCtx, client);
    return await runCheck({ config, org, surfaces: setup.surfaces, reportDir: setup.reportDir, configDigest: setup.configDigest }, {
      client, store, redaction: setup.redaction, ...setup.stages, ...(attribution ? { attribution } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
    });
  } finally { await client.close(); }
}
