// `--format html`: one self-contained page (inline CSS, no scripts, fonts or requests) that reads
// on screen and prints cleanly. Every value is HTML-escaped; only redacted findings are shown.
import { SEVERITIES, type Finding, type Json } from '../model/findings.ts';
import {
  allAssessedFindings, assessedSections, byFramework, countBySeverity, pinLines, verificationLine, type ReportModel, type RunSection,
} from './model.ts';
import { messageOf } from './render-sarif.ts';

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
const code = (s: string): string => `<code>${esc(s)}</code>`;
const value = (v: Json | undefined): string => (v === undefined ? '<span class="muted">—</span>' : code(truncate(JSON.stringify(v), 400)));
const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const anchor = (f: Finding): string => `f-${f.id.replace(/[^A-Za-z0-9_-]/g, '')}`;

const CSS = `
:root { --fg:#1b1f24; --muted:#5b6470; --line:#d8dde3; --bg:#ffffff; --soft:#f5f7f9;
  --critical:#8b0000; --high:#c0392b; --medium:#b9770e; --low:#2e6da4; --info:#566573; --ok:#1e7b34; --bad:#b00020; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p, td, dd { overflow-wrap: anywhere; }
.muted { color: var(--muted); } code { font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card b { display: block; font-size: 22px; }
.sev { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; text-transform: uppercase; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; margin: 10px 0; }
.verdict.ok { background: #e7f4ea; color: var(--ok); border: 1px solid #b5dcbf; }
.verdict.bad { background: #fde8ea; color: var(--bad); border: 1px solid #f3b7bf; }
.finding { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 10px 0; page-break-inside: avoid; break-inside: avoid; }
.finding h3 { margin: 0 0 6px; }
dl { display: grid; grid-template-columns: 160px 1fr; gap: 3px 12px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--soft); padding: 8px; border-radius: 4px; font-size: 11px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; } main { max-width: none; padding: 0; }
  h2 { page-break-after: avoid; break-after: avoid; } tr, .card { page-break-inside: avoid; break-inside: avoid; }
  .sev, .verdict, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;

export function renderHtmlReport(m: ReportModel): string {
  const sections = assessedSections(m);
  const findings = allAssessedFindings(m);
  const title = `driftwarden compliance report — ${m.scope.org ?? 'all orgs'}`;
  const body = [
    `<header><h1>${esc(title)}</h1><p class="muted">Generated ${esc(m.generatedAt)} by driftwarden ${esc(m.tool.version)} · scope: ${esc(scopeText(m))}</p></header>`,
    summary(m, sections, findings),
    evidence(m, sections),
    coverage(sections),
    bySeveritySection(findings),
    frameworks(findings),
    lifecycle(findings, sections.flatMap((s) => s.resolved)),
    waivers(findings),
    attribution(findings),
    history(m),
    details(findings),
    `<footer>Only redacted findings appear in this report: secret values are shown as keyed fingerprints. ${esc(verificationLine(m.verification))}</footer>`,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

function scopeText(m: ReportModel): string {
  const s = m.scope;
  if (s.runId) return `run ${s.runId}`;
  const org = s.org ?? 'every org';
  if (s.from || s.to) return `${org}, runs started ${s.from ?? 'any time'} to ${s.to ?? 'now'}`;
  return `${org}, whole history`;
}

function summary(m: ReportModel, sections: readonly RunSection[], findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  const cards = SEVERITIES.slice().reverse().map((s) => `<div class="card"><span class="sev sev-${s}">${s}</span><b>${counts[s]}</b></div>`).join('');
  const verdict = m.verification.valid
    ? `<div class="verdict ok">Evidence chain verified: ${m.verification.records} record(s) intact and correctly signed.</div>`
    : `<div class="verdict bad">Evidence chain TAMPERED: ${m.verification.problems.length} problem(s) — see “Evidence”.</div>`;
  return `<section><h2>Summary</h2>${verdict}
<p>${sections.length} org(s) assessed from ${m.runs.length} run(s) in scope; ${findings.length} open finding(s) in the latest run of each org.</p>
<div class="cards">${cards}</div>
<table><thead><tr><th>org</th><th>assessed run</th><th>finished</th><th>result</th><th>surfaces read</th><th>findings</th></tr></thead><tbody>
${sections.map((s) => `<tr><td>${esc(s.run.org)}</td><td>${code(s.run.id)}</td><td>${esc(s.run.finishedAt)}</td><td>${esc(s.run.status)} (exit ${s.run.exitCode})</td><td>${s.run.surfacesOk}/${s.run.surfacesTotal}</td><td>${s.findings.length}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function evidence(m: ReportModel, sections: readonly RunSection[]): string {
  const v = m.verification;
  const problems = v.problems.length
    ? `<table><thead><tr><th>position</th><th>run</th><th>code</th><th>problem</th></tr></thead><tbody>${v.problems.map((p) => `<tr><td>${p.position || '—'}</td><td>${p.runId ? code(p.runId) : ''}</td><td>${esc(p.code)}</td><td>${esc(p.message)}</td></tr>`).join('')}</tbody></table>`
    : '';
  return `<section><h2>Evidence</h2>
<p>${esc(verificationLine(v))}</p>${problems}
${sections.map((s) => `<h3>What run ${code(s.run.id)} rests on</h3><table><tbody>${pinLines(s).map((p) => `<tr><th>${esc(p.label)}</th><td>${code(p.value)}</td></tr>`).join('')}</tbody></table>`).join('\n')}
<h3>Public key</h3><p class="muted">Checks the Ed25519 signature of every record (key ${code(v.keyId)}).</p><pre>${esc(v.publicKeyPem)}</pre>
</section>`;
}

function coverage(sections: readonly RunSection[]): string {
  return `<section><h2>Coverage</h2>${sections.map((s) => `<h3>${esc(s.run.org)}</h3>
<table><thead><tr><th>surface</th><th>status</th><th>detail</th></tr></thead><tbody>
${s.coverage.map((c) => `<tr><td>${esc(c.surface)}</td><td>${esc(c.status)}</td><td>${esc(c.missingPermission ? `missing permission ${c.missingPermission}` : c.reason ?? '')}</td></tr>`).join('\n') || '<tr><td colspan="3" class="muted">no coverage recorded</td></tr>'}
</tbody></table>`).join('\n')}</section>`;
}

const findingRow = (f: Finding): string =>
  `<tr><td><span class="sev sev-${f.severity}">${f.severity}</span></td><td>${esc(f.org)}</td><td>${esc(f.surface)}</td><td>${code(f.pathText || '—')}</td><td><a href="#${anchor(f)}">${esc(f.title)}</a></td><td>${esc(f.state ?? '')}</td></tr>`;

function bySeveritySection(findings: readonly Finding[]): string {
  if (!findings.length) return '<section><h2>Findings by severity</h2><p>No open findings.</p></section>';
  return `<section><h2>Findings by severity</h2>${SEVERITIES.slice().reverse().filter((s) => findings.some((f) => f.severity === s)).map((s) => `<h3><span class="sev sev-${s}">${s}</span></h3>
<table><thead><tr><th>severity</th><th>org</th><th>surface</th><th>path</th><th>finding</th><th>state</th></tr></thead><tbody>
${findings.filter((f) => f.severity === s).map(findingRow).join('\n')}
</tbody></table>`).join('\n')}</section>`;
}

function frameworks(findings: readonly Finding[]): string {
  const fw = byFramework(findings);
  if (!fw.length) return '<section><h2>Findings by framework</h2><p class="muted">No finding maps to a framework control.</p></section>';
  return `<section><h2>Findings by framework</h2>${fw.map((f) => `<h3>${esc(f.framework)}</h3>
<table><thead><tr><th>control</th><th>findings</th></tr></thead><tbody>
${f.controls.map((c) => `<tr><td>${esc(c.control)}</td><td>${c.findings.map((x) => `<span class="sev sev-${x.severity}">${x.severity}</span> <a href="#${anchor(x)}">${esc(x.title)}</a> (${esc(x.surface)})`).join('<br>')}</td></tr>`).join('\n')}
</tbody></table>`).join('\n')}</section>`;
}

function lifecycle(current: readonly Finding[], resolved: readonly Finding[]): string {
  const withState = [...current.filter((f) => f.state), ...resolved];
  if (!withState.length) return '';
  const states = ['new', 'regressed', 'ongoing', 'resolved'] as const;
  return `<section><h2>Lifecycle</h2><div class="cards">${states.map((s) => `<div class="card">${s}<b>${withState.filter((f) => f.state === s).length}</b></div>`).join('')}</div>
<table><thead><tr><th>finding</th><th>state</th><th>first seen</th><th>last seen</th></tr></thead><tbody>
${withState.map((f) => `<tr><td>${f.state === 'resolved' ? esc(f.title) : `<a href="#${anchor(f)}">${esc(f.title)}</a>`} (${esc(f.surface)}${f.pathText ? ` ${esc(f.pathText)}` : ''})</td><td>${esc(f.state!)}</td><td>${esc(f.firstSeen ?? '')}</td><td>${esc(f.lastSeen ?? '')}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function waivers(findings: readonly Finding[]): string {
  const waived = findings.filter((f) => f.waiver);
  return `<section><h2>Waivers</h2>${waived.length ? `<table><thead><tr><th>waiver</th><th>owner</th><th>status</th><th>expires</th><th>reason</th><th>covers</th></tr></thead><tbody>
${waived.map((f) => `<tr><td>${esc(f.waiver!.id)}${f.waiver!.ticket ? ` (${esc(f.waiver!.ticket)})` : ''}</td><td>${esc(f.waiver!.owner)}</td><td>${esc(f.waiver!.status)}</td><td>${esc(f.waiver!.expires)}</td><td>${esc(f.waiver!.reason)}</td><td><a href="#${anchor(f)}">${esc(f.title)}</a></td></tr>`).join('\n')}
</tbody></table>` : '<p class="muted">No finding is covered by a waiver.</p>'}</section>`;
}

function attribution(findings: readonly Finding[]): string {
  const attributed = findings.filter((f) => f.attribution);
  return `<section><h2>Attribution</h2>${attributed.length ? `<table><thead><tr><th>finding</th><th>changed by</th><th>when</th><th>action</th><th>note</th></tr></thead><tbody>
${attributed.map((f) => { const a = f.attribution!; return `<tr><td><a href="#${anchor(f)}">${esc(f.title)}</a></td><td>${esc(a.found ? a.user ?? a.client ?? 'unknown' : 'not found')}</td><td>${esc(a.time ?? '')}</td><td>${esc(a.action ?? '')}</td><td>${esc(a.note ?? '')}</td></tr>`; }).join('\n')}
</tbody></table>` : '<p class="muted">No attribution recorded for these findings.</p>'}</section>`;
}

function history(m: ReportModel): string {
  return `<section><h2>Run history</h2><table><thead><tr><th>run</th><th>org</th><th>started</th><th>result</th><th>findings</th><th>evidence</th></tr></thead><tbody>
${m.runs.slice().reverse().map((s) => `<tr><td>${code(s.run.id)}</td><td>${esc(s.run.org)}</td><td>${esc(s.run.startedAt)}</td><td>${esc(s.run.status)}${s.run.error ? ` — ${esc(truncate(s.run.error, 160))}` : ''}</td><td>${s.run.findingCount}</td><td>${s.evidence ? `#${s.evidence.seq}` : '<span class="muted">none</span>'}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

function details(findings: readonly Finding[]): string {
  if (!findings.length) return '';
  return `<section><h2>Finding details</h2>${findings.map((f) => `<article class="finding" id="${anchor(f)}">
<h3><span class="sev sev-${f.severity}">${f.severity}</span> ${esc(f.title)}</h3>
<dl>
<dt>summary</dt><dd>${esc(messageOf(f))}</dd>
<dt>finding id</dt><dd>${code(f.id)}</dd>
<dt>org / surface</dt><dd>${esc(f.org)} / ${esc(f.surface)}</dd>
<dt>path</dt><dd>${code(f.pathText || '—')}</dd>
<dt>rule</dt><dd>${code(f.rule)}</dd>
<dt>kind</dt><dd>${esc(f.kind)}${f.driftKind ? ` (${esc(f.driftKind)})` : ''}, sensitivity ${esc(f.sensitivity)}</dd>
<dt>old</dt><dd>${value(f.old)}</dd>
<dt>new</dt><dd>${value(f.new)}</dd>
${f.frameworks.length ? `<dt>controls</dt><dd>${f.frameworks.map((r) => `${esc(r.framework)} ${esc(r.control)}`).join(', ')}</dd>` : ''}
${f.state ? `<dt>lifecycle</dt><dd>${esc(f.state)}${f.firstSeen ? `, first seen ${esc(f.firstSeen)}` : ''}</dd>` : ''}
${f.waiver ? `<dt>waiver</dt><dd>${esc(`${f.waiver.id} (${f.waiver.owner}) ${f.waiver.status} until ${f.waiver.expires}: ${f.waiver.reason}`)}</dd>` : ''}
${f.attribution ? `<dt>attribution</dt><dd>${esc(f.attribution.found ? `${f.attribution.user ?? f.attribution.client ?? 'unknown'} at ${f.attribution.time ?? '?'} (${f.attribution.action ?? ''})` : f.attribution.note ?? 'not found')}</dd>` : ''}
</dl></article>`).join('\n')}</section>`;
}
