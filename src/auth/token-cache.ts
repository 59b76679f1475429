// Caches one access token. Refreshes proactively once `refreshFraction` (75%) of the lifetime the
// server granted has passed, so the margin scales with expires_in; concurrent callers share one
// in-flight request; `invalidate(token)` after a 401 drops the token only if it is still current.
import type { IssuedToken, TokenFetcher } from './token-endpoint.ts';
import type { Secret } from './secret.ts';

export interface TokenProvider {
  getToken(): Promise<Secret>;
  /** Forget `rejected` (or the current token when omitted); the next getToken() fetches anew. */
  invalidate(rejected?: Secret): void;
}

export type TokenEvent =
  | { readonly type: 'token-fetched'; readonly expiresInSec: number; readonly reason: TokenFetchReason }
  | { readonly type: 'token-invalidated' };
export type TokenFetchReason = 'initial' | 'proactive' | 'invalidated';

export type TokenCacheOptions = {
  readonly now?: () => number;
  /** Fraction of expires_in after which the token is replaced; default 0.75. */
  readonly refreshFraction?: number;
  readonly onEvent?: (e: TokenEvent) => void;
};

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

type Cached = { readonly token: Secret; readonly refreshAt: number };

export class TokenCache implements TokenProvider {
  readonly #fetch: TokenFetcher;
  readonly #now: () => number;
  readonly #fraction: number;
  readonly #onEvent: (e: TokenEvent) => void;
  #cached: Cached | undefined;
  #inFlight: Promise<Secret> | undefined;
  #everFetched = false;
  #invalidated = false;
  #fetchCount = 0;

  constructor(fetchToken: TokenFetcher, opts: TokenCacheOptions = {}) {
    this.#fetch = fetchToken;
    this.#now = opts.now ?? Date.now;
    this.#fraction = opts.refreshFraction ?? 0.75;
    if (!(this.#fraction > 0 && this.#fraction <= 1)) throw new RangeError('refreshFraction must be in (0, 1]');
    this.#onEvent = opts.onEvent ?? (() => {});
  }

  /** How many tokens were requested from the server so far (for tests and run records). */
  get fetchCount(): number { return this.#fetchCount; }

  getToken(): Promise<Secret> {
    const c = this.#cached;
    if (c && this.#now() < c.refreshAt) return Promise.resolve(c.token);
    if (!this.#inFlight) {
      const reason: TokenFetchReason = !this.#everFetched ? 'initial' : this.#invalidated || !c ? 'invalidated' : 'proactive';
      this.#inFlight = this.#refresh(reason).finally(() => { this.#inFlight = undefined; });
    }
    return this.#inFlight;
  }

  invalidate(rejected?: Secret): void {
    const c = this.#cached;
    if (!c) return;
    // Several requests can fail with the same stale token; only the first drops it, so a burst
    // of 401s still causes a single refresh, and a token fetched meanwhile is kept.
    if (rejected && !c.token.sameAs(rejected)) return;
    this.#cached = undefined;
    this.#invalidated = true;
    this.#onEvent({ type: 'token-invalidated' });
  }

  async #refresh(reason: TokenFetchReason): Promise<Secret> {
    // Lifetime counts from when we asked, not when the answer arrived: errs on the safe side.
    const askedAt = this.#now();
    this.#fetchCount++;
    const issued: IssuedToken = await this.#fetch();
    const lifetimeMs = issued.expiresInSec * 1000;
    this.#cached = { token: issued.accessToken, refreshAt: askedAt + lifetimeMs * this.#fraction };
    this.#everFetched = true;
    this.#invalidated = false;
    this.#onEvent({ type: 'token-fetched', expiresInSec: issued.expiresInSec, reason });
    return issued.accessToken;
  }

  toJSON(): { cached: boolean; fetchCount: number } { return { cached: this.#cached !== undefined, fetchCount: this.#fetchCount }; }
  [inspectSymbol](): string { return `TokenCache { cached: ${this.#cached !== undefined}, fetchCount: ${this.#fetchCount} }`; }
}
