// Schema migrations as data. Each area owns a range of ids and its own list; ALL_MIGRATIONS is
// the set a store applies. To add tables: put `export const XYZ_MIGRATIONS: readonly Migration[]`
// next to your code, with ids from your range, and add it to ALL_MIGRATIONS below.
//   1–99 store core (runs)    100–199 findings/waivers    200–299 outbox/notify
//   300–399 vault             400–499 report              500+ ask the lead
// Pending migrations are applied in id order, whichever ranges they come from, so a later area
// may reference tables of a lower range (runs) but not the other way round.
import { createHash } from 'node:crypto';
import { fail } from '../model/errors.ts';
import { STORE_CODES, type Dialect, type Migration } from './store.ts';
import { LIFECYCLE_MIGRATIONS } from '../lifecycle/migrations.ts';
import { OUTBOX_MIGRATIONS } from '../notify/outbox/migrations.ts';
import { VAULT_MIGRATIONS } from '../vault/migrations.ts';
import { EVIDENCE_MIGRATIONS } from '../evidence/migrations.ts';
import { DAEMON_MIGRATIONS } from '../daemon/migrations.ts';

export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'runs',
    up: [
      `CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('clean', 'drift', 'coverage-gap', 'failed')),
        surfaces_ok INTEGER NOT NULL,
        surfaces_total INTEGER NOT NULL,
        drift_count INTEGER NOT NULL,
        finding_count INTEGER NOT NULL,
        durations_json TEXT NOT NULL,
        policy_digest TEXT,
        baseline_commit TEXT,
        exit_code INTEGER NOT NULL,
        error TEXT
      )`,
      'CREATE INDEX runs_org_started ON runs (org, started_at)',
      'CREATE INDEX runs_started ON runs (started_at)',
    ],
  },
];

export const ALL_MIGRATIONS: readonly Migration[] = [
  ...CORE_MIGRATIONS,
  ...LIFECYCLE_MIGRATIONS,
  ...OUTBOX_MIGRATIONS,
  ...VAULT_MIGRATIONS,
  ...EVIDENCE_MIGRATIONS,
  ...DAEMON_MIGRATIONS,
];

/** The statements to run for `dialect`. */
export const statementsFor = (m: Migration, dialect: Dialect): readonly string[] => m.upFor?.[dialect] ?? m.up;

/** Fingerprint of a migration's SQL (all dialects), recorded when applied to catch later edits.
 *  Whitespace runs are collapsed so re-indenting a migration is not an edit. */
export function migrationChecksum(m: Migration): string {
  const norm = (xs: readonly string[]) => xs.map((s) => s.replace(/\s+/g, ' ').trim());
  const upFor = Object.fromEntries(Object.entries(m.upFor ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, xs]) => [d, norm(xs ?? [])]));
  return createHash('sha256').update(JSON.stringify({ up: norm(m.up), upFor })).digest('hex');
}

/** Sorted copy of `migrations`; refuses duplicate or non-positive ids and empty SQL. */
export function checkMigrations(migrations: readonly Migration[]): readonly Migration[] {
  const seen = new Map<number, string>();
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.id) || m.id <= 0) fail(STORE_CODES.badMigrations, 'internal', `migration "${m.name}" has id ${m.id}; ids are positive integers`);
    const other = seen.get(m.id);
    if (other !== undefined) fail(STORE_CODES.badMigrations, 'internal', `migrations "${other}" and "${m.name}" share id ${m.id}; give each a unique id from its area's range`);
    if (m.up.length === 0 || m.up.some((s) => s.trim() === '')) fail(STORE_CODES.badMigrations, 'internal', `migration ${m.id} "${m.name}" has an empty statement`);
    seen.set(m.id, m.name);
  }
  return [...migrations].sort((a, b) => a.id - b.id);
}
