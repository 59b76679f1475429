// The plain data that flows between stages: snapshots, drift paths, findings.
import type { FindingId, OrgId, RuleId, RunId, SurfaceId } from './ids.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SENSITIVITIES = ['public', 'internal', 'confidential', 'secret'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
export type JsonObject = { readonly [k: string]: Json };

/** A path into a normalized document: object keys are strings, array positions are numbers,
 *  and elements of identity-keyed or set arrays are KeyedSegments (rendered `roles[id=abc]`
 *  by `formatPath`). */
export type PathSegment = string | number | KeyedSegment;
/** One element of an identity-keyed array (`entities[id=abc]`: key 'id', value 'abc') or of an
 *  array compared as a set (`ipAddressAllowlist[=10.0.0.0/8]`: key '$value'). Added by the diff
 *  stage; `formatPath`/`parsePath` in src/diff/format-path.ts convert to and from text. */
export type KeyedSegment = { readonly key: string; readonly value: Json };
export type DriftPathSegments = readonly PathSegment[];

export const DRIFT_KINDS = ['ADDED', 'REMOVED', 'MODIFIED'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export type DriftPath = {
  readonly surface: SurfaceId;
  readonly path: DriftPathSegments;
  /** Canonical string form of `path`, e.g. `authentication.ipAddressAllowlist[0]`. */
  readonly pathText: string;
  readonly kind: DriftKind;
  readonly old?: Json;
  readonly new?: Json;
};

export const SURFACE_STATUSES = ['ok', 'forbidden', 'failed', 'skipped'] as const;
export type SurfaceStatus = (typeof SURFACE_STATUSES)[number];

export type SurfaceSnapshot = {
  readonly surface: SurfaceId;
  readonly status: SurfaceStatus;
  /** Why the surface is not `ok`: HTTP status, missing permission, error message. */
  readonly reason?: string;
  readonly missingPermission?: string;
  readonly data?: Json;
};

export const SNAPSHOT_FORMAT_VERSION = 1;
export type Snapshot = {
  readonly formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  readonly org: OrgId;
  readonly region: string;
  readonly takenAt: string;
  readonly toolVersion: string;
  readonly surfaces: readonly SurfaceSnapshot[];
};

export const FINDING_KINDS = ['drift', 'posture', 'coverage-gap'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type FrameworkRef = { readonly framework: string; readonly control: string };

export const FINDING_STATES = ['new', 'ongoing', 'resolved', 'regressed'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

/** A waiver that covers a finding: still recorded and reported, not paged. */
export type WaiverRef = {
  readonly id: string;
  readonly owner: string;
  readonly reason: string;
  readonly ticket?: string;
  readonly expires: string;
  /** 'active', or 'expired' when the waiver ran out (the finding is back, as "waiver expired"). */
  readonly status: 'active' | 'expired';
};

/** The most likely change behind a finding, from the Genesys Audit API. */
export type Attribution = {
  readonly found: boolean;
  readonly user?: string;
  readonly client?: string;
  readonly remoteIp?: string;
  readonly time?: string;
  readonly action?: string;
  readonly property?: string;
  readonly oldValues?: readonly string[];
  readonly newValues?: readonly string[];
  /** Why nothing was found, e.g. "not found in the audit window". */
  readonly note?: string;
};

export type Finding = {
  readonly id: FindingId;
  readonly kind: FindingKind;
  readonly org: OrgId;
  readonly surface: SurfaceId;
  readonly pathText: string;
  readonly rule: RuleId;
  readonly title: string;
  readonly severity: Severity;
  readonly sensitivity: Sensitivity;
  readonly frameworks: readonly FrameworkRef[];
  readonly driftKind?: DriftKind;
  readonly old?: Json;
  readonly new?: Json;
  readonly message?: string;
  /** Lifecycle across runs (set by the lifecycle stage). */
  readonly state?: FindingState;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly waiver?: WaiverRef;
  readonly attribution?: Attribution;
};

export type RunRecord = {
  readonly id: RunId;
  readonly org: OrgId;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: 'clean' | 'drift' | 'coverage-gap' | 'failed';
  readonly surfacesOk: number;
  readonly surfacesTotal: number;
  readonly driftCount: number;
  readonly findingCount: number;
  readonly durationsMs: Readonly<Record<string, number>>;
  readonly policyDigest?: string;
  readonly baselineCommit?: string;
  readonly exitCode: number;
  readonly error?: string;
};
