// The login service: client-credentials grant with HTTP Basic (reference §2), the token store,
// revocation/expiry knobs, and the per-token rate limit window (§3.3).
import { oauthError, type ApiError } from './errors.ts';
import { hex, type Rng } from './prng.ts';
import type { JsonObj, SimClient } from './types.ts';

type TokenRecord = { clientId: string; expiresAtMs: number; revoked: boolean; expired: boolean; windowStartMs: number; windowCount: number };

export type TokenCheck =
  | { readonly ok: true; readonly clientId: string; readonly token: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' | 'revoked' };

export type RateDecision =
  | { readonly allowed: true; readonly count: number; readonly resetSec: number }
  | { readonly allowed: false; readonly retryAfterSec: number };

const WINDOW_MS = 60_000;

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly clients: ReadonlyMap<string, { readonly client: SimClient }>;
  private readonly rng: Rng;
  private readonly lifetimeSec: number;
  private readonly nowMs: () => number;

  constructor(clients: ReadonlyMap<string, { readonly client: SimClient }>, rng: Rng, lifetimeSec: number, nowMs: () => number) {
    this.clients = clients;
    this.rng = rng;
    this.lifetimeSec = lifetimeSec;
    this.nowMs = nowMs;
  }

  /** `POST /oauth/token` with an already-read form body. */
  issue(authorization: string | undefined, form: URLSearchParams): { status: number; body: JsonObj; clientId?: string } | ApiError {
    const basic = parseBasic(authorization);
    // Only Basic is accepted: the reference documents that and nothing else (§2.1).
    if (!basic) return oauthError(400, 'invalid_client', 'authentication failed');
    const entry = this.clients.get(basic.clientId);
    if (!entry || entry.client.clientSecret !== basic.secret) return oauthError(400, 'invalid_client', 'authentication failed');
    const grant = form.get('grant_type');
    if (grant === null) return oauthError(400, 'invalid_request', 'Missing grant type');
    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
    const token = `${hex(this.rng, 32)}${hex(this.rng, 32)}`;
    this.tokens.set(token, {
      clientId: basic.clientId, expiresAtMs: this.nowMs() + this.lifetimeSec * 1000,
      revoked: false, expired: false, windowStartMs: this.nowMs(), windowCount: 0,
    });
    return { status: 200, clientId: basic.clientId, body: { access_token: token, token_type: 'bearer', expires_in: this.lifetimeSec } };
  }

  check(authorization: string | undefined): TokenCheck {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return { ok: false, reason: 'missing' };
    const rec = this.tokens.get(m[1]);
    if (!rec) return { ok: false, reason: 'invalid' };
    if (rec.revoked) return { ok: false, reason: 'revoked' };
    if (rec.expired || this.nowMs() >= rec.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: rec.clientId, token: m[1] };
  }

  /** Counts one request against the token's fixed one-minute window. */
  rate(token: string, limitPerMinute: number): RateDecision {
    const rec = this.tokens.get(token);
    if (!rec) return { allowed: true, count: 0, resetSec: 60 };
    const now = this.nowMs();
    if (now - rec.windowStartMs >= WINDOW_MS) {
      rec.windowStartMs = now;
      rec.windowCount = 0;
    }
    const resetSec = Math.max(1, Math.ceil((rec.windowStartMs + WINDOW_MS - now) / 1000));
    if (rec.windowCount >= limitPerMinute) return { allowed: false, retryAfterSec: resetSec };
    rec.windowCount++;
    return { allowed: true, count: rec.windowCount, resetSec };
  }

  revoke(token: string): void {
    const rec = this.tokens.get(token);
    if (rec) rec.revoked = true;
  }

  revokeAll(clientId?: string): void {
    for (const rec of this.tokens.values()) if (clientId === undefined || rec.clientId === clientId) rec.revoked = true;
  }

  expireAll(): void {
    for (const rec of this.tokens.values()) rec.expired = true;
  }

  expiresAt(token: string): number | undefined {
    return this.tokens.get(token)?.expiresAtMs;
  }
}

function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  const unescape = (s: string): string => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
  return { clientId: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}
