// Finding rows <-> the `findings` and `finding_history` tables. Portable SQL only; every function
// takes a SqlExecutor so it works on a Store and inside the run's transaction.
import { fail } from '../model/errors.ts';
import { FINDING_KINDS, FINDING_STATES, SENSITIVITIES, SEVERITIES } from '../model/findings.ts';
import type { Attribution, DriftKind, Finding, FindingState, FrameworkRef, RunRecord } from '../model/findings.ts';
import { findingId, orgId, ruleId, surfaceId, type OrgId } from '../model/ids.ts';
import type { SqlExecutor, SqlRow, SqlValue } from '../store/store.ts';
import type { PriorFinding } from './assess.ts';

export const LIFECYCLE_CODES = {
  badRow: 'DW7001',      // a stored finding row cannot be read back
  noState: 'DW7002',     // persist was handed a finding the lifecycle did not assess
} as const;

const COLUMNS = [
  'id', 'org', 'surface', 'path', 'rule', 'kind', 'severity', 'sensitivity', 'title', 'frameworks_json', 'drift_kind',
  'state', 'first_seen', 'last_seen', 'last_run_id', 'resolved_at', 'owner', 'waiver_id', 'waiver_status', 'attribution_json',
] as const;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM findings`;

/** A stored finding as `driftwarden findings` shows it. */
export type StoredFinding = PriorFinding & {
  readonly lastRunId: string;
  readonly waiverId?: string;
  readonly waiverStatus?: string;
};

/** Every finding the store knows for `org` (open and resolved: a resolved one may regress). */
export async function loadFindings(db: SqlExecutor, org: OrgId): Promise<readonly StoredFinding[]> {
  return (await db.query(`${SELECT} WHERE org = ?`, [org])).map(rowToFinding);
}

export type FindingQuery = { readonly org?: OrgId; /** include resolved findings */ readonly all?: boolean };

/** Open findings (or all with `all`), most severe first, then by surface and path. */
export async function listFindings(db: SqlExecutor, q: FindingQuery = {}): Promise<readonly StoredFinding[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.org !== undefined) { where.push('org = ?'); params.push(q.org); }
  if (!q.all) where.push(`state <> 'resolved'`);
  const rows = await db.query(`${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params);
  const rank = (s: string) => SEVERITIES.indexOf(s as never);
  return rows.map(rowToFinding).sort((a, b) =>
    Number(a.state === 'resolved') - Number(b.state === 'resolved') || rank(b.severity) - rank(a.severity)
    || a.org.localeCompare(b.org) || a.surface.localeCompare(b.surface) || a.pathText.localeCompare(b.pathText) || a.rule.localeCompare(b.rule));
}

/** Writes one run's assessment: upserts current findings, closes resolved ones, appends history. */
/** `present` turns a finding into what may be stored for display (the stage passes redaction). */
export async function saveAssessment(db: SqlExecutor, run: RunRecord, current: readonly Finding[], resolved: readonly Finding[],
  present: (f: Finding) => Finding = (f) => f): Promise<void> {
  const upsert = `INSERT INTO findings (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
  for (const assessed of current) {
    const f = present(assessed);
    if (!f.state || !f.firstSeen || !f.lastSeen) fail(LIFECYCLE_CODES.noState, 'internal', `finding ${f.id} reached persist without a lifecycle state`);
    await db.execute(upsert, [
      f.id, f.org, f.surface, f.pathText, f.rule, f.kind, f.severity, f.sensitivity, f.title, JSON.stringify(f.frameworks), f.driftKind ?? null,
      f.state!, f.firstSeen!, f.lastSeen!, run.id, null, f.waiver?.owner ?? null, f.waiver?.id ?? null, f.waiver?.status ?? null,
      f.attribution ? JSON.stringify(storedAttribution(f.attribution)) : null,
    ]);
    await history(db, run, f, f.state!);
  }
  for (const f of resolved) {
    await db.execute(`UPDATE findings SET state = 'resolved', resolved_at = ?, last_run_id = ? WHERE id = ?`, [run.startedAt, run.id, f.id]);
    await history(db, run, f, 'resolved');
  }
}

const history = (db: SqlExecutor, run: RunRecord, f: Finding, state: FindingState) => db.execute(
  // A finding listed twice in one run (two identical verdicts) is one decision, not an error.
  `INSERT INTO finding_history (run_id, finding_id, org, state, severity, waiver_id, waiver_status, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (run_id, finding_id) DO NOTHING`,
  [run.id, f.id, f.org, state, f.severity, f.waiver?.id ?? null, f.waiver?.status ?? null, run.startedAt],
);

/** Who/when/what is kept; old and new values are not (they may hold secrets). */
function storedAttribution(a: Attribution): Attribution {
  const { oldValues: _o, newValues: _n, ...rest } = a;
  return rest;
}

function rowToFinding(row: SqlRow): StoredFinding {
  const bad = (why: string): never => fail(LIFECYCLE_CODES.badRow, 'internal', `finding ${String(row.id)} in the store is unreadable: ${why}`);
  const text = (c: string): string => (typeof row[c] === 'string' ? (row[c] as string) : bad(`${c} is not text`));
  const optional = (c: string): string | undefined => (row[c] === null || row[c] === undefined ? undefined : text(c));
  const oneOf = <T extends string>(c: string, values: readonly T[]): T => {
    const v = text(c);
    return values.includes(v as T) ? (v as T) : bad(`${c} "${v}" is not one of ${values.join(', ')}`);
  };
  const json = <T>(c: string): T | undefined => {
    const v = optional(c);
    if (v === undefined) return undefined;
    try { return JSON.parse(v) as T; } catch { return bad(`${c} is not JSON`); }
  };
  const resolvedAt = optional('resolved_at');
  const owner = optional('owner');
  const driftKind = optional('drift_kind') as DriftKind | undefined;
  const waiverId = optional('waiver_id');
  const waiverStatus = optional('waiver_status');
  const attribution = json<Attribution>('attribution_json');
  return {
    id: findingId(text('id')), org: orgId(text('org')), surface: surfaceId(text('surface')), pathText: text('path'),
    rule: ruleId(text('rule')), kind: oneOf('kind', FINDING_KINDS), severity: oneOf('severity', SEVERITIES),
    sensitivity: oneOf('sensitivity', SENSITIVITIES), title: text('title'),
    frameworks: json<FrameworkRef[]>('frameworks_json') ?? [],
    ...(driftKind ? { driftKind } : {}),
    state: oneOf('state', FINDING_STATES), firstSeen: text('first_seen'), lastSeen: text('last_seen'),
    lastRunId: text('last_run_id'),
    ...(resolvedAt ? { resolvedAt } : {}), ...(owner ? { owner } : {}),
    ...(waiverId ? { waiverId } : {}), ...(waiverStatus ? { waiverStatus } : {}),
    ...(attribution ? { attribution } : {}),
  };
}
