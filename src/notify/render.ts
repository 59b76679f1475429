// Channel-neutral pieces of a digest: ordering, counts and short plain-text renderings of values.
// Inputs are already redacted; these helpers only shorten. Each channel escapes for its own syntax.
import { SEVERITIES, severityRank, type Finding, type Json, type Severity } from '../model/findings.ts';
import type { Redacted } from '../redact/redacted.ts';

export type RF = Redacted<Finding>;

/** Most severe first; stable within a severity. */
export const bySeverity = (batch: readonly RF[]): RF[] =>
  batch.map((f, i) => ({ f, i })).sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i).map((x) => x.f);

/** `2 critical, 1 high` */
export function severityCounts(batch: readonly RF[]): string {
  const counts = new Map<Severity, number>();
  for (const f of batch) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...SEVERITIES].reverse().filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Cuts to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  if (cut > 0 && /[\uD800-\uDBFF]/.test(s[cut - 1]!)) cut--;
  return `${s.slice(0, cut)}…`;
}

/** One line, no control characters: for subjects, headers, summaries. */
export const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();

/** Compact rendering of an old/new value. */
export function previewValue(v: Json | undefined, max: number): string {
  if (v === undefined) return '(none)';
  return clip(typeof v === 'string' ? v : JSON.stringify(v), max);
}

export const frameworksText = (f: RF) => f.frameworks.map((r) => `${r.framework} ${r.control}`).join(', ');

export const changeVerb = (f: RF) => (f.driftKind === 'ADDED' ? 'added' : f.driftKind === 'REMOVED' ? 'removed' : f.driftKind === 'MODIFIED' ? 'changed' : f.kind);

/** Splits a list into chunks whose cost stays within `budget` (at least one item per chunk). */
export function packByBudget<T>(items: readonly T[], cost: (item: T) => number, budget: number, maxItems: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (current.length > 0 && (used + c > budget || current.length >= maxItems)) { chunks.push(current); current = []; used = 0; }
    current.push(item);
    used += c;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
