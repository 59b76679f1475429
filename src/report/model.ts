// The data every report format renders: the runs in scope read from the store (run rows plus
// the evidence each run was sealed with: pins, coverage, redacted findings) and the result of
// verifying the evidence chain. Built once; every renderer is a pure function of it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOOL_VERSION } from '../model/version.ts';
import { fail } from '../model/errors.ts';
import { runId as toRunId } from '../model/ids.ts';
import { SEVERITIES, severityRank, type Finding, type RunRecord, type Severity } from '../model/findings.ts';
import type { Redacted } from '../redact/redacted.ts';
import type { SqlExecutor, Store } from '../store/store.ts';
import type { CoverageRow } from './run-report.ts';
import { EVIDENCE_CODES } from '../evidence/codes.ts';
import { findingTexts, recordOfRun } from '../evidence/rows.ts';
import type { EvidenceBody } from '../evidence/record.ts';
import type { VerifyResult } from '../evidence/verify.ts';

export const REPORT_MODEL_VERSION = 1;

export type ReportScope = {
  readonly org: string | null;
  readonly runId: string | null;
  /** Inclusive lower bound on run start (ISO), null = from the first run. */
  readonly from: string | null;
  /** Exclusive upper bound on run start (ISO), null = up to now. */
  readonly to: string | null;
};

export type RunPins = {
  readonly toolVersion: string;
  readonly policyDigest: string | null;
  readonly baselineCommit: string | null;
  readonly configDigest: string;
  readonly snapshotDigests: Readonly<Record<string, string>>;
};

export type RunEvidenceRef = {
  readonly seq: number;
  readonly recordHash: string;
  readonly prevHash: string;
  readonly sealedAt: string;
  readonly keyId: string;
  readonly signature: string;
};

export type RunSection = {
  readonly run: RunRecord;
  /** Where the findings came from: the sealed evidence, the run's report file (runs sealed before
   *  the evidence chain existed), or nowhere (a failed run). */
  readonly source: 'evidence' | 'report-file' | 'none';
  readonly evidence: RunEvidenceRef | null;
  readonly pins: RunPins | null;
  readonly coverage: readonly CoverageRow[];
  readonly findings: readonly Redacted<Finding>[];
  /** Findings of the org's previous sealed run that this run no longer has (state 'resolved'):
   *  lifecycle from the evidence itself, whether or not the lifecycle stage is configured. A
   *  finding on a surface this run could not read is not resolved, only unseen. */
  readonly resolved: readonly Redacted<Finding>[];
};

export type ReportVerification = VerifyResult & { readonly publicKeyPem: string };

export type ReportModel = {
  readonly formatVersion: typeof REPORT_MODEL_VERSION;
  readonly generatedAt: string;
  readonly tool: { readonly name: 'driftwarden'; readonly version: string };
  readonly scope: ReportScope;
  readonly verification: ReportVerification;
  /** Every run in scope, oldest first. */
  readonly runs: readonly RunSection[];
  /** The run per org whose findings are the assessment (the newest that completed). */
  readonly assessed: readonly string[];
};

export type LoadReportOptions = {
  readonly scope: ReportScope;
  readonly verification: ReportVerification;
  readonly now: Date;
  /** Folder of per-run report files, read only for runs that have no evidence record. */
  readonly reportDir?: string;
};

export async function loadReportModel(store: Store, opts: LoadReportOptions): Promise<ReportModel> {
  const runs = await runsInScope(store, opts.scope);
  const sections: RunSection[] = [];
  for (const run of runs) sections.push(await sectionFor(store, run, opts.reportDir));
  return {
    formatVersion: REPORT_MODEL_VERSION,
    generatedAt: opts.now.toISOString(),
    tool: { name: 'driftwarden', version: TOOL_VERSION },
    scope: opts.scope,
    verification: opts.verification,
    runs: sections,
    assessed: assessedRuns(sections),
  };
}

async function runsInScope(store: Store, scope: ReportScope): Promise<readonly RunRecord[]> {
  if (scope.runId) {
    const run = await store.getRun(toRunId(scope.runId));
    if (!run) return fail(EVIDENCE_CODES.runNotFound, 'bad-input', `run ${scope.runId} is not in the run history; \`driftwarden runs\` lists them`);
    if (scope.org && run.org !== scope.org) fail(EVIDENCE_CODES.runNotFound, 'bad-input', `run ${scope.runId} belongs to org ${run.org}, not ${scope.org}`);
    return [run];
  }
  const where: string[] = [];
  const params: string[] = [];
  if (scope.org) { where.push('org = ?'); params.push(scope.org); }
  if (scope.from) { where.push('started_at >= ?'); params.push(scope.from); }
  if (scope.to) { where.push('started_at < ?'); params.push(scope.to); }
  const rows = await store.query(`SELECT id FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at, id`, params);
  const runs: RunRecord[] = [];
  for (const r of rows) { const run = await store.getRun(toRunId(String(r.id))); if (run) runs.push(run); }
  return runs;
}

async function sectionFor(db: SqlExecutor, run: RunRecord, reportDir: string | undefined): Promise<RunSection> {
  const record = await recordOfRun(db, run.id);
  if (record) {
    const body = JSON.parse(record.body) as EvidenceBody;
    const findings = (await findingTexts(db, run.id)).map((t) => JSON.parse(t) as Redacted<Finding>);
    return {
      run, source: 'evidence',
      evidence: { seq: record.seq, recordHash: record.recordHash, prevHash: record.prevHash, sealedAt: record.sealedAt, keyId: record.keyId, signature: record.signature },
      pins: {
        toolVersion: body.pins.toolVersion, policyDigest: body.pins.policyDigest, baselineCommit: body.pins.baselineCommit,
        configDigest: body.pins.configDigest, snapshotDigests: body.pins.snapshotDigests,
      },
      coverage: body.coverage, findings, resolved: await resolvedSince(db, run, body.coverage, findings),
    };
  }
  if (reportDir) {
    try {
      const file = JSON.parse(await readFile(join(reportDir, `${run.id}.json`), 'utf8')) as { coverage?: CoverageRow[]; findings?: Redacted<Finding>[] };
      return { run, source: 'report-file', evidence: null, pins: null, coverage: file.coverage ?? [], findings: file.findings ?? [], resolved: [] };
    } catch { /* no file: a failed run, or one whose report was removed */ }
  }
  return { run, source: 'none', evidence: null, pins: null, coverage: [], findings: [], resolved: [] };
}

async function resolvedSince(db: SqlExecutor, run: RunRecord, coverage: readonly CoverageRow[], findings: readonly Redacted<Finding>[]): Promise<Redacted<Finding>[]> {
  const prev = await db.query(
    'SELECT r.id AS id, r.finished_at AS finished_at FROM runs r JOIN evidence_records e ON e.run_id = r.id WHERE r.org = ? AND (r.started_at < ? OR (r.started_at = ? AND r.id < ?)) ORDER BY r.started_at DESC, r.id DESC LIMIT 1',
    [run.org, run.startedAt, run.startedAt, run.id]);
  if (!prev.length) return [];
  const now = new Set(findings.map((f) => f.id as string));
  const readable = new Set(coverage.filter((c) => c.status === 'ok').map((c) => c.surface));
  return (await findingTexts(db, String(prev[0]!.id)))
    .map((t) => JSON.parse(t) as Redacted<Finding>)
    .filter((f) => !now.has(f.id) && (f.kind === 'coverage-gap' || readable.has(f.surface)))
    .map((f) => ({ ...f, state: 'resolved' as const, lastSeen: f.lastSeen ?? String(prev[0]!.finished_at) }));
}

function assessedRuns(sections: readonly RunSection[]): string[] {
  const latest = new Map<string, RunSection>();
  for (const s of sections) {
    const prev = latest.get(s.run.org);
    // A completed run outranks a failed one; among equals the newest wins (sections are oldest first).
    if (!prev || s.run.status !== 'failed' || prev.run.status === 'failed') latest.set(s.run.org, s);
  }
  return [...latest.values()].sort((a, b) => (a.run.org < b.run.org ? -1 : 1)).map((s) => s.run.id);
}

// ---- Views shared by the renderers -------------------------------------------------------

export const assessedSections = (m: ReportModel): readonly RunSection[] => m.runs.filter((s) => m.assessed.includes(s.run.id));

export const allAssessedFindings = (m: ReportModel): readonly Redacted<Finding>[] =>
  assessedSections(m).flatMap((s) => s.findings).slice().sort(bySeverity);

/** Worst first, then by org. Stable, so within one run the pipeline's order (severity, surface,
 *  path before redaction, rule) is kept: sorting redacted paths would order keyed fingerprints,
 *  which differ between installations. */
export const bySeverity = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) || a.org.localeCompare(b.org);

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** framework -> control -> findings, frameworks and controls sorted. */
export function byFramework(findings: readonly Finding[]): readonly { readonly framework: string; readonly controls: readonly { readonly control: string; readonly findings: readonly Finding[] }[] }[] {
  const map = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    for (const ref of f.frameworks) {
      const controls = map.get(ref.framework) ?? new Map<string, Finding[]>();
      controls.set(ref.control, [...(controls.get(ref.control) ?? []), f]);
      map.set(ref.framework, controls);
    }
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([framework, controls]) => ({
    framework,
    controls: [...controls.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([control, fs]) => ({ control, findings: fs })),
  }));
}

/** The pins of a section as flat label/value lines (for headers, footers and property bags). */
export function pinLines(s: RunSection): readonly { readonly label: string; readonly value: string }[] {
  const p = s.pins;
  return [
    { label: 'run', value: s.run.id },
    { label: 'org', value: s.run.org },
    { label: 'tool version', value: p?.toolVersion ?? 'unknown (run not sealed)' },
    { label: 'policy bundle', value: p?.policyDigest ?? s.run.policyDigest ?? 'none' },
    { label: 'baseline commit', value: p?.baselineCommit ?? s.run.baselineCommit ?? 'none' },
    { label: 'config digest', value: p?.configDigest || 'unknown' },
    ...Object.entries(p?.snapshotDigests ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([surface, d]) => ({ label: `snapshot ${surface}`, value: d })),
    { label: 'evidence record', value: s.evidence ? `#${s.evidence.seq} ${s.evidence.recordHash}` : 'none' },
  ];
}

export const verificationLine = (v: ReportVerification): string =>
  v.valid
    ? `evidence chain VALID: ${v.records} record(s), ${v.snapshotsChecked} snapshot(s) and ${v.findingsChecked} finding(s) re-hashed, head ${v.head ?? 'empty'}, key ${v.keyId}`
    : `evidence chain TAMPERED: ${v.problems.length} problem(s) in ${v.records} record(s): ${v.problems.slice(0, 3).map((p) => `position ${p.position} ${p.code}`).join('; ')}`;
