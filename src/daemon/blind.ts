// The dead-man's switch: an org without a successful complete run (clean or drift) for its window
// gets a CRITICAL "monitoring blind" finding, recorded as a failed run and routed through the
// outbox like any other finding (redacted first).
import { makeFindingId } from '../classify/finding-id.ts';
import { redactFinding } from '../redact/redact-finding.ts';
import type { RedactionRules } from '../redact/rules.ts';
import type { Redacted } from '../redact/redacted.ts';
import type { Outbox, DeliveryOutcome } from '../pipeline/stages.ts';
import type { Store } from '../store/store.ts';
import { newRunId } from '../store/run-id.ts';
import { EXIT } from '../model/errors.ts';
import { ruleId, surfaceId, type OrgId } from '../model/ids.ts';
import type { Finding, RunRecord } from '../model/findings.ts';
import { BLIND_RULE, DAEMON_CODES } from './codes.ts';
import { saveBlindRaised } from './schedule-state.ts';

/** The pseudo-surface the finding is filed under: it concerns the whole org, not one surface. */
export const MONITORING_SURFACE = surfaceId('monitoring');

export type BlindFacts = {
  readonly org: OrgId;
  /** Last successful run's end, or null when the org never had one. */
  readonly lastSuccessAt: string | null;
  /** Since when the org counts as blind (last success, or when monitoring started). */
  readonly since: string;
  readonly windowMs: number;
  /** The failure of the latest run, already a code + message (no secrets: DwFailure text). */
  readonly lastError?: string;
};

export function blindFinding(f: BlindFacts): Finding {
  const minutes = Math.max(1, Math.round(f.windowMs / 60_000));
  const last = f.lastSuccessAt ? `the last successful run ended ${f.lastSuccessAt}` : `no run has succeeded since monitoring started ${f.since}`;
  return {
    id: makeFindingId(f.org, MONITORING_SURFACE, '', ruleId(BLIND_RULE)),
    kind: 'coverage-gap', org: f.org, surface: MONITORING_SURFACE, pathText: '', rule: ruleId(BLIND_RULE),
    title: `Monitoring blind: no successful drift check of ${f.org} for over ${minutes} min`,
    severity: 'critical', sensitivity: 'internal', frameworks: [],
    message: `${last}; drift in this org cannot be detected until a check succeeds again.${f.lastError ? ` Latest failure: ${f.lastError}` : ''}`.slice(0, 1000),
  };
}

/** Records the blind run, its finding in the outbox (same transaction), then delivers. */
export async function raiseBlind(store: Store, facts: BlindFacts, deps: {
  readonly redaction: RedactionRules; readonly outbox?: Outbox; readonly surfacesTotal: number; readonly now: Date;
}): Promise<{ readonly run: RunRecord; readonly finding: Redacted<Finding>; readonly deliveries: readonly DeliveryOutcome[] }> {
  const at = deps.now.toISOString();
  const finding = redactFinding(blindFinding(facts), deps.redaction);
  const run: RunRecord = {
    id: newRunId(deps.now), org: facts.org, startedAt: at, finishedAt: at, status: 'failed',
    surfacesOk: 0, surfacesTotal: deps.surfacesTotal, driftCount: 0, findingCount: 1, durationsMs: {},
    exitCode: EXIT.upstream, error: `${DAEMON_CODES.blind} ${finding.title}`,
  };
  await store.transaction(async (tx) => {
    await tx.recordRun(run);
    await deps.outbox?.enqueue(tx, run, [finding], []);
    await saveBlindRaised(tx, facts.org, at);
  });
  const deliveries = deps.outbox ? await deps.outbox.deliver() : [];
  return { run, finding, deliveries };
}

/** The org is seen again: the blind finding resolves like any other (PagerDuty incidents close
 *  through the outbox), in one transaction with clearing the daemon's marker. */
export async function resolveBlind(store: Store, org: OrgId, deps: {
  readonly redaction: RedactionRules; readonly outbox?: Outbox; readonly run: RunRecord; readonly now: Date;
}): Promise<readonly DeliveryOutcome[]> {
  const at = deps.now.toISOString();
  const resolved = redactFinding({
    ...blindFinding({ org, lastSuccessAt: deps.run.finishedAt, since: at, windowMs: 60_000 }),
    title: `Monitoring restored: ${org} was checked successfully again`,
    message: `Run ${deps.run.id} read every surface of ${org}; the monitoring blind alarm is resolved.`,
    state: 'resolved',
  }, deps.redaction);
  await store.transaction(async (tx) => {
    await deps.outbox?.enqueue(tx, deps.run, [], [resolved]);
    await saveBlindRaised(tx, org, null);
  });
  return deps.outbox ? deps.outbox.deliver() : [];
}
