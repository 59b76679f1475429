// Sends each redacted finding to channels by walking the ordered rules (Alertmanager style):
// the first matching rule wins unless it says `continue: true`; no match → the default route.
import { severityRank, type Finding } from '../model/findings.ts';
import type { FindingId } from '../model/ids.ts';
import type { Redacted } from '../redact/redacted.ts';
import { globMatch } from './glob.ts';
import type { FindingState, RouteMatch, RouteTable } from './types.ts';

export type RouteOptions = {
  /** Lifecycle state per finding id. A rule with a `state` condition never matches a finding whose
   *  state is unknown, so forgetting to pass states silences state rules instead of misfiring them. */
  readonly states?: ReadonlyMap<FindingId, FindingState>;
};

export function matchesRoute(f: Finding, m: RouteMatch, state: FindingState | undefined): boolean {
  if (m.severityAtLeast !== undefined && severityRank(f.severity) < severityRank(m.severityAtLeast)) return false;
  if (m.severity && !m.severity.includes(f.severity)) return false;
  if (m.sensitivity && !m.sensitivity.includes(f.sensitivity)) return false;
  if (m.kind && !m.kind.includes(f.kind)) return false;
  if (m.state && (state === undefined || !m.state.includes(state))) return false;
  if (m.org && !m.org.includes(f.org)) return false;
  if (m.surface && !m.surface.some((g) => globMatch(g, f.surface))) return false;
  if (m.rule && !m.rule.some((g) => globMatch(g, f.rule))) return false;
  if (m.path && !m.path.some((g) => globMatch(g, f.pathText))) return false;
  if (m.framework && !m.framework.some((g) => f.frameworks.some((r) =>
    g.includes(':') ? globMatch(g, `${r.framework}:${r.control}`) : globMatch(g, r.framework)))) return false;
  return true;
}

/** Names of the channels one finding goes to, in rule order, without duplicates. */
export function channelsFor(f: Finding, table: RouteTable, state?: FindingState): string[] {
  const out: string[] = [];
  let matched = false;
  for (const rule of table.routes) {
    if (!matchesRoute(f, rule.match, state)) continue;
    matched = true;
    for (const c of rule.channels) if (!out.includes(c)) out.push(c);
    if (!rule.continue) break;
  }
  if (!matched) for (const c of table.defaultChannels) if (!out.includes(c)) out.push(c);
  return out;
}

/** Pure: findings grouped by channel name, each list in input order. Channels that receive
 *  nothing are absent from the map. */
export function routeFindings(findings: readonly Redacted<Finding>[], table: RouteTable, opts: RouteOptions = {}): ReadonlyMap<string, Redacted<Finding>[]> {
  const out = new Map<string, Redacted<Finding>[]>();
  for (const f of findings) {
    for (const c of channelsFor(f, table, opts.states?.get(f.id))) {
      const list = out.get(c);
      if (list) list.push(f); else out.set(c, [f]);
    }
  }
  return out;
}
