// The attribution stage: for each drift finding that is new or regressed, who made the change.
// One Audit API query per audit service per run (never one per finding; surfaces of one service
// share it, since serviceName is the query's required key and the entity type filters locally),
// the services queried side by side through the client's pacing. Audit failures never fail the
// run: the findings say, loudly, that attribution is unavailable and why.
import type { AttributionStage } from '../pipeline/stages.ts';
import type { GenesysClient } from '../genesys/client.ts';
import { GenesysForbiddenError } from '../genesys/errors.ts';
import { DwFailure } from '../model/errors.ts';
import type { Attribution, Finding } from '../model/findings.ts';
import { queryAuditEvents, type AuditEvent, type AuditQueryOptions } from './audit-query.ts';
import { auditTargetFor } from './audit-targets.ts';
import { attributionOf, locusOf, matchEvent } from './match-event.ts';

const DAY_MS = 86_400_000;
const AUDIT_PERMISSION = 'audits:audit:view';

export type AttributionOptions = AuditQueryOptions & {
  /** How far back to look; when absent the `since` run-check passes is used. */
  readonly lookbackDays?: number;
};

/** Drift that opened in this run (or without lifecycle, every drift finding). */
export const needsAttribution = (f: Finding): boolean => f.kind === 'drift' && (f.state === undefined || f.state === 'new' || f.state === 'regressed');

type ServiceAnswer = { readonly events: readonly AuditEvent[] } | { readonly failure: Attribution };

export function createAttribution(client: GenesysClient, opts: AttributionOptions = {}): AttributionStage {
  return {
    async attribute(_org, findings, since, now) {
      const from = opts.lookbackDays !== undefined ? new Date(now.getTime() - opts.lookbackDays * DAY_MS) : since;
      // The interval end is exclusive: reach one second past now so a change logged in the same
      // millisecond as the run is still inside (matching drops anything later than now).
      const to = new Date(now.getTime() + 1000);
      const wanted = findings.filter(needsAttribution);
      const services = [...new Set(wanted.flatMap((f) => auditTargetFor(f.surface)?.serviceName ?? []))];
      const answers = new Map<string, ServiceAnswer>(await Promise.all(services.map(async (serviceName): Promise<[string, ServiceAnswer]> => {
        try { return [serviceName, { events: await queryAuditEvents(client, { serviceName, from, to }, opts) }]; }
        catch (e) { return [serviceName, { failure: unavailable(e) }]; }
      })));
      const windowNote = `not found in the audit window (${from.toISOString()} to ${now.toISOString()})`;
      return findings.map((f) => {
        if (!needsAttribution(f)) return f;
        const target = auditTargetFor(f.surface);
        const answer = target && answers.get(target.serviceName);
        if (!target || !answer) return { ...f, attribution: { found: false, note: `attribution unavailable: no Audit API mapping for surface ${f.surface}` } };
        if ('failure' in answer) return { ...f, attribution: answer.failure };
        const locus = locusOf(f, target);
        const events = answer.events.filter((e) => e.entityType === target.entityType);
        const match = locus ? matchEvent(f, locus, events, now) : undefined;
        return { ...f, attribution: match ? attributionOf(f, match) : { found: false, note: windowNote } };
      });
    },
  };
}

/** Says loudly why nobody is named: this is not a gap in configuration coverage, but it matters. */
function unavailable(e: unknown): Attribution {
  if (e instanceof GenesysForbiddenError) {
    const perm = e.missingPermission || AUDIT_PERMISSION;
    return {
      found: false,
      note: `ATTRIBUTION UNAVAILABLE: the Audit API refused the query (HTTP 403, missing permission ${perm}). `
        + `Grant ${AUDIT_PERMISSION} to driftwarden's OAuth client to see who made changes; drift detection itself is unaffected.`,
    };
  }
  const why = e instanceof DwFailure ? `${e.error.code} ${e.error.message}` : e instanceof Error ? e.message : String(e);
  return { found: false, note: `ATTRIBUTION UNAVAILABLE: the Audit API query failed (${why}); drift detection itself is unaffected.` };
}
