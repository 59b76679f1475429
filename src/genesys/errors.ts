// Typed failures of Genesys API calls, and parsing of the Genesys ErrorBody (reference §3.1).
import { DwFailure, dwError, type DwCode } from '../model/errors.ts';

export type ErrorBody = {
  readonly message?: string;
  readonly code?: string;
  readonly status?: number;
  readonly messageParams?: Readonly<Record<string, string>>;
  readonly contextId?: string;
};

export function parseErrorBody(text: string): ErrorBody {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
      const params = o['messageParams'] && typeof o['messageParams'] === 'object' ? o['messageParams'] as Record<string, string> : undefined;
      return {
        ...(str(o['message']) !== undefined ? { message: str(o['message'])! } : {}),
        ...(str(o['code']) !== undefined ? { code: str(o['code'])! } : {}),
        ...(typeof o['status'] === 'number' ? { status: o['status'] } : {}),
        ...(params ? { messageParams: params } : {}),
        ...(str(o['contextId']) !== undefined ? { contextId: str(o['contextId'])! } : {}),
      };
    }
  } catch { /* not JSON: fall through */ }
  return {};
}

const PERMISSION = /[A-Za-z][\w-]*:[\w*-]+:[\w*-]+/g;

/** Permissions named by a 403 body: `messageParams` first, else the `[a:b:c, ...]` list in the message. */
export function missingPermissionsOf(body: ErrorBody): readonly string[] {
  for (const v of Object.values(body.messageParams ?? {})) {
    const found = typeof v === 'string' ? v.match(PERMISSION) : null;
    if (found?.length) return found;
  }
  const bracket = /\[([^\]]*)\]/.exec(body.message ?? '');
  return bracket?.[1]?.match(PERMISSION) ?? [];
}

export type RequestDescription = { readonly method: string; readonly path: string };
const describeCall = (r: RequestDescription) => `${r.method} ${r.path}`;

/** A non-retryable HTTP error answer (404, 400, 409, ... and 5xx on non-idempotent calls). */
export class GenesysHttpError extends DwFailure {
  readonly status: number;
  readonly body: ErrorBody;
  readonly request: RequestDescription;
  constructor(request: RequestDescription, status: number, body: ErrorBody, code: DwCode = 'DW4104') {
    super(dwError(code, 'upstream', `${describeCall(request)} answered HTTP ${status}${body.code ? ` ${body.code}` : ''}${body.message ? `: ${body.message}` : ''}`));
    this.name = 'GenesysHttpError';
    this.status = status;
    this.body = body;
    this.request = request;
  }
}

/** 403: the service account lacks a permission. A coverage gap, not an outage. */
export class GenesysForbiddenError extends GenesysHttpError {
  /** The permissions the ErrorBody names ('' list when the body names none). */
  readonly missingPermissions: readonly string[];
  /** `missingPermissions` joined with ', ' ('' when unknown). */
  readonly missingPermission: string;
  constructor(request: RequestDescription, body: ErrorBody) {
    super(request, 403, body, 'DW4103');
    this.name = 'GenesysForbiddenError';
    this.missingPermissions = missingPermissionsOf(body);
    this.missingPermission = this.missingPermissions.join(', ');
  }
}

/** A 401 that survived one token refresh, or a token request that the login host rejected.
 *  Never turned into an empty result: the whole run must stop. */
export class GenesysAuthError extends DwFailure {
  readonly request: RequestDescription | undefined;
  constructor(message: string, request?: RequestDescription, code: DwCode = 'DW4102') {
    super(dwError(code, 'upstream', message));
    this.name = 'GenesysAuthError';
    this.request = request;
  }
}

/** Retries or the total wait budget ran out. */
export class GenesysRetriesExhausted extends DwFailure {
  readonly attempts: number;
  readonly lastStatus: number | string;
  constructor(request: RequestDescription, attempts: number, lastStatus: number | string, waitedMs: number, why: string) {
    super(dwError('DW4101', 'upstream',
      `${describeCall(request)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (last status ${lastStatus}; waited ${Math.round(waitedMs)} ms in total): ${why}`));
    this.name = 'GenesysRetriesExhausted';
    this.attempts = attempts;
    this.lastStatus = lastStatus;
  }
}
