// HTTP plumbing: one node:http server answering both the login host (/oauth/token) and the API
// (/api/v2). Order per API request: latency -> reset -> 429 storm -> 5xx -> bearer -> rate
// limit -> route (permission, then handler). Every request is logged with its status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog } from './audit.ts';
import { SIM_ADMIN, SIM_AUDITOR, hasPermission } from './clients.ts';
import {
  authRequired, badCredentials, badRequest, internalError, isApiError, missingAnyPermissions, missingPermissions, notFound,
  payloadTooLarge, serviceUnavailable, tooManyRequests, type ApiError,
} from './errors.ts';
import { chance, deriveRng, uuid } from './prng.ts';
import { readItem, readSurface } from './render.ts';
import { buildSeedOrg, DEFAULT_ORG_ID, DEFAULT_ORG_NAME } from './seed-org.ts';
import { SURFACES, surfaceById, WRITE_METHODS, type SimSurface, type WriteMethod } from './surfaces.ts';
import { TokenStore } from './tokens.ts';
import {
  DEFAULT_FAULTS, type Faults, type JsonObj, type JsonValue, type SimClient, type SimLogEntry, type Simulator, type SimulatorOptions,
} from './types.ts';
import { patchFeature, writeCollection, writeSingleton, type WriteActor, type WriteOutcome } from './writes.ts';

const MAX_BODY_BYTES = 512_000;
const AUDIT_PERMISSION = 'audits:audit:view';

/** `pretty`: indented JSON. Under quirks, alternate reads switch layout so even one-key bodies differ raw. */
type Reply = { status: number; body?: JsonObj; headers?: Record<string, string>; clientId?: string; pretty?: boolean };

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): { ok: true; value: JsonValue | undefined } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/** Longest base first so `/integrations/credentials/{id}` wins over `/integrations/{id}`. */
const ITEM_ROUTES = SURFACES.filter((s) => s.kind === 'collection')
  .map((s) => ({ surface: s, base: s.itemBase ?? s.path }))
  .sort((a, b) => b.base.length - a.base.length);

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const quirks = opts.quirks ?? true;
  const orgId = opts.orgId ?? DEFAULT_ORG_ID;
  const orgName = opts.orgName ?? DEFAULT_ORG_NAME;
  const rateLimit = opts.rateLimitPerMinute ?? 300;
  const clientList = opts.clients ?? [SIM_AUDITOR, SIM_ADMIN];
  let faults: Faults = { ...DEFAULT_FAULTS, ...opts.faults };

  const started = performance.now();
  const elapsedMs = (): number => performance.now() - started;
  const clients = new Map<string, { client: SimClient; permissions: readonly string[] }>(
    clientList.map((c) => [c.clientId, { client: c, permissions: [...c.permissions] }]));
  const seedOrg = buildSeedOrg({ seed, orgId, orgName, clients: clientList });
  const state = seedOrg.state;
  const canaries = [...seedOrg.canaries];
  const tokens = new TokenStore(clients, deriveRng(seed, 'tokens'), opts.tokenLifetimeSec ?? 86400, elapsedMs);
  const services = new Map<string, Set<string>>();
  for (const s of SURFACES) services.set(s.audit.serviceName, (services.get(s.audit.serviceName) ?? new Set()).add(s.audit.entityType));
  services.get('Directory')?.add('OrganizationFeature');
  const audit = new AuditLog(orgId, deriveRng(seed, 'audit'), () => new Date(), services);
  const faultRng = deriveRng(seed, 'faults');
  const correlationRng = deriveRng(seed, 'correlation');
  const writeRng = deriveRng(seed, 'writes');
  const readCounters = new Map<string, number>();
  const log: SimLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  const retryAfterHeader = (sec: number): string => (faults.retryAfterAsDate
    ? new Date(Math.ceil((Date.now() + sec * 1000) / 1000) * 1000).toUTCString()
    : String(sec));

  const fromError = (e: ApiError, headers?: Record<string, string>): Reply => ({ status: e.status, body: e.body, ...(headers ? { headers } : {}) });

  function send(req: IncomingMessage, res: ServerResponse, url: URL, reply: Reply, correlationId: string): void {
    const headers: Record<string, string> = { 'ININ-Correlation-Id': correlationId, ...reply.headers };
    let payload = '';
    if (reply.body !== undefined) {
      // Genesys ErrorBody carries the correlation id as contextId.
      const body = typeof reply.body.code === 'string' && reply.status >= 400 ? { ...reply.body, contextId: correlationId } : reply.body;
      payload = reply.pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    log.push({
      at: elapsedMs(), method: req.method ?? 'GET', path: url.pathname, status: reply.status,
      ...(reply.clientId ? { clientId: reply.clientId } : {}),
      ...(headers['Retry-After'] !== undefined ? { retryAfter: headers['Retry-After'] } : {}),
      ...(url.search ? { query: url.search.slice(1) } : {}),
    });
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  function tokenEndpoint(req: IncomingMessage, text: string): Reply {
    if (req.method !== 'POST') return fromError(notFound());
    const result = tokens.issue(req.headers.authorization, new URLSearchParams(text));
    if (isApiError(result)) return fromError(result);
    return { status: result.status, body: result.body, headers: { 'Cache-Control': 'no-store' }, ...(result.clientId ? { clientId: result.clientId } : {}) };
  }

  function renderContext(key: string, query: URLSearchParams) {
    const read = readCounters.get(key) ?? 0;
    readCounters.set(key, read + 1);
    return { quirks, read, query, rng: deriveRng(seed, 'read', key, query.toString(), read) };
  }

  function actorFor(clientId: string, req: IncomingMessage, url: URL): WriteActor {
    const entry = clients.get(clientId);
    return {
      clientId, clientName: entry?.client.name ?? clientId, orgId, orgName,
      remoteIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      now: new Date(), rng: writeRng, addCanary: (c) => { canaries.push(c); },
      actionContext: `${req.method} ${url.pathname}`,
    };
  }

  function finishWrite(outcome: WriteOutcome | ApiError): Reply {
    if (isApiError(outcome)) return fromError(outcome);
    audit.record(outcome.audit);
    return { status: outcome.status, ...(outcome.body ? { body: outcome.body } : {}) };
  }

  function tokenInfo(clientId: string): JsonObj {
    const org = { id: orgId, name: orgName };
    const timeout = state.singletons.get('idle-token-timeout') ?? {};
    const idleSec = timeout.enableIdleTokenTimeout === true ? Number(timeout.idleTokenTimeoutSeconds) : 86400;
    return {
      organization: org, homeOrganization: org, authorizedScope: [],
      OAuthClient: { id: clientId, name: clients.get(clientId)?.client.name ?? '', organization: { id: orgId } },
      dateTokenIdles: new Date(Date.now() + idleSec * 1000).toISOString(),
    };
  }

  /** Authenticated API routing. `method` is upper-case. */
  function route(req: IncomingMessage, url: URL, clientId: string, token: string, body: JsonValue | undefined): Reply {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const perms = clients.get(clientId)?.permissions ?? [];
    const needAny = (required: readonly string[]): Reply | undefined =>
      required.length === 0 || required.some((p) => hasPermission(perms, p)) ? undefined : fromError(missingAnyPermissions(required));
    const isWrite = (WRITE_METHODS as readonly string[]).includes(method);

    if (path === '/api/v2/tokens/me') {
      if (method === 'GET' || method === 'HEAD') return { status: 200, body: tokenInfo(clientId) };
      if (method === 'DELETE') { tokens.revoke(token); return { status: 204 }; }
      return fromError(notFound());
    }
    if (path.startsWith('/api/v2/audits/')) {
      if (!hasPermission(perms, AUDIT_PERMISSION)) return fromError(missingPermissions([AUDIT_PERMISSION]));
      const done = (r: JsonObj | ApiError): Reply => (isApiError(r) ? fromError(r) : { status: 200, body: r });
      if (method === 'GET' && (path === '/api/v2/audits/query/realtime/servicemapping' || path === '/api/v2/audits/query/servicemapping')) return done(audit.serviceMapping());
      if (method === 'POST' && path === '/api/v2/audits/query/realtime') return done(audit.queryRealtime(body));
      if (method === 'POST' && path === '/api/v2/audits/query') return done(audit.startAsync(body));
      const m = /^\/api\/v2\/audits\/query\/([^/]+)(\/results)?$/.exec(path);
      if (m && method === 'GET') return done(m[2] ? audit.asyncResults(m[1], url.searchParams) : audit.asyncStatus(m[1]));
      return fromError(notFound());
    }
    const feature = /^\/api\/v2\/organizations\/features\/([^/]+)$/.exec(path);
    if (feature) {
      // There is no GET for features (§5.2); only PATCH exists.
      if (method !== 'PATCH') return fromError(notFound());
      return needAny(['directory:organization:admin'])
        ?? finishWrite(patchFeature(state, surfaceById('organization'), decodeURIComponent(feature[1]), body, actorFor(clientId, req, url)));
    }

    for (const surface of SURFACES) {
      const onPath = path === surface.path;
      const onItemBase = surface.itemBase !== undefined && path === surface.itemBase;
      if (!onPath && !onItemBase) continue;
      if (method === 'GET' || method === 'HEAD') {
        const denied = needAny(surface.readPermissions);
        if (denied) return denied;
        // The item base of the credentials surface is its deprecated page-number twin.
        const rc = renderContext(`${surface.id}${onItemBase ? ':legacy' : ''}`, url.searchParams);
        const r = readSurface(state, surface, rc, onItemBase ? surface.itemBase : undefined);
        return isApiError(r) ? fromError(r) : { status: 200, body: r, pretty: quirks && rc.read % 2 === 1 };
      }
      return writeOn(surface, method, undefined, onPath && surface.itemBase !== undefined ? false : true);
    }
    for (const { surface, base } of ITEM_ROUTES) {
      if (!path.startsWith(`${base}/`)) continue;
      const id = decodeURIComponent(path.slice(base.length + 1));
      if (id.includes('/')) continue;
      if (method === 'GET' || method === 'HEAD') {
        const denied = needAny(surface.readPermissions);
        if (denied) return denied;
        const rc = renderContext(`${surface.id}/${id}`, url.searchParams);
        const r = readItem(state, surface, id, rc);
        return isApiError(r) ? fromError(r) : { status: 200, body: r, pretty: quirks && rc.read % 2 === 1 };
      }
      if (method === 'POST') return fromError(notFound());
      return writeOn(surface, method, id, true);
    }
    return fromError(notFound());

    function writeOn(surface: SimSurface, m: string, id: string | undefined, allowed: boolean): Reply {
      if (!isWrite || !allowed) return fromError(notFound());
      const wm = m as WriteMethod;
      const required = surface.writePermissions[wm];
      // Singletons take PUT/PATCH on their path; collections take POST there and the rest per item.
      const shapeOk = surface.kind === 'singleton' ? id === undefined && wm !== 'POST' && wm !== 'DELETE' : (id === undefined) === (wm === 'POST');
      if (!required || !shapeOk) return fromError(notFound());
      const denied = needAny([required]);
      if (denied) return denied;
      const actor = actorFor(clientId, req, url);
      return finishWrite(surface.kind === 'singleton'
        ? writeSingleton(state, surface, wm, body, actor)
        : writeCollection(state, surface, wm, id, body, actor));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const correlationId = uuid(correlationRng);
    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        send(req, res, url, fromError(payloadTooLarge()), correlationId);
        req.socket.destroy();
      }
      return;
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (closed) return;

    if (url.pathname === '/oauth/token') {
      send(req, res, url, tokenEndpoint(req, text), correlationId);
      return;
    }
    if (!url.pathname.startsWith('/api/v2/')) {
      send(req, res, url, fromError(notFound()), correlationId);
      return;
    }
    // Faults model the platform in front of the API, so they strike before authentication.
    if (chance(faultRng, faults.resetRate)) {
      log.push({ at: elapsedMs(), method: req.method ?? 'GET', path: url.pathname, status: 0, ...(url.search ? { query: url.search.slice(1) } : {}) });
      req.socket.destroy();
      return;
    }
    if (faults.storm429 > 0) {
      faults = { ...faults, storm429: faults.storm429 - 1 };
      const sec = faults.retryAfterSec;
      const reply = sec > 0
        ? fromError(tooManyRequests(sec), { 'Retry-After': retryAfterHeader(sec) })
        : { status: 429, body: { message: `Rate limit exceeded the maximum [${rateLimit}] requests within [60] seconds`, code: 'too.many.requests', status: 429 } };
      send(req, res, url, reply, correlationId);
      return;
    }
    if (chance(faultRng, faults.error5xxRate)) {
      send(req, res, url, fromError(serviceUnavailable()), correlationId);
      return;
    }
    const auth = tokens.check(req.headers.authorization);
    if (!auth.ok) {
      send(req, res, url, fromError(auth.reason === 'missing' ? authRequired() : badCredentials()), correlationId);
      return;
    }
    const rate = tokens.rate(auth.token, rateLimit);
    if (!rate.allowed) {
      send(req, res, url, { ...fromError(tooManyRequests(rate.retryAfterSec), { 'Retry-After': retryAfterHeader(rate.retryAfterSec) }), clientId: auth.clientId }, correlationId);
      return;
    }
    const parsed = parseJson(text);
    const reply: Reply = parsed.ok
      ? route(req, url, auth.clientId, auth.token, parsed.value)
      : fromError(badRequest('The request body is not valid JSON'));
    send(req, res, url, {
      ...reply, clientId: auth.clientId,
      headers: {
        ...reply.headers,
        'inin-ratelimit-count': String(rate.count), 'inin-ratelimit-allowed': String(rateLimit), 'inin-ratelimit-reset': String(rate.resetSec),
      },
    }, correlationId);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A simulator bug must still answer (and be visible in the log), never hang the client.
      if (res.headersSent) return;
      log.push({ at: elapsedMs(), method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], status: 500 });
      const e = internalError();
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(e.body));
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    orgId,
    log,
    get canaries() { return canaries; },
    setFaults(f) { faults = { ...faults, ...f }; },
    revokeTokens(clientId) { tokens.revokeAll(clientId); },
    expireTokens() { tokens.expireAll(); },
    setPermissions(clientId, permissions) {
      const entry = clients.get(clientId);
      if (!entry) throw new Error(`unknown simulator client ${clientId}`);
      entry.permissions = [...permissions];
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
