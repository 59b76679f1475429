// Picks the audit event most likely behind one drift finding: same entity (the id in the path's
// `entities[id=…]`, or the feature name), a property change on the drifted path (or the create
// or delete of the whole entity), and of those the latest before now.
import { parsePath } from '../diff/format-path.ts';
import type { Attribution, Finding } from '../model/findings.ts';
import type { AuditChange, AuditEvent } from './audit-query.ts';
import type { AuditTarget } from './audit-targets.ts';

/** Where a finding points inside the audited entity: its id (if any) and dotted property. */
export type AuditLocus = { readonly entityId?: string; readonly property: string };

export function locusOf(f: Pick<Finding, 'pathText'>, target: AuditTarget): AuditLocus | undefined {
  let segments;
  try { segments = parsePath(f.pathText); } catch { return undefined; }
  let rest = segments;
  let entityId: string | undefined;
  if (target.entityFrom === 'entities-id') {
    const [first, second] = segments;
    if (first !== 'entities' || second === undefined || typeof second !== 'object' || second.key !== 'id') return undefined;
    entityId = String(second.value);
    rest = segments.slice(2);
  } else if (target.entityFrom === 'first-segment') {
    if (typeof segments[0] !== 'string') return undefined;
    entityId = segments[0];
  }
  // The Audit API flattens objects to dotted keys and logs an array as one property, so the
  // path stops at the first array element.
  const keys: string[] = [];
  for (const s of rest) { if (typeof s !== 'string') break; keys.push(s); }
  return { ...(entityId !== undefined ? { entityId } : {}), property: keys.join('.') };
}

const related = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

type Match = { readonly event: AuditEvent; readonly change?: AuditChange; /** the change is exactly the drifted property */ readonly exact?: boolean };

export function matchEvent(f: Finding, locus: AuditLocus, events: readonly AuditEvent[], now: Date): Match | undefined {
  const nowText = now.toISOString();
  const candidates: Match[] = [];
  for (const event of events) {
    if (event.eventDate > nowText) continue;
    if (locus.entityId !== undefined && event.entityId !== locus.entityId) continue;
    if (locus.property === '') {
      // The whole entity appeared or vanished: its create or delete is the change.
      const wanted = f.driftKind === 'ADDED' ? 'Create' : f.driftKind === 'REMOVED' ? 'Delete' : undefined;
      if (wanted === undefined || event.action === wanted) candidates.push({ event });
      continue;
    }
    const exact = event.changes.find((c) => c.property === locus.property);
    const change = exact ?? event.changes.find((c) => related(c.property, locus.property));
    if (change) candidates.push({ event, change, exact: exact !== undefined });
  }
  return candidates.reduce<Match | undefined>((best, m) => (best === undefined || m.event.eventDate > best.event.eventDate ? m : best), undefined);
}

/** The Attribution for a match. Values are given only for the drifted property itself, and never
 *  for secret findings: a parent property's values (a whole array of name/value pairs) may hold
 *  secrets the finding's own classification never saw. */
export function attributionOf(f: Finding, m: Match): Attribution {
  const { event, change } = m;
  const withValues = change && m.exact !== false && f.sensitivity !== 'secret';
  return {
    found: true,
    ...(event.user ? { user: event.user } : {}),
    ...(event.client ? { client: event.client } : {}),
    ...(event.remoteIp.length ? { remoteIp: event.remoteIp.join(', ') } : {}),
    time: event.eventDate,
    action: event.action,
    ...(change ? { property: change.property } : {}),
    ...(withValues ? { oldValues: change.oldValues, newValues: change.newValues } : {}),
    ...(change && !withValues ? { note: f.sensitivity === 'secret' ? 'values withheld: the property holds a secret' : 'values withheld: the change is logged on an enclosing property' } : {}),
  };
}
