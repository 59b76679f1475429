// RunRecord <-> `runs` row. Portable SQL only; used by every Store implementation.
import { fail } from '../model/errors.ts';
import type { RunRecord } from '../model/findings.ts';
import { orgId, runId, type RunId } from '../model/ids.ts';
import { STORE_CODES, type RunQuery, type SqlExecutor, type SqlRow, type SqlValue } from './store.ts';

const COLUMNS = ['id', 'org', 'started_at', 'finished_at', 'status', 'surfaces_ok', 'surfaces_total', 'drift_count', 'finding_count', 'durations_json', 'policy_digest', 'baseline_commit', 'exit_code', 'error'] as const;
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM runs`;
const STATUSES = new Set<string>(['clean', 'drift', 'coverage-gap', 'failed']);
export const DEFAULT_RUN_LIMIT = 100;

export async function insertRun(db: SqlExecutor, r: RunRecord): Promise<void> {
  const values: SqlValue[] = [
    r.id, r.org, r.startedAt, r.finishedAt, r.status, r.surfacesOk, r.surfacesTotal, r.driftCount, r.findingCount,
    JSON.stringify(r.durationsMs), r.policyDigest ?? null, r.baselineCommit ?? null, r.exitCode, r.error ?? null,
  ];
  try {
    await db.execute(`INSERT INTO runs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`, values);
  } catch (e) {
    if ((e as { error?: { code?: string } }).error?.code === STORE_CODES.duplicate) fail(STORE_CODES.duplicate, 'internal', `run ${r.id} is already recorded; run ids must be unique`);
    throw e;
  }
}

export async function selectRun(db: SqlExecutor, id: RunId): Promise<RunRecord | null> {
  const rows = await db.query(`${SELECT} WHERE id = ?`, [id]);
  return rows.length ? rowToRun(rows[0]!) : null;
}

export async function selectRuns(db: SqlExecutor, q: RunQuery = {}): Promise<readonly RunRecord[]> {
  const limit = q.limit ?? DEFAULT_RUN_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) fail(STORE_CODES.sql, 'internal', `listRuns limit must be a non-negative integer, got ${limit}`);
  const where = q.org !== undefined ? ' WHERE org = ?' : '';
  const params: SqlValue[] = q.org !== undefined ? [q.org, limit] : [limit];
  const rows = await db.query(`${SELECT}${where} ORDER BY started_at DESC, id DESC LIMIT ?`, params);
  return rows.map(rowToRun);
}

function rowToRun(row: SqlRow): RunRecord {
  const bad = (why: string): never => fail(STORE_CODES.badRow, 'internal', `run ${String(row.id)} in the store is unreadable: ${why}`);
  const text = (c: string): string => (typeof row[c] === 'string' ? (row[c] as string) : bad(`${c} is not text`));
  // PostgreSQL drivers return BIGINT as text; SQLite returns numbers. Accept both.
  const int = (c: string): number => {
    const n = typeof row[c] === 'bigint' || typeof row[c] === 'string' ? Number(row[c]) : row[c];
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : bad(`${c} is not an integer`);
  };
  const optional = (c: string): string | undefined => (row[c] === null || row[c] === undefined ? undefined : text(c));
  const status = text('status');
  if (!STATUSES.has(status)) bad(`unknown status "${status}"`);
  let durations: unknown;
  try { durations = JSON.parse(text('durations_json')); } catch { bad('durations_json is not JSON'); }
  if (durations === null || typeof durations !== 'object' || Array.isArray(durations) || Object.values(durations).some((v) => typeof v !== 'number')) bad('durations_json is not an object of numbers');
  const policyDigest = optional('policy_digest');
  const baselineCommit = optional('baseline_commit');
  const error = optional('error');
  return {
    id: runId(text('id')),
    org: orgId(text('org')),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    status: status as RunRecord['status'],
    surfacesOk: int('surfaces_ok'),
    surfacesTotal: int('surfaces_total'),
    driftCount: int('drift_count'),
    findingCount: int('finding_count'),
    durationsMs: durations as Record<string, number>,
    ...(policyDigest !== undefined ? { policyDigest } : {}),
    ...(baselineCommit !== undefined ? { baselineCommit } : {}),
    exitCode: int('exit_code'),
    ...(error !== undefined ? { error } : {}),
  };
}
