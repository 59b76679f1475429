// HTTP client for the Genesys Cloud Platform API (/api/v2): bearer token from a TokenProvider,
// request pacing through bottleneck, Retry-After / jittered backoff, one token refresh per 401,
// and typed failures. Reads are the default; POST exists for query endpoints (Audit API).
import Bottleneck from 'bottleneck';
import { setMaxListeners } from 'node:events';
import type { Json, JsonObject } from '../model/findings.ts';
import { fail } from '../model/errors.ts';
import type { TokenProvider } from '../auth/token-cache.ts';
import { TokenRequestFailure } from '../auth/token-endpoint.ts';
import type { Secret } from '../auth/secret.ts';
import {
  GenesysAuthError, GenesysForbiddenError, GenesysHttpError, GenesysRetriesExhausted,
  parseErrorBody, type RequestDescription,
} from './errors.ts';
import { fullJitterDelay, parseRetryAfter } from './retry-policy.ts';

/** Observable client activity, for logs and tests. Never carries tokens, secrets or bodies. */
export type ClientEvent =
  | { readonly type: 'request'; readonly method: string; readonly path: string; readonly attempt: number }
  | { readonly type: 'response'; readonly method: string; readonly path: string; readonly attempt: number; readonly status: number; readonly ms: number }
  | { readonly type: 'network-error'; readonly method: string; readonly path: string; readonly attempt: number; readonly error: string }
  | { readonly type: 'retry'; readonly method: string; readonly path: string; readonly attempt: number; readonly waitMs: number;
      readonly reason: 'rate-limited' | 'server-error' | 'network' | 'token-endpoint'; readonly status?: number; readonly retryAfter?: string }
  | { readonly type: 'token-refresh'; readonly method: string; readonly path: string; readonly reason: 'unauthorized' }
  | { readonly type: 'give-up'; readonly method: string; readonly path: string; readonly attempts: number; readonly lastStatus: number | string };

export type RetryOptions = {
  /** Attempts per call including the first (a 401 refresh retry is not counted). Default 6. */
  readonly maxAttempts?: number;
  /** Upper bound on the sum of all waits of one call. Default 120 000 ms. */
  readonly maxTotalWaitMs?: number;
  /** Backoff base and cap for full jitter. Defaults 500 ms and 30 000 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
};

export type GenesysClientOptions = {
  /** Origin that /api/v2 paths are appended to (GenesysEndpoints.apiBase). */
  readonly apiBase: string;
  readonly tokens: TokenProvider;
  /** Pace of requests; keep below the platform's 300/min per token. Default 200. */
  readonly requestsPerMinute?: number;
  /** Requests in flight at once. Default 3. */
  readonly maxConcurrent?: number;
  readonly retry?: RetryOptions;
  /** Per-attempt timeout. Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Page size for getAllPages (Genesys' safe maximum is 100). */
  readonly pageSize?: number;
  /** Guard against paging loops. Default 1000 pages. */
  readonly maxPages?: number;
  readonly random?: () => number;
  /** Waits between retries; must resolve early when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
  readonly onEvent?: (e: ClientEvent) => void;
};

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;
export type PagingStyle = 'page-number' | 'cursor';
export type GetAllPagesOptions = { readonly paging: PagingStyle; readonly query?: Query; readonly pageSize?: number };
export type PagedResult = { readonly entities: readonly Json[] };

/** Resolves after `ms`, or early when `signal` aborts (close()), so no timer outlives the client. */
const realSleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  if (signal?.aborted) return resolve();
  const timer = setTimeout(() => { signal?.removeEventListener('abort', done); resolve(); }, ms);
  const done = () => { clearTimeout(timer); resolve(); };
  signal?.addEventListener('abort', done, { once: true });
});

type Outcome =
  | { readonly kind: 'ok'; readonly body: Json }
  | { readonly kind: 'retry'; readonly waitMs: number | undefined; readonly status: number | string;
      readonly reason: 'rate-limited' | 'server-error' | 'network' | 'token-endpoint'; readonly retryAfter?: string };

export class GenesysClient {
  readonly #o: GenesysClientOptions;
  readonly #limiter: Bottleneck;
  readonly #apiBase: URL;
  readonly #maxAttempts: number;
  readonly #maxTotalWaitMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #emit: (e: ClientEvent) => void;
  #closed = false;
  readonly #closing = new AbortController();

  constructor(options: GenesysClientOptions) {
    this.#o = options;
    this.#apiBase = new URL(options.apiBase);
    const rpm = options.requestsPerMinute ?? 200;
    if (!(rpm > 0)) throw new RangeError('requestsPerMinute must be > 0');
    // Half the per-minute budget every 30 s: a run's burst of reads goes out at once, and no
    // sliding minute ever sees more than 1.5 × rpm (270 at the default 180, under Genesys' 300).
    // A small minTime still spreads a burst so one run does not hit the server all in one tick.
    const half = Math.max(1, Math.floor(rpm / 2));
    this.#limiter = new Bottleneck({
      maxConcurrent: options.maxConcurrent ?? 3,
      minTime: Math.ceil(60_000 / rpm / 8),
      reservoir: half, reservoirRefreshAmount: half, reservoirRefreshInterval: 30_000,
    });
    // Every in-flight request listens for close(); more than ten at once is normal here.
    setMaxListeners(0, this.#closing.signal);
    this.#maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 6);
    this.#maxTotalWaitMs = options.retry?.maxTotalWaitMs ?? 120_000;
    this.#baseDelayMs = options.retry?.baseDelayMs ?? 500;
    this.#maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? realSleep;
    this.#now = options.now ?? Date.now;
    this.#emit = options.onEvent ?? (() => {});
  }

  /** GET a JSON document. Retries 429, 5xx (not 501), timeouts and connection resets. */
  get(path: string, query?: Query): Promise<Json> {
    return this.#call('GET', withQuery(path, query), undefined);
  }

  /** POST a JSON query (e.g. the Audit API). Not idempotent: only 429 (and a 401 refresh) is retried. */
  post(path: string, body: Json): Promise<Json> {
    return this.#call('POST', path, body);
  }

  /** Every entity of a paged listing, pages concatenated in order, as `{ entities }`. */
  async getAllPages(path: string, opts: GetAllPagesOptions): Promise<PagedResult> {
    const pageSize = opts.pageSize ?? this.#o.pageSize ?? 100;
    const maxPages = this.#o.maxPages ?? 1000;
    const entities: Json[] = [];
    const seen = new Set<string>();
    let next: string | undefined = opts.paging === 'page-number'
      ? withQuery(path, { ...opts.query, pageSize, pageNumber: 1 })
      : withQuery(path, { ...opts.query, pageSize });
    for (let pages = 0; next !== undefined; pages++) {
      if (pages >= maxPages) return fail('DW4106', 'upstream', `GET ${path}: more than ${maxPages} pages; refusing to continue`);
      if (seen.has(next)) return fail('DW4106', 'upstream', `GET ${path}: the server sent page ${next} twice (paging loop)`);
      seen.add(next);
      const page = await this.#call('GET', next, undefined);
      if (!isObject(page) || !Array.isArray(page['entities'])) {
        return fail('DW4105', 'upstream', `GET ${next}: expected a paged envelope with an "entities" array`);
      }
      entities.push(...(page['entities'] as Json[]));
      next = opts.paging === 'page-number' ? nextPageNumber(page, path, opts.query, pageSize) : nextCursor(page, path, opts.query, pageSize);
    }
    return { entities };
  }

  /** Stops the pacing limiter; pending and retrying calls fail with DW4108 instead of continuing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    await this.#limiter.stop({ dropWaitingJobs: true });
  }

  #assertOpen(request: RequestDescription): void {
    if (this.#closed) fail('DW4108', 'internal', `${request.method} ${request.path}: the Genesys client was closed`);
  }

  async #call(method: 'GET' | 'POST', pathAndQuery: string, body: Json | undefined): Promise<Json> {
    const request: RequestDescription = { method, path: pathOnly(pathAndQuery) };
    let attempts = 0;
    let waitedMs = 0;
    let refreshedAfter401 = false;
    let lastStatus: number | string = 'none';
    for (;;) {
      this.#assertOpen(request);
      attempts++;
      const outcome = await this.#attempt(method, pathAndQuery, body, request, attempts, refreshedAfter401);
      if (outcome === 'refresh') {
        // Exactly one refresh per call; the retry below does not count as an attempt.
        refreshedAfter401 = true;
        attempts--;
        continue;
      }
      if (outcome.kind === 'ok') return outcome.body;
      lastStatus = outcome.status;
      const retryIndex = attempts - 1;
      const waitMs = outcome.waitMs ?? fullJitterDelay(retryIndex, { baseMs: this.#baseDelayMs, capMs: this.#maxDelayMs, random: this.#random });
      const giveUp = (why: string): never => {
        this.#emit({ type: 'give-up', method, path: request.path, attempts, lastStatus });
        throw new GenesysRetriesExhausted(request, attempts, lastStatus, waitedMs, why);
      };
      if (attempts >= this.#maxAttempts) giveUp(`retry limit of ${this.#maxAttempts} attempts reached`);
      if (waitedMs + waitMs > this.#maxTotalWaitMs) {
        giveUp(`next wait of ${Math.round(waitMs)} ms would exceed the total wait budget of ${this.#maxTotalWaitMs} ms`);
      }
      this.#emit({ type: 'retry', method, path: request.path, attempt: attempts, waitMs, reason: outcome.reason,
        ...(typeof outcome.status === 'number' ? { status: outcome.status } : {}),
        ...(outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}) });
      await this.#sleep(waitMs, this.#closing.signal);
      waitedMs += waitMs;
    }
  }

  /** One request. Returns the body, a retry decision, or 'refresh' after a first 401; throws otherwise. */
  async #attempt(method: 'GET' | 'POST', pathAndQuery: string, body: Json | undefined, request: RequestDescription,
    attempt: number, alreadyRefreshed: boolean): Promise<Outcome | 'refresh'> {
    const idempotent = method === 'GET';
    let token: Secret;
    try {
      token = await this.#o.tokens.getToken();
    } catch (e) {
      if (e instanceof TokenRequestFailure && e.transient) {
        return { kind: 'retry', waitMs: undefined, status: e.status ?? 'token endpoint unreachable', reason: 'token-endpoint' };
      }
      if (e instanceof TokenRequestFailure) {
        const context = alreadyRefreshed
          ? `authentication failed for ${request.method} ${request.path}: the token was revoked or expired and a new one was refused: `
          : `${request.method} ${request.path}: `;
        throw new GenesysAuthError(`${context}${e.error.message}`, request, e.error.code);
      }
      throw e;
    }
    const url = new URL(pathAndQuery, this.#apiBase);
    let started = 0;
    let res: Response;
    let text: string;
    try {
      ({ res, text } = await this.#limiter.schedule(async () => {
        // Emitted when the limiter releases the request, so timings exclude queueing.
        this.#emit({ type: 'request', method, path: request.path, attempt });
        started = this.#now();
        const r = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token.reveal()}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.any([AbortSignal.timeout(this.#o.requestTimeoutMs ?? 30_000), this.#closing.signal]),
          redirect: 'error',
        });
        // Read the body inside the slot so a reset mid-body counts as a network failure of this attempt.
        return { res: r, text: await r.text() };
      }));
    } catch (e) {
      this.#assertOpen(request); // a stopped limiter rejects queued jobs: that is not a network error
      const error = networkErrorName(e);
      this.#emit({ type: 'network-error', method, path: request.path, attempt, error });
      if (!idempotent) return fail('DW4107', 'upstream', `${method} ${request.path}: request failed (${error}); not retried because ${method} is not idempotent`);
      return { kind: 'retry', waitMs: undefined, status: error, reason: 'network' };
    }
    const status = res.status;
    this.#emit({ type: 'response', method, path: request.path, attempt, status, ms: this.#now() - started });

    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { kind: 'ok', body: null };
      try { return { kind: 'ok', body: JSON.parse(text) as Json }; }
      catch { return fail('DW4105', 'upstream', `${method} ${request.path}: HTTP ${status} with a body that is not JSON`); }
    }
    if (status === 401) {
      if (alreadyRefreshed) {
        throw new GenesysAuthError(`authentication failed for ${method} ${request.path}: the token was revoked or expired ` +
          'and a freshly issued token was rejected too (HTTP 401)', request);
      }
      this.#o.tokens.invalidate(token);
      this.#emit({ type: 'token-refresh', method, path: request.path, reason: 'unauthorized' });
      return 'refresh';
    }
    const errorBody = parseErrorBody(text);
    if (status === 403) throw new GenesysForbiddenError(request, errorBody);
    if (status === 429) {
      const header = res.headers.get('retry-after') ?? undefined;
      const waitMs = parseRetryAfter(header, this.#now());
      return { kind: 'retry', waitMs, status, reason: 'rate-limited', ...(header !== undefined ? { retryAfter: header } : {}) };
    }
    if (idempotent && (status === 408 || (status >= 500 && status !== 501))) {
      return { kind: 'retry', waitMs: undefined, status, reason: 'server-error' };
    }
    throw new GenesysHttpError(request, status, errorBody);
  }
}

function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Appends query parameters (undefined values skipped) to a path that may already carry some. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const u = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
  return `${u.pathname}${u.search}`;
}

const pathOnly = (p: string) => p.split('?')[0]!;

/** Page-number paging: follow nextUri when the server gives one, else pageNumber+1 up to pageCount. */
function nextPageNumber(page: JsonObject, path: string, query: Query | undefined, pageSize: number): string | undefined {
  const pageNumber = Number(page['pageNumber']);
  const pageCount = Number(page['pageCount']);
  const countKnown = Number.isFinite(pageNumber) && Number.isFinite(pageCount);
  if (countKnown && pageNumber >= pageCount) return undefined;
  const nextUri = page['nextUri'];
  if (typeof nextUri === 'string' && nextUri !== '') return relativeUri(nextUri);
  if (countKnown) return withQuery(path, { ...query, pageSize, pageNumber: pageNumber + 1 });
  return undefined;
}

/** Cursor paging: the `after` cursor comes from nextUri; a top-level `cursor` (audit results) also works. */
function nextCursor(page: JsonObject, path: string, query: Query | undefined, pageSize: number): string | undefined {
  const nextUri = page['nextUri'];
  if (typeof nextUri === 'string' && nextUri !== '') return relativeUri(nextUri);
  const cursor = page['cursor'];
  if (typeof cursor === 'string' && cursor !== '') return withQuery(path, { ...query, pageSize, cursor });
  return undefined;
}

/** nextUri is host-relative; an absolute one is reduced to path+query so it is always sent to our API host. */
function relativeUri(uri: string): string {
  const u = new URL(uri, 'http://x');
  return `${u.pathname}${u.search}`;
}

function networkErrorName(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timeout';
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}
