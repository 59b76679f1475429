// `--format pdf`: rendered without a browser by pdfkit (standard PDF fonts, nothing fetched).
// Every page carries the report scope, the assessed run ids, the pins' digests and "page N of M",
// so a single printed page still says what it rests on.
import PDFDocument from 'pdfkit';
import { SEVERITIES, type Finding } from '../model/findings.ts';
import {
  allAssessedFindings, assessedSections, byFramework, countBySeverity, pinLines, verificationLine, type ReportModel,
} from './model.ts';
import { messageOf } from './render-sarif.ts';

export type PdfOptions = {
  /** Deflate page content (default true); tests turn it off to read the text back. */
  readonly compress?: boolean;
};

const MARGIN = 50;
const HEADER_H = 46;
const FOOTER_H = 40;

export function renderPdfReport(m: ReportModel, opts: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + HEADER_H, bottom: MARGIN + FOOTER_H, left: MARGIN, right: MARGIN },
    bufferPages: true,
    compress: opts.compress ?? true,
    info: {
      Title: `driftwarden compliance report — ${m.scope.org ?? 'all orgs'}`,
      Author: `driftwarden ${m.tool.version}`,
      Subject: verificationLine(m.verification),
      CreationDate: new Date(m.generatedAt),
      ModDate: new Date(m.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  writeBody(doc, m);
  stampEveryPage(doc, m);
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function heading(doc: Doc, text: string): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 80) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(14).fillColor('#1b1f24').text(text).moveDown(0.3);
  doc.font('Helvetica').fontSize(10);
}

const para = (doc: Doc, text: string, opts: { bold?: boolean; mono?: boolean; color?: string; size?: number } = {}): void => {
  doc.font(opts.mono ? 'Courier' : opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(opts.size ?? 10).fillColor(opts.color ?? '#1b1f24').text(text);
};

const SEV_COLOR: Record<string, string> = { critical: '#8b0000', high: '#c0392b', medium: '#b9770e', low: '#2e6da4', info: '#566573' };

function writeBody(doc: Doc, m: ReportModel): void {
  const sections = assessedSections(m);
  const findings = allAssessedFindings(m);
  doc.font('Helvetica-Bold').fontSize(18).text(`driftwarden compliance report — ${m.scope.org ?? 'all orgs'}`);
  para(doc, `Generated ${m.generatedAt} by driftwarden ${m.tool.version}`, { color: '#5b6470' });

  heading(doc, 'Summary');
  para(doc, m.verification.valid ? 'Evidence chain verified: every record intact and correctly signed.' : `Evidence chain TAMPERED: ${m.verification.problems.length} problem(s).`, { bold: true, color: m.verification.valid ? '#1e7b34' : '#b00020' });
  const counts = countBySeverity(findings);
  para(doc, `${sections.length} org(s) assessed from ${m.runs.length} run(s) in scope; ${findings.length} open finding(s): ${SEVERITIES.slice().reverse().map((s) => `${s} ${counts[s]}`).join(', ')}.`);
  for (const s of sections) para(doc, `${s.run.org}: run ${s.run.id}, ${s.run.status} (exit ${s.run.exitCode}), surfaces ${s.run.surfacesOk}/${s.run.surfacesTotal}, ${s.findings.length} finding(s)`);

  heading(doc, 'Evidence');
  para(doc, verificationLine(m.verification));
  for (const p of m.verification.problems) para(doc, `position ${p.position} ${p.code}${p.runId ? ` run ${p.runId}` : ''}: ${p.message}`, { color: '#b00020' });
  for (const s of sections) {
    doc.moveDown(0.4);
    para(doc, `Run ${s.run.id} rests on:`, { bold: true });
    for (const p of pinLines(s)) para(doc, `${p.label}: ${p.value}`, { mono: true, size: 8 });
  }
  doc.moveDown(0.4);
  para(doc, 'Public key (Ed25519):', { bold: true });
  para(doc, m.verification.publicKeyPem.trim(), { mono: true, size: 8 });

  heading(doc, 'Coverage');
  for (const s of sections) {
    para(doc, s.run.org, { bold: true });
    for (const c of s.coverage) para(doc, `${c.surface}: ${c.status}${c.missingPermission ? ` (missing permission ${c.missingPermission})` : c.reason ? ` (${c.reason})` : ''}`);
  }

  heading(doc, 'Findings by severity');
  if (!findings.length) para(doc, 'No open findings.');
  for (const f of findings) para(doc, `[${f.severity.toUpperCase()}] ${f.org} ${f.surface} ${f.pathText || ''} — ${f.title}${f.state ? ` (${f.state})` : ''}`, { color: SEV_COLOR[f.severity] });

  heading(doc, 'Findings by framework');
  const fw = byFramework(findings);
  if (!fw.length) para(doc, 'No finding maps to a framework control.');
  for (const f of fw) {
    para(doc, f.framework, { bold: true });
    for (const c of f.controls) para(doc, `  ${c.control}: ${[...new Set(c.findings.map((x) => x.title))].join("; ")}`);
  }

  const withState = [...findings.filter((f) => f.state), ...sections.flatMap((s) => s.resolved)];
  if (withState.length) {
    heading(doc, 'Lifecycle');
    for (const f of withState) para(doc, `${f.state}: ${f.title} (${f.surface})${f.firstSeen ? `, first seen ${f.firstSeen}` : ''}`);
  }
  heading(doc, 'Waivers');
  const waived = findings.filter((f) => f.waiver);
  if (!waived.length) para(doc, 'No finding is covered by a waiver.');
  for (const f of waived) para(doc, `${f.waiver!.id} (${f.waiver!.owner}) ${f.waiver!.status} until ${f.waiver!.expires}: ${f.waiver!.reason} — ${f.title}`);
  heading(doc, 'Attribution');
  const attributed = findings.filter((f) => f.attribution);
  if (!attributed.length) para(doc, 'No attribution recorded for these findings.');
  for (const f of attributed) para(doc, `${f.title}: ${f.attribution!.found ? `${f.attribution!.user ?? f.attribution!.client ?? 'unknown'} at ${f.attribution!.time ?? '?'}` : f.attribution!.note ?? 'not found'}`);

  heading(doc, 'Run history');
  for (const s of m.runs.slice().reverse()) para(doc, `${s.run.id} ${s.run.org} ${s.run.status} findings ${s.run.findingCount} evidence ${s.evidence ? `#${s.evidence.seq}` : 'none'}`, { size: 9 });

  if (findings.length) {
    heading(doc, 'Finding details');
    for (const f of findings) detail(doc, f);
  }
}

function detail(doc: Doc, f: Finding): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 120) doc.addPage();
  doc.moveDown(0.5);
  para(doc, `[${f.severity.toUpperCase()}] ${f.title}`, { bold: true, color: SEV_COLOR[f.severity] });
  para(doc, messageOf(f));
  para(doc, `finding ${f.id} · rule ${f.rule} · ${f.kind}${f.driftKind ? ` ${f.driftKind}` : ''} · sensitivity ${f.sensitivity}`, { size: 8, color: '#5b6470' });
  if (f.old !== undefined) para(doc, `old: ${JSON.stringify(f.old).slice(0, 400)}`, { mono: true, size: 8 });
  if (f.new !== undefined) para(doc, `new: ${JSON.stringify(f.new).slice(0, 400)}`, { mono: true, size: 8 });
  if (f.frameworks.length) para(doc, `controls: ${f.frameworks.map((r) => `${r.framework} ${r.control}`).join(', ')}`, { size: 9 });
}

/** Header and footer on every page, written after the body so "of M" is known. */
function stampEveryPage(doc: Doc, m: ReportModel): void {
  const range = doc.bufferedPageRange();
  const sections = assessedSections(m);
  const runs = sections.map((s) => s.run.id).join(', ') || 'no runs';
  // Full digests while they fit (one or two orgs); a fleet report shows 16-hex prefixes.
  const d = sections.length <= 2 ? full : short;
  const digests = sections.map((s) => `${s.run.org}: policy ${d(s.pins?.policyDigest ?? s.run.policyDigest)} baseline ${d(s.pins?.baselineCommit ?? s.run.baselineCommit)} config ${d(s.pins?.configDigest)} record ${d(s.evidence?.recordHash)}`).join(' | ');
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height } = doc.page;
    const saved = doc.page.margins;
    // Writing in the margins must not trigger pdfkit's automatic page break.
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    doc.font('Helvetica').fontSize(7).fillColor('#5b6470');
    doc.text(`driftwarden ${m.tool.version} · runs: ${runs}`, MARGIN, MARGIN - 10, { width: width - 2 * MARGIN, lineBreak: true, height: HEADER_H });
    doc.fontSize(6).text(`chain ${m.verification.valid ? 'VALID' : 'TAMPERED'} head ${d(m.verification.head)} · ${digests}`, MARGIN, height - MARGIN - FOOTER_H + 8, { width: width - 2 * MARGIN - 75, height: FOOTER_H + 20 });
    doc.fontSize(8).fillColor('#1b1f24').text(`Page ${i - range.start + 1} of ${range.count}`, width - MARGIN - 70, height - MARGIN - FOOTER_H + 8, { width: 70, align: 'right' });
    doc.page.margins = saved;
  }
}

const short = (d: string | null | undefined): string => (d ? d.replace(/^sha256:/, '').slice(0, 16) : 'none');
const full = (d: string | null | undefined): string => d || 'none';
