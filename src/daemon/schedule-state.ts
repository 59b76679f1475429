// Per-org schedule state: the last tick a daemon handled and when "monitoring blind" was last
// raised (to raise it once per window, not on every tick).
import type { SqlExecutor } from '../store/store.ts';

export type ScheduleState = { readonly lastTickAt: string | null; readonly blindRaisedAt: string | null };

export async function readScheduleState(db: SqlExecutor, org: string): Promise<ScheduleState> {
  const rows = await db.query<{ last_tick_at: string | null; blind_raised_at: string | null }>(
    'SELECT last_tick_at, blind_raised_at FROM daemon_schedule WHERE org = ?', [org]);
  return { lastTickAt: rows[0]?.last_tick_at ?? null, blindRaisedAt: rows[0]?.blind_raised_at ?? null };
}

export async function saveLastTick(db: SqlExecutor, org: string, at: string): Promise<void> {
  await db.execute(
    `INSERT INTO daemon_schedule (org, last_tick_at) VALUES (?, ?)
     ON CONFLICT (org) DO UPDATE SET last_tick_at = excluded.last_tick_at`, [org, at]);
}

export async function saveBlindRaised(db: SqlExecutor, org: string, at: string | null): Promise<void> {
  await db.execute(
    `INSERT INTO daemon_schedule (org, blind_raised_at) VALUES (?, ?)
     ON CONFLICT (org) DO UPDATE SET blind_raised_at = excluded.blind_raised_at`, [org, at]);
}

/** When the org last had a successful complete run (clean or drift), or null. */
export async function lastSuccessAt(db: SqlExecutor, org: string): Promise<string | null> {
  const rows = await db.query<{ at: string | null }>(
    `SELECT MAX(finished_at) AS at FROM runs WHERE org = ? AND status IN ('clean', 'drift')`, [org]);
  return rows[0]?.at ?? null;
}

/** Start of the org's earliest recorded run and of its latest, or null when it never ran. */
export async function runSpan(db: SqlExecutor, org: string): Promise<{ readonly first: string | null; readonly last: string | null }> {
  const rows = await db.query<{ first: string | null; last: string | null }>(
    'SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM runs WHERE org = ?', [org]);
  return { first: rows[0]?.first ?? null, last: rows[0]?.last ?? null };
}
