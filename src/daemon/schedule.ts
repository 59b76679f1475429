// Cron arithmetic for the daemon, on croner: parse/validate an org's schedule, the default
// "blind" window, and whether a scheduled time passed without a run (catch-up on start).
import { Cron } from 'croner';
import { fail } from '../model/errors.ts';
import type { OrgConfig } from '../config/config.ts';
import { DAEMON_CODES } from './codes.ts';

/** A paused croner job: used for date arithmetic only (never fires). */
export function parseSchedule(org: Pick<OrgConfig, 'id' | 'schedule'>): Cron {
  try {
    return new Cron(org.schedule ?? '', { paused: true });
  } catch (e) {
    return fail(DAEMON_CODES.badSchedule, 'bad-input', `org ${org.id}: schedule "${org.schedule}" is not a cron expression (${(e as Error).message})`);
  }
}

/** The longest gap between the next few scheduled times: an irregular schedule (weekdays only)
 *  must not count the weekend as missed runs. */
export function scheduleIntervalMs(cron: Cron, from: Date): number {
  const times = cron.nextRuns(8, from);
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]!.getTime() - times[i - 1]!.getTime());
  return longest || 86_400_000;
}

/** How long an org may go without a successful run before "monitoring blind": the configured
 *  `blindAfterMinutes`, else three schedule intervals. */
export function blindWindowMs(org: Pick<OrgConfig, 'blindAfterMinutes'>, cron: Cron, from: Date): number {
  return org.blindAfterMinutes !== null ? org.blindAfterMinutes * 60_000 : 3 * scheduleIntervalMs(cron, from);
}

/** True when a scheduled time fell between the last run (or handled tick) and now: run once
 *  now. An org that never ran is missed too (the first check should not wait for the schedule). */
export function missedRun(cron: Cron, lastRunAt: string | null, now: Date): boolean {
  if (lastRunAt === null) return true;
  const next = cron.nextRun(new Date(lastRunAt));
  return next !== null && next.getTime() <= now.getTime();
}
