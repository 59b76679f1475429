// The interfaces run-check uses for the stages that keep state or do I/O. Each is implemented
// in its stage folder and built by a factory in src/pipeline/<stage>.ts; run-check only calls
// them in order. All are optional so a minimal run (tests, first setup) still works.
import type { Store } from '../store/store.ts';
import type { Redacted } from '../redact/redacted.ts';
import type { SealedSecret } from '../redact/seal-secrets.ts';
import type { PolicyVerdicts, RuleMeta } from '../classify/classify.ts';
import type { DriftPath, Finding, Json, RunRecord, Snapshot } from '../model/findings.ts';
import type { OrgId } from '../model/ids.ts';

/** The compiled policy set: one evaluation per run with every drift path and the snapshot. */
export interface PolicyEngine {
  /** sha256 of the policy bundle (sources + data + compiler version), pinned in run records. */
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

/** Finding lifecycle: new / ongoing / resolved / regressed across runs. */
export interface LifecycleStage {
  /** Reads previous state (no writes): the run's findings with `state`, `firstSeen`, `lastSeen`,
   *  plus findings open before that are gone now (state 'resolved'). */
  assess(store: Store, org: OrgId, findings: readonly Finding[], now: Date): Promise<{ readonly current: readonly Finding[]; readonly resolved: readonly Finding[] }>;
  /** Persists the assessment inside the run's transaction. */
  persist(tx: Store, run: RunRecord, current: readonly Finding[], resolved: readonly Finding[]): Promise<void>;
}

/** Waivers from waivers.yaml: marks covered findings (still recorded, never paged). */
export interface WaiverStage {
  /** `org` is the org being checked: only its waivers are listed as expiring soon. */
  apply(org: OrgId, findings: readonly Finding[], now: Date): { readonly findings: readonly Finding[]; readonly expiringSoon: readonly { readonly id: string; readonly owner: string; readonly expires: string }[] };
}

/** Who changed it: attaches the most likely Audit API record to each drift finding. */
export interface AttributionStage {
  attribute(org: OrgId, findings: readonly Finding[], since: Date, now: Date): Promise<readonly Finding[]>;
}

/** Durable outbox: messages are written in the run's transaction, delivered after commit. */
export interface Outbox {
  enqueue(tx: Store, run: RunRecord, findings: readonly Redacted<Finding>[], resolved: readonly Redacted<Finding>[]): Promise<number>;
  /** Delivers everything pending (this run's and any left by an earlier crash). */
  deliver(): Promise<readonly DeliveryOutcome[]>;
}
export type DeliveryOutcome = { readonly channel: string; readonly status: string; readonly detail?: string };

/** The encrypted audit vault: clear secret values seen in a run, sealed with AES-256-GCM. */
export interface SecretVault {
  deposit(tx: Store, run: RunRecord, secrets: readonly SealedSecret[]): Promise<void>;
}

/** Evidence chain: each run record hash-chained to the previous and signed. */
export interface EvidenceRecorder {
  seal(tx: Store, run: RunRecord, pins: EvidencePins): Promise<void>;
}
export type EvidencePins = {
  readonly snapshot: Snapshot;
  readonly snapshotDigests: Readonly<Record<string, string>>;
  readonly configDigest: string;
  readonly findings: readonly Redacted<Finding>[];
  /** The normalized, secret-sealed documents the digests are of, so evidence can keep them. */
  readonly documents?: Readonly<Record<string, Json>>;
};
