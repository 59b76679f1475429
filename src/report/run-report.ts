// The per-run report written to disk: a JSON document for machines and a Markdown summary for
// people. It accepts only redacted findings, so nothing secret can reach a report file.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redacted } from '../redact/redacted.ts';
import { SEVERITIES, type Finding, type Json, type RunRecord, type SurfaceSnapshot } from '../model/findings.ts';

export type CoverageRow = { readonly surface: string; readonly status: SurfaceSnapshot['status']; readonly reason?: string; readonly missingPermission?: string };

export type RunReport = {
  readonly run: RunRecord;
  readonly coverage: readonly CoverageRow[];
  readonly findings: readonly Redacted<Finding>[];
  readonly deliveries?: readonly { readonly channel: string; readonly status: string; readonly detail?: string }[];
};

export const REPORT_FORMAT_VERSION = 1;

export function renderReportJson(r: RunReport): string {
  return JSON.stringify({ formatVersion: REPORT_FORMAT_VERSION, ...r }, null, 2) + '\n';
}

const show = (v: Json | undefined): string => (v === undefined ? '—' : '`' + JSON.stringify(v).replaceAll('`', "'").slice(0, 200) + '`');
const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderReportMarkdown(r: RunReport): string {
  const { run } = r;
  const counts = SEVERITIES.slice().reverse().map((s) => `${s}: ${r.findings.filter((f) => f.severity === s).length}`).join(', ');
  const lines = [
    `# driftwarden run ${run.id}`,
    '',
    `- Org: **${run.org}**`,
    `- Started: ${run.startedAt} — finished: ${run.finishedAt}`,
    `- Result: **${run.status}** (exit ${run.exitCode})`,
    `- Surfaces read: ${run.surfacesOk}/${run.surfacesTotal}`,
    `- Drift paths: ${run.driftCount}; findings: ${run.findingCount} (${counts})`,
    ...(run.baselineCommit ? [`- Baseline commit: \`${run.baselineCommit}\``] : []),
    ...(run.policyDigest ? [`- Policy bundle: \`${run.policyDigest}\``] : []),
    ...(run.error ? [`- Error: ${run.error}`] : []),
    '',
    '## Coverage',
    '',
    '| surface | status | detail |',
    '|---|---|---|',
    ...r.coverage.map((c) => `| ${cell(c.surface)} | ${c.status} | ${cell(c.missingPermission ? `missing permission ${c.missingPermission}` : c.reason ?? '')} |`),
    '',
    '## Findings',
    '',
  ];
  if (r.findings.length === 0) lines.push('No findings.');
  else {
    lines.push('| severity | sensitivity | kind | surface | path | rule | title | old | new |', '|---|---|---|---|---|---|---|---|---|');
    for (const f of r.findings) {
      lines.push(`| ${f.severity} | ${f.sensitivity} | ${f.kind}${f.driftKind ? ` ${f.driftKind}` : ''} | ${cell(f.surface)} | ${cell(f.pathText)} | ${cell(f.rule)} | ${cell(f.title)} | ${cell(show(f.old))} | ${cell(show(f.new))} |`);
    }
  }
  if (r.deliveries?.length) {
    lines.push('', '## Notifications', '', '| channel | status | detail |', '|---|---|---|');
    for (const d of r.deliveries) lines.push(`| ${cell(d.channel)} | ${d.status} | ${cell(d.detail ?? '')} |`);
  }
  return lines.join('\n') + '\n';
}

/** Writes `<dir>/<run id>.json` and `.md`; returns both paths. */
export async function writeRunReport(dir: string, r: RunReport): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, `${r.run.id}.json`);
  const markdown = join(dir, `${r.run.id}.md`);
  await writeFile(json, renderReportJson(r));
  await writeFile(markdown, renderReportMarkdown(r));
  return { json, markdown };
}
