// Marks findings covered by a waiver. A covered finding is still recorded and reported (never
// paged); once the waiver runs out the finding is back, saying so. Coverage gaps are never
// waivable: being blind to a surface must be fixed (or the surface excluded in the config).
import { globMatch } from '../route/glob.ts';
import type { Finding, WaiverRef } from '../model/findings.ts';
import type { Waiver } from './load-waivers.ts';

const DAY_MS = 86_400_000;

export type ExpiringWaiver = { readonly id: string; readonly owner: string; readonly expires: string };
export type WaiverOutcome = { readonly findings: readonly Finding[]; readonly expiringSoon: readonly ExpiringWaiver[] };

export const waiverCovers = (w: Waiver, f: Finding): boolean =>
  f.kind !== 'coverage-gap'
  && globMatch(w.scope.path, f.pathText)
  && (w.scope.org === undefined || globMatch(w.scope.org, f.org))
  && (w.scope.surface === undefined || globMatch(w.scope.surface, f.surface))
  && (w.scope.rule === undefined || globMatch(w.scope.rule, f.rule));

export const isExpired = (w: Waiver, now: Date): boolean => now.getTime() >= w.endsAt.getTime();

/** With `org`, only waivers that can apply to that org are listed as expiring soon. */
export function applyWaivers(waivers: readonly Waiver[], findings: readonly Finding[], now: Date, warnDays: number, org?: string): WaiverOutcome {
  const out = findings.map((f) => {
    const matching = waivers.filter((w) => waiverCovers(w, f));
    if (matching.length === 0) return f;
    const active = matching.filter((w) => !isExpired(w, now));
    // The waiver that lasts longest decides: an active one covers, else the finding is back.
    const pick = (ws: readonly Waiver[]) => ws.reduce((a, b) => (b.endsAt > a.endsAt ? b : a));
    if (active.length > 0) return { ...f, waiver: ref(pick(active), 'active') };
    const w = pick(matching);
    return {
      ...f,
      waiver: ref(w, 'expired'),
      title: `${f.title} (waiver expired)`,
      message: `Waiver ${w.id} expired on ${w.expires} (owner ${w.owner}, ticket ${w.ticket}): this finding is back.${f.message ? ` ${f.message}` : ''}`,
    };
  });
  const horizon = now.getTime() + warnDays * DAY_MS;
  const expiringSoon = waivers
    .filter((w) => !isExpired(w, now) && w.endsAt.getTime() <= horizon)
    .filter((w) => org === undefined || w.scope.org === undefined || globMatch(w.scope.org, org))
    .map((w) => ({ id: w.id, owner: w.owner, expires: w.expires }));
  return { findings: out, expiringSoon };
}

const ref = (w: Waiver, status: WaiverRef['status']): WaiverRef => ({
  id: w.id, owner: w.owner, reason: w.reason, ticket: w.ticket, expires: w.expires, status,
});
