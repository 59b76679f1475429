// One client-credentials token request through openid-client: Basic auth, hand-written server
// metadata (Genesys publishes no discovery document), insecure http allowed for loopback only.
import * as oidc from 'openid-client';
import { DwFailure, dwError, fail, type DwCode } from '../model/errors.ts';
import type { Credentials } from './credentials.ts';
import { isLoopbackHost, type GenesysEndpoints } from './regions.ts';
import { Secret } from './secret.ts';

export type IssuedToken = {
  readonly accessToken: Secret;
  /** Lifetime the server granted, in seconds (the real `expires_in`). */
  readonly expiresInSec: number;
};
export type TokenFetcher = () => Promise<IssuedToken>;

/** Token acquisition failed. `transient` failures (network, 429, 5xx) may be retried; a
 *  rejected client (invalid_client, 400/401) may not: it is a credential or region problem. */
export class TokenRequestFailure extends DwFailure {
  readonly transient: boolean;
  readonly status: number | undefined;
  constructor(code: DwCode, message: string, transient: boolean, status?: number) {
    super(dwError(code, 'upstream', message));
    this.name = 'TokenRequestFailure';
    this.transient = transient;
    this.status = status;
  }
}

/** Used when a server omits expires_in: short enough to be safe, long enough not to hammer. */
const FALLBACK_LIFETIME_SEC = 300;

export function clientCredentialsFetcher(endpoints: GenesysEndpoints, credentials: Credentials,
  opts: { readonly timeoutSec?: number } = {}): TokenFetcher {
  const tokenUrl = new URL(endpoints.tokenUrl);
  const insecure = tokenUrl.protocol === 'http:';
  // Re-checked here, not only in resolveEndpoints: this is the line that would send a secret in clear.
  if (insecure && !(endpoints.insecureLoopback && isLoopbackHost(tokenUrl.hostname))) {
    fail('DW4006', 'bad-input', `refusing to send credentials over plain http to ${tokenUrl.host}; use https`);
  }
  return async () => {
    // A fresh Configuration per request keeps no long-lived object holding the secret in clear.
    const config = new oidc.Configuration(
      { issuer: tokenUrl.origin, token_endpoint: tokenUrl.href },
      credentials.clientId, credentials.clientSecret.reveal(), oidc.ClientSecretBasic());
    if (insecure) oidc.allowInsecureRequests(config);
    if (opts.timeoutSec) config.timeout = opts.timeoutSec;
    let res: Awaited<ReturnType<typeof oidc.clientCredentialsGrant>>;
    try {
      res = await oidc.clientCredentialsGrant(config);
    } catch (e) {
      throw describeTokenError(e, tokenUrl, credentials);
    }
    const expires = typeof res.expires_in === 'number' && res.expires_in > 0 ? res.expires_in : FALLBACK_LIFETIME_SEC;
    return { accessToken: new Secret(res.access_token), expiresInSec: expires };
  };
}

function describeTokenError(e: unknown, url: URL, credentials: Credentials): TokenRequestFailure {
  const where = `token request to ${url.host} for client ${credentials.clientId}`;
  if (e instanceof oidc.ResponseBodyError) {
    const desc = e.error_description ? ` (${e.error_description})` : '';
    if (e.status === 400 || e.status === 401) {
      return new TokenRequestFailure('DW4010', `authentication failed: ${where} was rejected with ${e.error}${desc}; ` +
        'check the client id/secret, that the OAuth client is active, and the region', false, e.status);
    }
    return new TokenRequestFailure('DW4011', `${where} failed: HTTP ${e.status} ${e.error}${desc}`, e.status === 429 || e.status >= 500, e.status);
  }
  const status = statusOf(e);
  if (status !== undefined) {
    const rejected = status === 400 || status === 401;
    return new TokenRequestFailure(rejected ? 'DW4010' : 'DW4011',
      `${rejected ? 'authentication failed: ' : ''}${where} failed with HTTP ${status}`, !rejected && (status === 429 || status >= 500), status);
  }
  const cause = (e as { cause?: { code?: string } } | null)?.cause?.code;
  const msg = e instanceof Error ? e.message : String(e);
  const network = e instanceof TypeError || (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError'));
  return new TokenRequestFailure('DW4011', `${where} failed: ${cause ?? msg}`, network);
}

/** openid-client reports non-OAuth error responses (e.g. a 503 with HTML) with the Response attached. */
function statusOf(e: unknown): number | undefined {
  const c = (e as { cause?: unknown } | null)?.cause;
  if (c instanceof Response) return c.status;
  const r = (e as { response?: unknown } | null)?.response;
  if (r instanceof Response) return r.status;
  return undefined;
}
