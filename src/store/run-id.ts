// Run ids sort by start time as plain strings: compact ISO-8601 UTC time + random suffix,
// e.g. `20261125T202410123Z-3f9a1c0b`. Safe in file names and URLs.
import { randomBytes } from 'node:crypto';
import { runId, type RunId } from '../model/ids.ts';

const RUN_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[0-9a-f]{8}$/;

export function newRunId(now: Date = new Date(), random: (bytes: number) => Uint8Array = randomBytes): RunId {
  const time = now.toISOString().replace(/[-:.]/g, '');
  const suffix = Buffer.from(random(4)).toString('hex').padStart(8, '0').slice(0, 8);
  return runId(`${time}-${suffix}`);
}

/** The ISO time a run id was made at, or null when `id` is not in the run-id format. */
export function runIdTime(id: string): string | null {
  const m = RUN_ID.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}
