// One drift check of one org, start to finish. This is the only place that knows the order of
// the stages; every stage it calls takes plain data and returns plain data (stateful stages
// are interfaces from ./stages.ts, injected by the caller).
//
//   baseline ─▶ snapshot ─▶ normalize + seal secrets ─▶ diff ─▶ policy verdicts ─▶ classify
//   ─▶ lifecycle ─▶ waivers ─▶ attribution ─▶ redact
//   ─▶ one transaction: run record, lifecycle, outbox, vault, evidence ─▶ deliver ─▶ report
import { sha256Digest } from '../model/digest.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { diffSnapshots } from '../diff/index.ts';
import { canonicalJson } from '../normalize/index.ts';
import { readBaseline } from '../baseline/baseline-repo.ts';
import { classifyFindings } from '../classify/classify.ts';
import { redactFinding } from '../redact/redact-finding.ts';
import type { RedactionRules } from '../redact/rules.ts';
import type { Redacted } from '../redact/redacted.ts';
import type { SealedSecret } from '../redact/seal-secrets.ts';
import { writeRunReport, type CoverageRow } from '../report/run-report.ts';
import { rulesForSurface, isSecretPathFor, prepareDocument, prepareSurfaces } from './surface-rules.ts';
import type {
  AttributionStage, DeliveryOutcome, EvidenceRecorder, LifecycleStage, Outbox, PolicyEngine, SecretVault, WaiverStage,
} from './stages.ts';
import type { GenesysClient } from '../genesys/client.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { newRunId } from '../store/run-id.ts';
import { DwFailure, EXIT, fail, type ExitCode } from '../model/errors.ts';
import { TOOL_VERSION } from '../model/version.ts';
import type { DriftPath, Finding, Json, RunRecord, Snapshot } from '../model/findings.ts';

export type { PolicyEngine, PolicyInput } from './stages.ts';

export type RunCheckInput = {
  readonly config: Config;
  readonly org: OrgConfig;
  readonly surfaces: readonly SurfaceDef[];
  readonly reportDir: string;
  /** sha256 of the config file's text, pinned in the evidence record. */
  readonly configDigest?: string;
};

export type RunCheckDeps = {
  readonly client: GenesysClient;
  readonly store: Store;
  readonly redaction: RedactionRules;
  readonly policy?: PolicyEngine;
  readonly lifecycle?: LifecycleStage;
  readonly waivers?: WaiverStage;
  readonly attribution?: AttributionStage;
  readonly outbox?: Outbox;
  readonly vault?: SecretVault;
  readonly evidence?: EvidenceRecorder;
  readonly now?: () => Date;
  /** Progress for a TTY; never receives values, only stage names. */
  readonly progress?: (text: string) => void;
};

export type RunOutcome = {
  readonly record: RunRecord;
  readonly snapshot: Snapshot;
  /** Clear secret values seen in this run: handed to the vault only, never shown. */
  readonly secrets: readonly SealedSecret[];
  readonly drift: readonly DriftPath[];
  readonly findings: readonly Redacted<Finding>[];
  readonly resolved: readonly Redacted<Finding>[];
  readonly expiringWaivers: readonly { readonly id: string; readonly owner: string; readonly expires: string }[];
  readonly coverage: readonly CoverageRow[];
  readonly deliveries: readonly DeliveryOutcome[];
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

  let recorded = false;
  try {
    // Baseline first: without an approved baseline there is nothing to compare against, and
    // reading it is local, so bad input is reported before any API call.
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
    let findings: readonly Finding[] = await timed('classify', () => classifyFindings({
      org: org.id, drift, gaps, verdicts, rules: deps.policy?.rules,
      defaultSeverity: config.findings.defaultSeverity,
      isSecretPath: isSecretPathFor(surfaces),
    }));
    let resolved: readonly Finding[] = [];
    if (deps.lifecycle) {
      const assessed = await timed('lifecycle', () => deps.lifecycle!.assess(deps.store, org.id, findings, now()));
      findings = assessed.current;
      resolved = assessed.resolved;
    }
    let expiringWaivers: RunOutcome['expiringWaivers'] = [];
    if (deps.waivers) {
      const w = deps.waivers.apply(org.id, findings, now());
      findings = w.findings;
      expiringWaivers = w.expiringSoon;
    }
    if (deps.attribution && findings.some((f) => f.kind === 'drift' && f.state !== 'ongoing')) {
      // The change happened since the baseline was approved; the audit window looks back from now.
      findings = await timed('attribution', () => deps.attribution!.attribute(org.id, findings, new Date(now().getTime() - config.attribution.lookbackDays * 86_400_000), now()));
    }
    const redacted = await timed('redact', () => findings.map((f) => redactFinding(f, deps.redaction)));
    const redactedResolved = resolved.map((f) => redactFinding(f, deps.redaction));

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
    // Everything the run decided is committed together: a crash leaves either all of it
    // (and the outbox delivers it later) or none of it (and the next run decides again).
    await timed('record', () => deps.store.transaction(async (tx) => {
      await tx.recordRun(record);
      await deps.lifecycle?.persist(tx, record, findings, resolved);
      await deps.outbox?.enqueue(tx, record, redacted, redactedResolved);
      await deps.vault?.deposit(tx, record, prepared.secrets);
      await deps.evidence?.seal(tx, record, {
        snapshot, findings: redacted, configDigest: input.configDigest ?? '', documents: current,
        snapshotDigests: Object.fromEntries(Object.entries(current).map(([s, doc]) => [s, sha256Digest(canonicalJson(doc))])),
      });
    }));
    recorded = true;
    const deliveries = deps.outbox ? await timed('notify', () => deps.outbox!.deliver()) : [];
    const coverage: CoverageRow[] = snapshot.surfaces.map((s) => ({
      surface: s.surface, status: s.status,
      ...(s.reason ? { reason: s.reason } : {}), ...(s.missingPermission ? { missingPermission: s.missingPermission } : {}),
    }));
    const report = await writeRunReport(input.reportDir, { run: record, coverage, findings: redacted, deliveries });
    progress('');
    return {
      record, snapshot, secrets: prepared.secrets, drift, findings: redacted, resolved: redactedResolved,
      expiringWaivers, coverage, deliveries, report, exitCode,
    };
  } catch (e) {
    // A run that fails upstream is still recorded: a blind run is an incident, not a gap in the
    // history. Bad input is the exception: it was refused before anything ran, nothing is written.
    const badInput = e instanceof DwFailure && e.error.kind === 'bad-input';
    if (!recorded && !badInput) {
      const message = e instanceof DwFailure ? `${e.error.code} ${e.error.message}` : String(e);
      const exitCode: ExitCode = e instanceof DwFailure && e.error.kind !== 'internal' ? EXIT.upstream : EXIT.internal;
      await deps.store.recordRun({
        id, org: org.id, startedAt, finishedAt: now().toISOString(), status: 'failed',
        surfacesOk: 0, surfacesTotal: surfaces.length, driftCount: 0, findingCount: 0,
        durationsMs: durations, exitCode, error: message,
      }).catch(() => { /* the original error matters more than a failed history write */ });
    }
    throw e;
  }
}
