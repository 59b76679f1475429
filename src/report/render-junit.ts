// `--format junit`: JUnit XML (the Jenkins/GitLab/Surefire dialect) so CI dashboards can track
// compliance like tests. One <testsuite> per assessed run; one <testcase> per rule per surface:
// every surface the run covered gets the baseline check (dw.drift.unclassified), and every
// (rule, surface) pair seen anywhere in the report's history is listed, so a fixed problem shows
// as a passing case. Findings fail their case, an active waiver skips it, an unreadable surface
// is an error.
import { UNCLASSIFIED_RULE, COVERAGE_GAP_RULE } from '../classify/classify.ts';
import type { Finding } from '../model/findings.ts';
import { assessedSections, pinLines, verificationLine, type ReportModel, type RunSection } from './model.ts';
import { messageOf } from './render-sarif.ts';
import { xmlAttr, xmlText } from './xml.ts';

type Case = { readonly surface: string; readonly rule: string; readonly findings: readonly Finding[] };

export function renderJunitReport(m: ReportModel): string {
  const suites = assessedSections(m).map((s) => suite(m, s));
  const totals = suites.reduce((t, s) => ({ tests: t.tests + s.tests, failures: t.failures + s.failures, errors: t.errors + s.errors, skipped: t.skipped + s.skipped, time: t.time + s.time }), { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="driftwarden" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(totals.time)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function casesFor(m: ReportModel, s: RunSection): Case[] {
  const key = (surface: string, rule: string) => `${surface}\u0000${rule}`;
  const cases = new Map<string, { surface: string; rule: string; findings: Finding[] }>();
  const ensure = (surface: string, rule: string) => {
    const k = key(surface, rule);
    let c = cases.get(k);
    if (!c) { c = { surface, rule, findings: [] }; cases.set(k, c); }
    return c;
  };
  for (const c of s.coverage) ensure(c.surface, c.status === 'ok' ? UNCLASSIFIED_RULE : COVERAGE_GAP_RULE);
  // Pairs seen in the history of this org (so a resolved problem is a passing case now).
  for (const other of m.runs) if (other.run.org === s.run.org) for (const f of other.findings) ensure(f.surface, f.rule);
  for (const f of s.findings) ensure(f.surface, f.rule).findings.push(f);
  return [...cases.values()].sort((a, b) => a.surface.localeCompare(b.surface) || a.rule.localeCompare(b.rule));
}

function suite(m: ReportModel, s: RunSection): { xml: string; tests: number; failures: number; errors: number; skipped: number; time: number } {
  const cases = casesFor(m, s);
  const time = Math.max(0, Date.parse(s.run.finishedAt) - Date.parse(s.run.startedAt));
  let failures = 0, errors = 0, skipped = 0;
  const body: string[] = [];
  for (const c of cases) {
    const open = `    <testcase classname="${xmlAttr(`${s.run.org}.${c.surface}`)}" name="${xmlAttr(c.rule)}" time="0">`;
    const active = c.findings.filter((f) => f.waiver?.status !== 'active');
    if (c.findings.length === 0) { body.push(open.replace(/>$/, '/>')); continue; }
    body.push(open);
    const detail = c.findings.map(detailOf).join('\n\n');
    if (active.length === 0) {
      skipped++;
      const w = c.findings[0]!.waiver!;
      body.push(`      <skipped message="${xmlAttr(`waived by ${w.id} (${w.owner}) until ${w.expires}`)}"/>`);
    } else if (c.rule === COVERAGE_GAP_RULE) {
      errors++;
      body.push(`      <error message="${xmlAttr(messageOf(active[0]!))}" type="coverage-gap">${xmlText(detail)}</error>`);
    } else {
      failures++;
      const worst = active[0]!;
      body.push(`      <failure message="${xmlAttr(`${active.length} finding(s): ${messageOf(worst)}`)}" type="${xmlAttr(worst.severity)}">${xmlText(detail)}</failure>`);
    }
    body.push('    </testcase>');
  }
  const props = [
    ...pinLines(s).map((p) => ({ name: p.label.replaceAll(' ', '.'), value: p.value })),
    { name: 'status', value: s.run.status },
    { name: 'verify', value: verificationLine(m.verification) },
  ];
  const xml = [
    `  <testsuite name="${xmlAttr(`driftwarden ${s.run.org} ${s.run.id}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${xmlAttr(s.run.startedAt)}" time="${seconds(time)}" hostname="${xmlAttr(s.run.org)}">`,
    '    <properties>',
    ...props.map((p) => `      <property name="${xmlAttr(p.name)}" value="${xmlAttr(p.value)}"/>`),
    '    </properties>',
    ...body,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors, skipped, time };
}

function detailOf(f: Finding): string {
  const lines = [
    `${f.severity.toUpperCase()} ${f.title}`,
    `finding ${f.id} (${f.kind}${f.driftKind ? ` ${f.driftKind}` : ''}, sensitivity ${f.sensitivity})`,
    `at ${f.surface}${f.pathText ? ` ${f.pathText}` : ''}`,
  ];
  if (f.old !== undefined) lines.push(`old: ${JSON.stringify(f.old)}`);
  if (f.new !== undefined) lines.push(`new: ${JSON.stringify(f.new)}`);
  if (f.message) lines.push(f.message);
  if (f.frameworks.length) lines.push(`controls: ${f.frameworks.map((r) => `${r.framework} ${r.control}`).join(', ')}`);
  if (f.state) lines.push(`state: ${f.state}${f.firstSeen ? ` since ${f.firstSeen}` : ''}`);
  if (f.attribution?.found) lines.push(`changed by ${f.attribution.user ?? f.attribution.client ?? 'unknown'} at ${f.attribution.time ?? '?'}`);
  return lines.join('\n');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
