// `--format sarif`: SARIF 2.1.0, one SARIF run per assessed driftwarden run. A finding is a
// result at a logical location `<surface>:<path>`; its rule carries the policy's title and
// framework controls; an active waiver is an accepted external suppression; the lifecycle
// state maps to baselineState. Pins and the verify result travel in property bags.
import { SEVERITIES, type Finding, type Severity } from '../model/findings.ts';
import type { Redacted } from '../redact/redacted.ts';
import { assessedSections, bySeverity, pinLines, verificationLine, type ReportModel, type RunSection } from './model.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const BASELINE_STATE = { new: 'new', ongoing: 'unchanged', regressed: 'new', resolved: 'absent' } as const;

export function renderSarifReport(m: ReportModel): string {
  const runs = assessedSections(m).map((s) => sarifRun(m, s));
  return JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs }, null, 2) + '\n';
}

function sarifRun(m: ReportModel, s: RunSection): object {
  const findings = s.findings.slice().sort(bySeverity);
  const resolved = s.resolved.slice().sort(bySeverity);
  const rules = [...new Map([...resolved, ...findings].map((f) => [f.rule as string, f])).values()].sort((a, b) => a.rule.localeCompare(b.rule));
  const ruleIndex = new Map(rules.map((f, i) => [f.rule as string, i]));
  return {
    tool: {
      driver: {
        name: 'driftwarden',
        version: m.tool.version,
        rules: rules.map((f) => ({
          id: f.rule,
          name: f.rule,
          shortDescription: { text: f.title },
          defaultConfiguration: { level: LEVEL[f.severity] },
          properties: {
            tags: [...new Set(f.frameworks.map((r) => r.framework))].sort(),
            frameworks: f.frameworks.map((r) => ({ framework: r.framework, control: r.control })),
            severity: f.severity,
          },
        })),
      },
    },
    automationDetails: { id: `driftwarden/${s.run.org}/${s.run.id}` },
    invocations: [{
      executionSuccessful: s.run.status !== 'failed',
      startTimeUtc: s.run.startedAt,
      endTimeUtc: s.run.finishedAt,
      exitCode: s.run.exitCode,
      ...(s.run.error ? { toolExecutionNotifications: [{ level: 'error', message: { text: s.run.error } }] } : {}),
    }],
    ...(s.run.baselineCommit ? { versionControlProvenance: [{ repositoryUri: 'urn:driftwarden:baselines', revisionId: s.run.baselineCommit }] } : {}),
    // Resolved since the org's previous run: a passing result whose baseline state is "absent".
    results: [...findings.map((f) => result(f, ruleIndex.get(f.rule) ?? 0)), ...resolved.map((f) => ({ ...result(f, ruleIndex.get(f.rule) ?? 0), level: 'none', kind: 'pass' }))],
    properties: {
      org: s.run.org,
      runId: s.run.id,
      status: s.run.status,
      coverage: s.coverage.map((c) => ({ ...c })),
      pins: Object.fromEntries(pinLines(s).map((p) => [p.label, p.value])),
      verification: { valid: m.verification.valid, summary: verificationLine(m.verification), head: m.verification.head, keyId: m.verification.keyId, problems: m.verification.problems.map((p) => ({ ...p })) },
    },
  };
}

function result(f: Redacted<Finding>, ruleIndex: number): object {
  const waived = f.waiver?.status === 'active';
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: messageOf(f) },
    locations: [{
      logicalLocations: [{ fullyQualifiedName: f.pathText ? `${f.surface}:${f.pathText}` : f.surface, name: f.pathText || f.surface, kind: 'member' }],
    }],
    partialFingerprints: { 'driftwardenFindingId/v1': f.id },
    ...(f.state ? { baselineState: BASELINE_STATE[f.state] } : {}),
    ...(waived ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `waiver ${f.waiver!.id} (${f.waiver!.owner}) until ${f.waiver!.expires}: ${f.waiver!.reason}` }] } : {}),
    properties: {
      severity: f.severity,
      severityRank: SEVERITIES.indexOf(f.severity),
      sensitivity: f.sensitivity,
      findingKind: f.kind,
      surface: f.surface,
      path: f.pathText,
      ...(f.driftKind ? { driftKind: f.driftKind } : {}),
      ...(f.old !== undefined ? { old: f.old } : {}),
      ...(f.new !== undefined ? { new: f.new } : {}),
      ...(f.state ? { state: f.state } : {}),
      ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
      ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}),
      ...(f.waiver ? { waiver: { ...f.waiver } } : {}),
      ...(f.attribution ? { attribution: { ...f.attribution } } : {}),
    },
  };
}

export function messageOf(f: Finding): string {
  const where = f.pathText ? `${f.surface} ${f.pathText}` : f.surface;
  const what = f.message ?? (f.driftKind ? `${f.driftKind.toLowerCase()} since the approved baseline` : '');
  return `${f.title}: ${where}${what ? ` — ${what}` : ''}`;
}
