// Reads waivers.yaml all-or-nothing: any malformed or over-long waiver fails the whole file with
// file:line:col, so a check never runs with half of its exceptions applied.
//
// Length rule: every waiver names the day it was `created` and the day it `expires`;
// `expires - created` may not exceed `waiverPolicy.maxDays`, and `created` may not lie in the
// future (otherwise a far-future `created` would stretch a waiver past the cap). A waiver
// covers findings through the end of its `expires` day (UTC).
import { DwFailure, dwError, type DwCode } from '../model/errors.ts';
import { loadYamlWithSchemaLocated, parseYamlWithSchemaLocated, type LocatedYaml } from '../config/load-yaml.ts';
import { WAIVERS_SCHEMA, type RawWaiver, type RawWaiversFile } from './schema.ts';

export const WAIVER_CODES = {
  syntax: 'DW7101',          // waivers.yaml is not valid YAML
  schema: 'DW7102',          // a waiver does not match the schema (missing owner, expires ...)
  missing: 'DW7103',         // waivers.yaml cannot be read
  badDate: 'DW7104',         // created/expires is not a real calendar date
  tooLong: 'DW7105',         // expires - created exceeds waiverPolicy.maxDays
  createdFuture: 'DW7106',   // created lies in the future
  expiresBeforeCreated: 'DW7107',
  duplicateId: 'DW7108',
} as const;

const DAY_MS = 86_400_000;

/** A waiver as written, plus when it stops applying. */
export type Waiver = RawWaiver & {
  /** First instant the waiver no longer applies: the start of the day after `expires` (UTC). */
  readonly endsAt: Date;
};

export type WaiverPolicy = { readonly maxDays: number };

export function loadWaivers(file: string, policy: WaiverPolicy, now: Date): readonly Waiver[] {
  return checkWaivers(loadYamlWithSchemaLocated<RawWaiversFile>(file, WAIVERS_SCHEMA, WAIVER_CODES), policy, now);
}

export function parseWaivers(text: string, file: string, policy: WaiverPolicy, now: Date): readonly Waiver[] {
  return checkWaivers(parseYamlWithSchemaLocated<RawWaiversFile>(text, file, WAIVERS_SCHEMA, WAIVER_CODES), policy, now);
}

function checkWaivers({ value, locate }: LocatedYaml<RawWaiversFile>, policy: WaiverPolicy, now: Date): readonly Waiver[] {
  const bad = (code: DwCode, message: string, path: readonly (string | number)[]): never => {
    const p = locate(path);
    throw new DwFailure(dwError(code, 'bad-input', message, p.at, p.sourceLine));
  };
  const today = Date.parse(now.toISOString().slice(0, 10) + 'T00:00:00Z');
  const seen = new Set<string>();
  return value.waivers.map((w, i) => {
    if (seen.has(w.id)) bad(WAIVER_CODES.duplicateId, `waiver id "${w.id}" is used twice; ids must be unique`, ['waivers', i, 'id']);
    seen.add(w.id);
    const created = dayOf(w.created) ?? bad(WAIVER_CODES.badDate, `waivers.${i}.created: "${w.created}" is not a calendar date`, ['waivers', i, 'created']);
    const expires = dayOf(w.expires) ?? bad(WAIVER_CODES.badDate, `waivers.${i}.expires: "${w.expires}" is not a calendar date`, ['waivers', i, 'expires']);
    if (created > today) bad(WAIVER_CODES.createdFuture, `waiver "${w.id}": created ${w.created} lies in the future`, ['waivers', i, 'created']);
    if (expires < created) bad(WAIVER_CODES.expiresBeforeCreated, `waiver "${w.id}": expires ${w.expires} is before created ${w.created}`, ['waivers', i, 'expires']);
    const days = Math.round((expires - created) / DAY_MS);
    if (days > policy.maxDays) {
      bad(WAIVER_CODES.tooLong, `waiver "${w.id}" lasts ${days} days (${w.created} to ${w.expires}); waiverPolicy.maxDays allows at most ${policy.maxDays}`, ['waivers', i, 'expires']);
    }
    return { ...w, endsAt: new Date(expires + DAY_MS) };
  });
}

/** Midnight UTC of a YYYY-MM-DD date, or undefined when it is not a real date (2026-02-30). */
function dayOf(text: string): number | undefined {
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text ? undefined : t;
}
