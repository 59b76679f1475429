// One drift check of one org, start to finish. This is the only place that knows the order of
// the stages; every stage it calls takes plain data and returns plain data.
//
//   snapshot ─▶ normalize ─▶ diff (vs git baseline) ─▶ policy verdicts ─▶ classify ─▶ redact
//            ─▶ route + outbox + deliver ─▶ run record ─▶ report on disk
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { normalizeDocument } from '../normalize/index.ts';
import { diffSnapshots } from '../diff/index.ts';
import { readBaseline } from '../baseline/baseline-repo.ts';
import { classifyFindings, type PolicyVerdicts, type RuleMeta } from '../classify/classify.ts';
import { redactFinding } from '../redact/redact-finding.ts';
import type { RedactionRules } from '../redact/rules.ts';
import type { Redacted } from '../redact/redacted.ts';
import { writeRunReport, type CoverageRow } from '../report/run-report.ts';
import { rulesForSurface, isSecretPathFor, prepareDocument, prepareSurfaces } from './surface-rules.ts';
import { sealSecrets, type SealedSecret } from '../redact/seal-secrets.ts';
import type { GenesysClient } from '../genesys/client.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { newRunId } from '../store/run-id.ts';
import { DwFailure, EXIT, fail, type ExitCode } from '../model/errors.ts';
import { TOOL_VERSION } from '../model/version.ts';
import type { DriftPath, Finding, Json, RunRecord, Snapshot } from '../model/findings.ts';

/** The compiled policy set, as the pipeline sees it: one evaluation per run. */
export interface PolicyEngine {
  readonly digest: string;
  readonly rules: ReadonlyMap<string, RuleMeta>;
  evaluate(input: PolicyInput): Promise<PolicyVerdicts>;
}
export type PolicyInput = {
  readonly org: string;
  readonly snapshot: Readonly<Record<string, Json>>;
  readonly baseline: Readonly<Record<string, Json>>;
  readonly drift: readonly DriftPath[];
  readonly gaps: readonly string[];
};

/** Delivery of the run's redacted findings (routing, outbox, channels). */
export interface Dispatcher {
  dispatch(run: RunRecord, findings: readonly Redacted<Finding>[]): Promise<readonly { channel: string; status: string; detail?: string }[]>;
}

export type RunCheckInput = {
  readonly config: Config;
  readonly org: OrgConfig;
  readonly surfaces: readonly SurfaceDef[];
  readonly reportDir: string;
};

export type RunCheckDeps = {
  readonly client: GenesysClient;
  readonly store: Store;
  readonly redaction: RedactionRules;
  readonly policy?: PolicyEngine;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => Date;
  /** Progress for a TTY; never receives values, only stage names and counts. */
  readonly progress?: (text: string) => void;
};

export type RunOutcome = {
  readonly record: RunRecord;
  readonly snapshot: Snapshot;
  /** Clear secret values seen in this run, for the encrypted vault only. */
  readonly secrets: readonly SealedSecret[];
  readonly drift: readonly DriftPath[];
  readonly findings: readonly Redacted<Finding>[];
  readonly coverage: readonly CoverageRow[];
  readonly report: { readonly json: string; readonly markdown: string };
  readonly exitCode: ExitCode;
};

export async function runCheck(input: RunCheckInput, deps: RunCheckDeps): Promise<RunOutcome> {
  const now = deps.now ?? (() => new Date());
  const progress = deps.progress ?? (() => {});
  const { config, org, surfaces } = input;
  const id = newRunId(now());
  const startedAt = now().toISOString();
  const durations: Record<string, number> = {};
  const timed = async <T>(stage: string, fn: () => Promise<T> | T): Promise<T> => {
    progress(`${org.id}: ${stage}…`);
    const t0 = performance.now();
    try { return await fn(); } finally { durations[stage] = Math.round(performance.now() - t0); }
  };

  // A run that fails before it has findings is still recorded: a blind run is an incident.
  const recordFailure = async (e: unknown): Promise<never> => {
    const message = e instanceof DwFailure ? `${e.error.code} ${e.error.message}` : String(e);
    const exitCode: ExitCode = e instanceof DwFailure && e.error.kind === 'bad-input' ? EXIT.badInput
      : e instanceof DwFailure && e.error.kind !== 'internal' ? EXIT.upstream : EXIT.internal;
    await deps.store.recordRun({
      id, org: org.id, startedAt, finishedAt: now().toISOString(), status: 'failed',
      surfacesOk: 0, surfacesTotal: surfaces.length, driftCount: 0, findingCount: 0,
      durationsMs: durations, exitCode, error: message,
    });
    throw e;
  };

  try {
    // Baseline first: without an approved baseline there is nothing to compare against, and
    // reading it is cheap and local, so bad input is reported before any API call.
    const baseline = await timed('baseline', () => readBaseline(config.baselines.dir, org.id));
    if (baseline.commit === null || Object.keys(baseline.surfaces).length === 0) {
      fail('DW2110', 'bad-input', `no approved baseline for org ${org.id} in ${config.baselines.dir}: run \`driftwarden baseline capture --org ${org.id}\` first`);
    }
    const snapshot = await timed('snapshot', () => takeSnapshot(deps.client, surfaces, {
      org: org.id, region: org.region ?? org.apiBase, toolVersion: TOOL_VERSION, now,
    }));

    const rulesFor = rulesForSurface(surfaces, config.normalize.volatileFields);
    const okSurfaces = snapshot.surfaces.filter((s) => s.status === 'ok');
    const gaps = snapshot.surfaces.filter((s) => s.status !== 'ok');
    const prepared = await timed('normalize', () => prepareSurfaces(okSurfaces, surfaces, rulesFor, deps.redaction));
    const current = prepared.docs;
    // A surface we could not read is a coverage gap, not a removal: leave it out of both sides.
    const approved: Record<string, Json> = {};
    for (const s of okSurfaces) {
      const b = baseline.surfaces[s.surface];
      if (b !== undefined) approved[s.surface] = prepareDocument(s.surface, b, surfaces, rulesFor, deps.redaction).doc;
    }
    const drift = await timed('diff', () => diffSnapshots(approved, current, rulesFor));

    const verdicts = deps.policy
      ? await timed('policy', () => deps.policy!.evaluate({ org: org.id, snapshot: current, baseline: approved, drift, gaps: gaps.map((g) => g.surface) }))
      : undefined;
    const findings = await timed('classify', () => classifyFindings({
      org: org.id, drift, gaps, verdicts, rules: deps.policy?.rules,
      defaultSeverity: config.findings.defaultSeverity,
      isSecretPath: isSecretPathFor(surfaces),
    }));
    const redacted = await timed('redact', () => findings.map((f) => redactFinding(f, deps.redaction)));

    const exitCode: ExitCode = gaps.length > 0 ? EXIT.upstream : findings.length > 0 ? EXIT.drift : EXIT.clean;
    const record: RunRecord = {
      id, org: org.id, startedAt, finishedAt: now().toISOString(),
      status: gaps.length > 0 ? 'coverage-gap' : findings.length > 0 ? 'drift' : 'clean',
      surfacesOk: okSurfaces.length, surfacesTotal: snapshot.surfaces.length,
      driftCount: drift.length, findingCount: findings.length, durationsMs: durations,
      ...(deps.policy ? { policyDigest: deps.policy.digest } : {}),
      ...(baseline.commit ? { baselineCommit: baseline.commit } : {}),
      exitCode,
    };
    const deliveries = deps.dispatcher ? await timed('notify', () => deps.dispatcher!.dispatch(record, redacted)) : [];
    await deps.store.recordRun(record);
    const coverage: CoverageRow[] = snapshot.surfaces.map((s) => ({
      surface: s.surface, status: s.status,
      ...(s.reason ? { reason: s.reason } : {}), ...(s.missingPermission ? { missingPermission: s.missingPermission } : {}),
    }));
    const report = await writeRunReport(input.reportDir, { run: record, coverage, findings: redacted, deliveries });
    progress('');
    return { record, snapshot, secrets: prepared.secrets, drift, findings: redacted, coverage, report, exitCode };
  } catch (e) {
    return recordFailure(e);
  }
}
