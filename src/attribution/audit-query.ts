// Reads Audit API events for one service/entity type over a time window (reference §6): the
// realtime query covers the last 14 days; anything older goes through the asynchronous query
// (POST, poll until Succeeded, cursor results). All calls go through the GenesysClient, so they
// share the run's pacing, retries and token.
import type { GenesysClient } from '../genesys/client.ts';
import type { Json, JsonObject } from '../model/findings.ts';
import { fail } from '../model/errors.ts';

export const ATTRIBUTION_CODES = {
  badAnswer: 'DW7201',     // the Audit API answered something that is not an audit envelope
  queryFailed: 'DW7202',   // the asynchronous query ended Failed or Cancelled
  queryTimeout: 'DW7203',  // the asynchronous query did not finish within the polls allowed
  tooMany: 'DW7204',       // more result pages than the guard allows
} as const;

const DAY_MS = 86_400_000;
export const REALTIME_DAYS = 14;
const PAGE_SIZE = 500;

export type AuditChange = { readonly property: string; readonly oldValues: readonly string[]; readonly newValues: readonly string[] };
export type AuditEvent = {
  readonly id: string;
  readonly eventDate: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId?: string;
  readonly user?: string;
  readonly client?: string;
  readonly remoteIp: readonly string[];
  readonly changes: readonly AuditChange[];
};

/** One service's events; `entityType` narrows the query to one entity type (else every type). */
export type AuditQuery = { readonly serviceName: string; readonly entityType?: string; readonly from: Date; readonly to: Date };

export type AuditQueryOptions = {
  /** Wait between status polls of an asynchronous query. Default 2000 ms. */
  readonly pollMs?: number;
  readonly maxPolls?: number;
  readonly maxPages?: number;
  readonly sleep?: (ms: number) => Promise<void>;
};

/** Every event of the service (of `entityType`, if given) in [from, to), newest first. */
export async function queryAuditEvents(client: GenesysClient, q: AuditQuery, opts: AuditQueryOptions = {}): Promise<readonly AuditEvent[]> {
  // A window that exceeds 14 days by at most a minute (the stage reaches a second past now) is
  // still one realtime query: an asynchronous query for a few seconds would cost polls for nothing.
  const cutoff = q.to.getTime() - REALTIME_DAYS * DAY_MS;
  const realtimeFrom = q.from.getTime() >= cutoff - 60_000 ? q.from : new Date(cutoff);
  const events = [...await realtime(client, { ...q, from: realtimeFrom }, opts)];
  if (q.from < realtimeFrom) events.push(...await asyncQuery(client, { ...q, to: realtimeFrom }, opts));
  return events.sort((a, b) => b.eventDate.localeCompare(a.eventDate));
}

const requestBody = (q: AuditQuery): JsonObject => ({
  interval: `${q.from.toISOString()}/${q.to.toISOString()}`,
  serviceName: q.serviceName,
  filters: q.entityType !== undefined ? [{ property: 'EntityType', value: q.entityType }] : [],
  sort: [{ name: 'Timestamp', sortOrder: 'descending' }],
});

async function realtime(client: GenesysClient, q: AuditQuery, opts: AuditQueryOptions): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  const maxPages = opts.maxPages ?? 20;
  for (let pageNumber = 1; ; pageNumber++) {
    if (pageNumber > maxPages) return fail(ATTRIBUTION_CODES.tooMany, 'upstream', `audit query for ${q.serviceName}: more than ${maxPages} pages`);
    const page = await client.post('/api/v2/audits/query/realtime', { ...requestBody(q), pageNumber, pageSize: PAGE_SIZE });
    const entities = entitiesOf(page, 'POST /api/v2/audits/query/realtime');
    out.push(...entities.map(toEvent));
    const pageCount = isObject(page) && typeof page.pageCount === 'number' ? page.pageCount : 1;
    if (pageNumber >= pageCount || entities.length === 0) return out;
  }
}

async function asyncQuery(client: GenesysClient, q: AuditQuery, opts: AuditQueryOptions): Promise<AuditEvent[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await client.post('/api/v2/audits/query', requestBody(q));
  const id = isObject(started) && typeof started.id === 'string' ? started.id : fail(ATTRIBUTION_CODES.badAnswer, 'upstream', 'POST /api/v2/audits/query answered without a query id');
  const maxPolls = opts.maxPolls ?? 60;
  for (let polls = 0; ; polls++) {
    const status = await client.get(`/api/v2/audits/query/${encodeURIComponent(id)}`);
    const state = isObject(status) ? status.state : undefined;
    if (state === 'Succeeded') break;
    if (state === 'Failed' || state === 'Cancelled') return fail(ATTRIBUTION_CODES.queryFailed, 'upstream', `asynchronous audit query ${id} ended ${state}`);
    if (polls + 1 >= maxPolls) return fail(ATTRIBUTION_CODES.queryTimeout, 'upstream', `asynchronous audit query ${id} still ${String(state)} after ${maxPolls} polls`);
    await sleep(opts.pollMs ?? 2000);
  }
  const out: AuditEvent[] = [];
  let cursor: string | undefined;
  const maxPages = opts.maxPages ?? 20;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) return fail(ATTRIBUTION_CODES.tooMany, 'upstream', `asynchronous audit query ${id}: more than ${maxPages} pages`);
    const page = await client.get(`/api/v2/audits/query/${encodeURIComponent(id)}/results`, { pageSize: PAGE_SIZE, cursor });
    out.push(...entitiesOf(page, `GET /api/v2/audits/query/${id}/results`).map(toEvent));
    cursor = isObject(page) && typeof page.cursor === 'string' && page.cursor !== '' ? page.cursor : undefined;
    if (cursor === undefined) return out;
  }
}

function entitiesOf(page: Json, what: string): readonly Json[] {
  if (!isObject(page) || !Array.isArray(page.entities)) return fail(ATTRIBUTION_CODES.badAnswer, 'upstream', `${what}: expected an envelope with an "entities" array`);
  return page.entities;
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : []);

/** An AuditLogMessage, read leniently: a field the platform leaves out is just absent. */
function toEvent(raw: Json): AuditEvent {
  const e = isObject(raw) ? raw : {};
  const user = isObject(e.user) ? e.user : undefined;
  const client = isObject(e.client) ? e.client : undefined;
  const entity = isObject(e.entity) ? e.entity : undefined;
  const userName = str(user?.name) ?? str(user?.id);
  const clientName = str(client?.name) ?? str(client?.id);
  const entityId = str(entity?.id);
  return {
    id: str(e.id) ?? '', eventDate: str(e.eventDate) ?? '', action: str(e.action) ?? '', entityType: str(e.entityType) ?? '',
    ...(entityId ? { entityId } : {}), ...(userName ? { user: userName } : {}), ...(clientName ? { client: clientName } : {}),
    remoteIp: Array.isArray(e.remoteIp) ? strings(e.remoteIp) : str(e.remoteIp) ? [e.remoteIp as string] : [],
    changes: (Array.isArray(e.propertyChanges) ? e.propertyChanges : []).filter(isObject).flatMap((c) => {
      const property = str(c.property);
      return property ? [{ property, oldValues: strings(c.oldValues), newValues: strings(c.newValues) }] : [];
    }),
  };
}
