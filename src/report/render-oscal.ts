// `--format oscal`: NIST OSCAL 1.0.4 assessment-results (JSON). One result per assessed run:
// reviewed-controls = every framework control of the policies that produced findings (policy
// METADATA `frameworks`), one observation per finding (what was seen, on which surface, backed by
// the sealed snapshot digest), one OSCAL finding per (finding, control) marked not-satisfied.
// Findings of rules without a framework target the rule itself. Pins and the verify result are
// properties in driftwarden's namespace.
import type { Finding, FrameworkRef } from '../model/findings.ts';
import { assessedSections, bySeverity, pinLines, verificationLine, type ReportModel, type RunSection } from './model.ts';
import { messageOf } from './render-sarif.ts';
import { stableUuid } from './stable-uuid.ts';

export const OSCAL_VERSION = '1.0.4';
const NS = 'urn:driftwarden:oscal';

type Prop = { name: string; value: string; ns: string; class?: string };

/** OSCAL tokens start with a letter or `_` and hold letters, digits, `.`, `-`, `_`. */
export function oscalToken(text: string): string {
  const t = text.normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return /^[\p{L}_]/u.test(t) ? t : `_${t}`;
}

/** Control id as an OSCAL token: `pci-dss-4.0_8.4.2`, `hipaa_164.312-d`. */
export const controlToken = (ref: FrameworkRef): string => `${oscalToken(ref.framework)}_${oscalToken(ref.control).replace(/^_/, '')}`;

// OSCAL strings may not start or end with whitespace and property values are one line.
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim() || '-';
const prop = (name: string, value: string, cls?: string): Prop => ({ name, value: oneLine(value), ns: NS, ...(cls ? { class: cls } : {}) });

export function renderOscalReport(m: ReportModel): string {
  const sections = assessedSections(m);
  const doc = {
    'assessment-results': {
      uuid: stableUuid('assessment-results', m.scope.org ?? '*', m.scope.runId ?? '', m.scope.from ?? '', m.scope.to ?? '', ...sections.map((s) => s.run.id)),
      metadata: {
        title: `driftwarden compliance assessment — ${m.scope.org ?? 'all orgs'}`,
        'last-modified': m.generatedAt,
        version: m.tool.version,
        'oscal-version': OSCAL_VERSION,
        props: [
          prop('tool-version', m.tool.version),
          prop('evidence-chain-valid', String(m.verification.valid)),
          prop('evidence-chain-records', String(m.verification.records)),
          ...(m.verification.head ? [prop('evidence-chain-head', m.verification.head)] : []),
          prop('evidence-key-id', m.verification.keyId),
        ],
        remarks: verificationLine(m.verification),
      },
      'import-ap': {
        href: '#driftwarden-continuous-monitoring',
        remarks: 'No separate assessment plan: driftwarden compares each org with its approved git baseline and evaluates the configured Rego policies on every run.',
      },
      results: sections.length ? sections.map((s) => result(m, s)) : [emptyResult(m)],
      'back-matter': {
        resources: [{
          uuid: stableUuid('evidence-public-key', m.verification.keyId),
          title: 'Evidence chain public key (Ed25519, SPKI PEM)',
          description: 'Verifies the signature of every evidence record this assessment rests on.',
          props: [prop('key-id', m.verification.keyId)],
          base64: { filename: 'evidence-ed25519.pub.pem', 'media-type': 'application/x-pem-file', value: Buffer.from(m.verification.publicKeyPem).toString('base64') },
        }],
      },
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function targetsOf(f: Finding): readonly string[] {
  return f.frameworks.length ? f.frameworks.map(controlToken) : [oscalToken(f.rule)];
}

function result(m: ReportModel, s: RunSection): object {
  const findings = s.findings.slice().sort(bySeverity);
  const controls = [...new Set([...s.findings, ...s.resolved].flatMap((f) => f.frameworks.map(controlToken)))].sort();
  const observationUuid = (f: Finding) => stableUuid('observation', s.run.id, f.id);
  const subjectUuid = (surface: string) => stableUuid('subject', s.run.org, surface);
  const open = new Set(findings.flatMap(targetsOf));
  // A control whose finding was resolved since the previous run, and that has no open finding now.
  const satisfied = [...new Set(s.resolved.flatMap(targetsOf))].filter((t) => !open.has(t)).sort();
  const oscalFindings = [
    ...findings.flatMap((f) => targetsOf(f).map((target) => ({
      uuid: stableUuid('finding', s.run.id, f.id, target),
      title: f.title,
      description: messageOf(f),
      props: [prop('severity', f.severity), prop('finding-id', f.id)],
      target: { type: 'objective-id', 'target-id': target, status: { state: 'not-satisfied', ...(f.waiver?.status === 'active' ? { reason: 'waived' } : {}) } },
      'related-observations': [{ 'observation-uuid': observationUuid(f) }],
    }))),
    ...satisfied.map((target) => ({
      uuid: stableUuid('resolved', s.run.id, target),
      title: `Resolved: ${s.resolved.find((f) => targetsOf(f).includes(target))!.title}`,
      description: `No open finding for ${target} in run ${s.run.id}: what the previous run found here is resolved.`,
      target: { type: 'objective-id', 'target-id': target, status: { state: 'satisfied' } },
    })),
  ];
  return {
    uuid: stableUuid('result', s.run.id),
    title: `Run ${s.run.id} of ${s.run.org}`,
    description: `driftwarden run ${s.run.id}: ${s.run.status}, ${s.run.findingCount} finding(s), ${s.run.surfacesOk}/${s.run.surfacesTotal} surfaces read. ${verificationLine(m.verification)}`,
    start: s.run.startedAt,
    end: s.run.finishedAt,
    props: [
      ...pinLines(s).map((p) => prop(oscalToken(p.label), p.value)),
      prop('run-status', s.run.status),
      prop('evidence-chain-valid', String(m.verification.valid)),
    ],
    'reviewed-controls': {
      description: 'Controls named in the METADATA of the policies behind this run\'s findings and those resolved since the previous run.',
      'control-selections': [controls.length ? { 'include-controls': controls.map((c) => ({ 'control-id': c })) } : { 'include-all': {} }],
    },
    ...(findings.length ? { observations: findings.map((f) => observation(s, f, observationUuid(f), subjectUuid(f.surface))) } : {}),
    ...(oscalFindings.length ? { findings: oscalFindings } : {}),
  };
}

function observation(s: RunSection, f: Finding, uuid: string, subjectUuid: string): object {
  return {
    uuid,
    title: f.title,
    description: messageOf(f),
    props: [
      prop('finding-id', f.id), prop('rule', f.rule), prop('severity', f.severity), prop('sensitivity', f.sensitivity), prop('finding-kind', f.kind),
      ...(f.pathText ? [prop('path', f.pathText)] : []),
      ...(f.driftKind ? [prop('drift-kind', f.driftKind)] : []),
      ...(f.state ? [prop('lifecycle-state', f.state)] : []),
      ...(f.waiver ? [prop('waiver', `${f.waiver.id} ${f.waiver.status} until ${f.waiver.expires}`)] : []),
      ...(f.attribution?.found ? [prop('changed-by', f.attribution.user ?? f.attribution.client ?? 'unknown')] : []),
    ],
    methods: ['TEST'],
    types: [f.kind === 'coverage-gap' ? 'control-objective' : 'finding'],
    subjects: [{ 'subject-uuid': subjectUuid, type: 'component', title: `${s.run.org} ${f.surface}` }],
    ...(s.pins?.snapshotDigests[f.surface] ? {
      'relevant-evidence': [{ description: `Sealed, normalized snapshot of ${f.surface} (redacted; secret values are keyed fingerprints)`, props: [prop('snapshot-digest', s.pins.snapshotDigests[f.surface]!)] }],
    } : {}),
    collected: s.run.finishedAt,
    ...(f.old !== undefined || f.new !== undefined ? { remarks: `old: ${JSON.stringify(f.old ?? null)}\nnew: ${JSON.stringify(f.new ?? null)}` } : {}),
  };
}

function emptyResult(m: ReportModel): object {
  return {
    uuid: stableUuid('result-empty', m.generatedAt),
    title: 'No runs in scope',
    description: 'The report scope selected no runs.',
    start: m.generatedAt,
    'reviewed-controls': { 'control-selections': [{ 'include-all': {} }] },
  };
}
