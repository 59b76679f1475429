// A hand-built report model with everything the stages can attach to a finding (lifecycle,
// waiver, attribution, frameworks, a coverage gap, hostile text) for renderer unit tests.
import { markRedacted, type Redacted } from '../../src/redact/redacted.ts';
import { findingId, orgId, ruleId, runId, surfaceId } from '../../src/model/ids.ts';
import type { Finding, RunRecord } from '../../src/model/findings.ts';
import type { ReportModel, RunSection } from '../../src/report/model.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const org = orgId('globex');

const run = (id: string, day: number, findings: number, status: RunRecord['status']): RunRecord => ({
  id: runId(id), org, startedAt: `2026-04-0${day}T06:00:00.000Z`, finishedAt: `2026-04-0${day}T06:00:02.500Z`, status,
  surfacesOk: 2, surfacesTotal: 3, driftCount: findings, findingCount: findings, durationsMs: { snapshot: 2000 },
  policyDigest: digest('a'), baselineCommit: 'b'.repeat(40), exitCode: status === 'clean' ? 0 : status === 'drift' ? 1 : 3,
});

const f = (x: Partial<Finding> & Pick<Finding, 'rule' | 'title' | 'severity' | 'surface'>): Redacted<Finding> => markRedacted({
  id: findingId(`dw-${x.rule.length.toString(16).padStart(4, '0')}${x.surface.length}${x.severity}`), kind: 'drift', org, pathText: '', sensitivity: 'internal', frameworks: [],
  ...x,
} as Finding);

export const SAMPLE_FINDINGS: readonly Redacted<Finding>[] = [
  f({
    rule: ruleId('driftwarden.drift.mfa_disabled'), title: 'Multi-factor authentication is no longer required', severity: 'critical',
    surface: surfaceId('authentication-settings'), pathText: 'multifactorAuthenticationRequired', driftKind: 'MODIFIED', old: true, new: false,
    sensitivity: 'confidential', frameworks: [{ framework: 'PCI DSS 4.0', control: '8.4.2' }, { framework: 'HIPAA', control: '164.312(d)' }],
    state: 'regressed', firstSeen: '2026-04-01T06:00:02.500Z', lastSeen: '2026-04-02T06:00:02.500Z',
    attribution: { found: true, user: 'pat.admin', time: '2026-04-01T21:14:00.000Z', action: 'UPDATE', property: 'multifactorAuthenticationRequired' },
  }),
  f({
    rule: ruleId('driftwarden.drift.client_secret_rotated'), title: 'OAuth client secret changed <script>alert(1)</script>', severity: 'high',
    surface: surfaceId('oauth-clients'), pathText: 'entities[id=[uuid hmac:0011223344556677]].secret', driftKind: 'MODIFIED',
    old: '[REDACTED] hmac:1111111111111111', new: '[REDACTED] hmac:2222222222222222', sensitivity: 'secret',
    frameworks: [{ framework: 'SOC 2', control: 'CC6.1' }], state: 'new', firstSeen: '2026-04-02T06:00:02.500Z',
    waiver: { id: 'W-7', owner: 'sec-team', reason: 'planned rotation & "cutover"', ticket: 'SEC-12', expires: '2026-05-01', status: 'active' },
    attribution: { found: false, note: 'not found in the audit window' },
  }),
  f({
    rule: ruleId('dw.coverage.gap'), title: 'Coverage gap: surface roles could not be read (missing permission authorization:role:view)', severity: 'high',
    surface: surfaceId('roles'), kind: 'coverage-gap', message: 'Monitoring is blind to roles.', state: 'ongoing',
  }),
];

export function sampleModel(valid = true): ReportModel {
  const sections: RunSection[] = [
    { run: run('20260401T060000000Z-0000000a', 1, 1, 'drift'), source: 'evidence', evidence: { seq: 1, recordHash: digest('1'), prevHash: digest('0'), sealedAt: '2026-04-01T06:00:02.600Z', keyId: digest('k'.replace('k', 'f')), signature: 'c2lnbmF0dXJl' }, pins: { toolVersion: '0.1.0', policyDigest: digest('a'), baselineCommit: 'b'.repeat(40), configDigest: digest('c'), snapshotDigests: { 'authentication-settings': digest('d') } }, coverage: [], findings: [SAMPLE_FINDINGS[0]!], resolved: [] },
    {
      run: run('20260402T060000000Z-0000000b', 2, 3, 'coverage-gap'), source: 'evidence',
      evidence: { seq: 2, recordHash: digest('2'), prevHash: digest('1'), sealedAt: '2026-04-02T06:00:02.600Z', keyId: digest('f'), signature: 'c2lnbmF0dXJl' },
      pins: { toolVersion: '0.1.0', policyDigest: digest('a'), baselineCommit: 'b'.repeat(40), configDigest: digest('c'), snapshotDigests: { 'authentication-settings': digest('d'), 'oauth-clients': digest('e') } },
      coverage: [{ surface: 'authentication-settings', status: 'ok' }, { surface: 'oauth-clients', status: 'ok' }, { surface: 'roles', status: 'forbidden', missingPermission: 'authorization:role:view' }],
      findings: SAMPLE_FINDINGS,
      resolved: [markRedacted({ ...SAMPLE_FINDINGS[0]!, id: findingId('dw-resolved-1'), title: 'Idle session timeout above the HIPAA limit', severity: 'high', state: 'resolved', lastSeen: '2026-04-01T06:00:02.500Z' } as Finding)],
    },
  ];
  return {
    formatVersion: 1, generatedAt: '2026-04-02T07:00:00.000Z', tool: { name: 'driftwarden', version: '0.1.0' },
    scope: { org: 'globex', runId: null, from: null, to: null },
    verification: {
      valid, records: 2, head: digest('2'), keyId: digest('f'), snapshotsChecked: 3, findingsChecked: 4,
      problems: valid ? [] : [{ position: 2, seq: 2, runId: '20260402T060000000Z-0000000b', code: 'DW8021', message: 'record text was edited' }],
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAbWFkZS11cC1rZXktZm9yLXRlc3RzLW9ubHkhISE=\n-----END PUBLIC KEY-----\n',
    },
    runs: sections, assessed: ['20260402T060000000Z-0000000b'],
  };
}
