// The Audit API (reference §6): every admin write becomes an AuditLogMessage; the realtime query,
// the asynchronous query (Queued -> Running -> Succeeded, cursor results) and service mappings.
import { badRequest, isApiError, notFound, type ApiError } from './errors.ts';
import { uuid, type Rng } from './prng.ts';
import type { JsonObj, JsonValue } from './types.ts';

export const AUDIT_ACTIONS = ['Create', 'Update', 'Delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type WriteRecord = {
  readonly serviceName: string;
  readonly entityType: string;
  readonly action: AuditAction;
  readonly entity: { readonly id: string; readonly name: string };
  readonly clientId: string;
  readonly clientName: string;
  readonly remoteIp: string;
  readonly before?: JsonObj;
  readonly after?: JsonObj;
  readonly ignoreKeys: readonly string[];
  readonly actionContext: string;
};

const FILTER_FIELDS: Readonly<Record<string, (e: JsonObj) => string | undefined>> = {
  UserId: (e) => ((e.user as JsonObj | undefined)?.id as string | undefined),
  TrusteeOrganizationId: () => undefined,
  ClientId: (e) => ((e.client as JsonObj | undefined)?.id as string | undefined),
  Action: (e) => e.action as string,
  EntityType: (e) => e.entityType as string,
  EntityId: (e) => ((e.entity as JsonObj | undefined)?.id as string | undefined),
};

const isObj = (v: JsonValue | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asString = (v: JsonValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Flattens to dotted property -> values; arrays become their elements (as strings), like §6.2. */
function flatten(value: JsonValue | undefined, prefix: string, ignore: ReadonlySet<string>, out: Map<string, string[]>): void {
  if (value === undefined) return;
  if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (ignore.has(k)) continue;
      flatten(v, prefix ? `${prefix}.${k}` : k, ignore, out);
    }
    return;
  }
  if (Array.isArray(value)) out.set(prefix, value.map(asString));
  else out.set(prefix, value === null ? [] : [String(value)]);
}

/** oldValues/newValues are arrays of strings even for numbers and booleans (§6.2). */
export function propertyChanges(before: JsonObj | undefined, after: JsonObj | undefined, ignoreKeys: readonly string[]): JsonObj[] {
  const ignore = new Set(ignoreKeys);
  const a = new Map<string, string[]>();
  const b = new Map<string, string[]>();
  flatten(before, '', ignore, a);
  flatten(after, '', ignore, b);
  const changes: JsonObj[] = [];
  for (const property of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const oldValues = a.get(property) ?? [];
    const newValues = b.get(property) ?? [];
    if (JSON.stringify(oldValues) !== JSON.stringify(newValues)) changes.push({ property, oldValues, newValues });
  }
  return changes;
}

type AsyncQuery = { readonly request: JsonObj; readonly startDate: string; polls: number; results?: JsonObj[] };

type ParsedQuery = {
  readonly fromMs: number; readonly toMs: number; readonly serviceName: string;
  readonly filters: readonly { property: string; value: string }[]; readonly descending: boolean;
};

export class AuditLog {
  readonly entries: JsonObj[] = [];
  private readonly asyncQueries = new Map<string, AsyncQuery>();
  private readonly orgId: string;
  private readonly rng: Rng;
  private readonly now: () => Date;
  private readonly services: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(orgId: string, rng: Rng, now: () => Date, services: ReadonlyMap<string, ReadonlySet<string>>) {
    this.orgId = orgId;
    this.rng = rng;
    this.now = now;
    this.services = services;
  }

  record(w: WriteRecord): JsonObj {
    const verb = { Create: 'created', Update: 'updated', Delete: 'deleted' }[w.action];
    const template = `{entityType} {entityName} was ${verb}`;
    const event: JsonObj = {
      id: uuid(this.rng),
      userHomeOrgId: this.orgId,
      // Client-credentials writes have no user; the client is the actor.
      client: { id: w.clientId, name: w.clientName, selfUri: `/api/v2/oauth/clients/${w.clientId}` },
      remoteIp: [w.remoteIp],
      serviceName: w.serviceName,
      level: 'USER',
      eventDate: this.now().toISOString(),
      message: {
        localizableMessageCode: `${w.entityType.toUpperCase()}_${w.action.toUpperCase()}`,
        message: template.replace('{entityType}', w.entityType).replace('{entityName}', w.entity.name),
        messageWithParams: template,
        messageParams: { entityType: w.entityType, entityName: w.entity.name },
      },
      action: w.action,
      entity: { id: w.entity.id, name: w.entity.name },
      entityType: w.entityType,
      status: 'SUCCESS',
      application: '',
      initiatingAction: { transactionId: uuid(this.rng), actionContext: w.actionContext },
      transactionInitiator: true,
      propertyChanges: propertyChanges(w.before, w.after, w.ignoreKeys),
      entityChanges: [],
      context: {},
    };
    this.entries.push(event);
    return event;
  }

  serviceMapping(): JsonObj {
    return {
      services: [...this.services].map(([name, types]) => ({
        name, entities: [...types].map((t) => ({ name: t, actions: [...AUDIT_ACTIONS] })),
      })),
    };
  }

  private parse(body: JsonValue | undefined, requireService: boolean): ParsedQuery | ApiError {
    if (!isObj(body)) return badRequest('The request body must be a JSON object');
    const interval = body.interval;
    const parts = typeof interval === 'string' ? interval.split('/') : [];
    const fromMs = Date.parse(parts[0] ?? '');
    const toMs = Date.parse(parts[1] ?? '');
    if (parts.length !== 2 || Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs > toMs) {
      return badRequest('interval must be two ISO-8601 instants separated by /', 'invalid.date');
    }
    const serviceName = body.serviceName;
    if (typeof serviceName !== 'string') {
      if (requireService) return badRequest('serviceName is required', 'invalid.value');
    } else if (!this.services.has(serviceName)) {
      return badRequest(`serviceName ${serviceName} is not a valid value`, 'invalid.value');
    }
    const filters: { property: string; value: string }[] = [];
    for (const f of Array.isArray(body.filters) ? body.filters : []) {
      if (!isObj(f) || typeof f.property !== 'string' || !(f.property in FILTER_FIELDS) || typeof f.value !== 'string') {
        return badRequest(`filter property must be one of ${Object.keys(FILTER_FIELDS).join(', ')} with a string value`, 'invalid.value');
      }
      filters.push({ property: f.property, value: f.value });
    }
    const sort = Array.isArray(body.sort) && isObj(body.sort[0]) ? body.sort[0] : undefined;
    const descending = !(sort && typeof sort.sortOrder === 'string' && sort.sortOrder.toLowerCase() === 'ascending');
    return { fromMs, toMs, serviceName: typeof serviceName === 'string' ? serviceName : '', filters, descending };
  }

  private select(q: ParsedQuery): JsonObj[] {
    const hits = this.entries.filter((e) => {
      const t = Date.parse(String(e.eventDate));
      if (t < q.fromMs || t >= q.toMs) return false;
      if (q.serviceName && e.serviceName !== q.serviceName) return false;
      return q.filters.every((f) => FILTER_FIELDS[f.property](e) === f.value);
    });
    // Stable order: by time, then by insertion (writes within one millisecond keep their order).
    return q.descending ? hits.reverse() : hits;
  }

  /** `POST /api/v2/audits/query/realtime`: page-number envelope without URIs. */
  queryRealtime(body: JsonValue | undefined): JsonObj | ApiError {
    const q = this.parse(body, true);
    if (isApiError(q)) return q;
    const b = body as JsonObj;
    const pageSize = typeof b.pageSize === 'number' ? b.pageSize : 25;
    const pageNumber = typeof b.pageNumber === 'number' ? b.pageNumber : 1;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) return badRequest('pageSize must be between 1 and 500', 'invalid.value');
    if (!Number.isInteger(pageNumber) || pageNumber < 1) return badRequest('pageNumber must be a positive integer', 'invalid.value');
    const hits = this.select(q);
    return {
      entities: hits.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
      pageSize, pageNumber, total: hits.length, pageCount: Math.ceil(hits.length / pageSize),
    };
  }

  /** `POST /api/v2/audits/query`: queued; each status poll moves it one state on. */
  startAsync(body: JsonValue | undefined): JsonObj | ApiError {
    const q = this.parse(body, true);
    if (isApiError(q)) return q;
    const b = body as JsonObj;
    const id = uuid(this.rng);
    const request: JsonObj = { interval: b.interval, serviceName: b.serviceName, filters: b.filters ?? [], sort: b.sort ?? [] };
    this.asyncQueries.set(id, { request, startDate: this.now().toISOString(), polls: 0 });
    return { id, state: 'Queued', startDate: this.now().toISOString(), ...request };
  }

  asyncStatus(id: string): JsonObj | ApiError {
    const aq = this.asyncQueries.get(id);
    if (!aq) return notFound();
    aq.polls++;
    const state = aq.polls === 1 ? 'Running' : 'Succeeded';
    if (state === 'Succeeded' && !aq.results) {
      const q = this.parse(aq.request, true);
      aq.results = isApiError(q) ? [] : this.select(q);
    }
    return { id, state, startDate: aq.startDate, ...aq.request };
  }

  asyncResults(id: string, query: URLSearchParams): JsonObj | ApiError {
    const aq = this.asyncQueries.get(id);
    if (!aq) return notFound();
    if (!aq.results) return badRequest('The query has not completed yet', 'bad.request');
    const pageSize = Number(query.get('pageSize') ?? 25);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) return badRequest('pageSize must be between 1 and 500', 'invalid.value');
    const cursor = query.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) return badRequest('The cursor is not valid', 'invalid.value');
    const entities = aq.results.slice(start, start + pageSize);
    const out: JsonObj = { id, pageSize, entities };
    if (start + pageSize < aq.results.length) out.cursor = Buffer.from(String(start + pageSize)).toString('base64url');
    return out;
  }
}
