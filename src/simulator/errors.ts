// Genesys error bodies (reference §3.1–3.2) and the login service's OAuth-style errors (§2.4).
import type { JsonObj } from './types.ts';

export type ApiError = { readonly kind: 'api-error'; readonly status: number; readonly body: JsonObj };

export const isApiError = (v: unknown): v is ApiError =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'api-error';

function errorBody(status: number, code: string, message: string, extra: JsonObj = {}): ApiError {
  // contextId is filled in by the server from the response's correlation id.
  return { kind: 'api-error', status, body: { message, code, status, ...extra } };
}

export const authRequired = (): ApiError =>
  errorBody(401, 'authentication.required', 'No authentication bearer token specified in authorization header.');

export const badCredentials = (): ApiError => errorBody(401, 'bad.credentials', 'Invalid login credentials.');

/** "Requires ANY permissions" endpoints (the common case). */
export function missingAnyPermissions(perms: readonly string[]): ApiError {
  const list = `[${perms.join(', ')}]`;
  const template = 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}';
  return errorBody(403, 'missing.any.permissions', template.replace('{permissions}', list), {
    messageWithParams: template, messageParams: { permissions: list }, details: [], errors: [],
  });
}

/** "Requires ALL permissions" endpoints (e.g. the Audit API). */
export function missingPermissions(perms: readonly string[]): ApiError {
  const list = `[${perms.join(', ')}]`;
  const template = 'You are missing the following permission(s): {permissions}';
  return errorBody(403, 'missing.permissions', template.replace('{permissions}', list), {
    messageWithParams: template, messageParams: { permissions: list }, details: [], errors: [],
  });
}

export const notFound = (): ApiError => errorBody(404, 'not.found', 'The requested resource was not found.');

export const badRequest = (message: string, code = 'bad.request'): ApiError => errorBody(400, code, message);

export const conflict = (message: string): ApiError => errorBody(409, 'conflict', message);

export const payloadTooLarge = (): ApiError =>
  errorBody(413, 'request.entity.too.large', 'The request payload exceeds the maximum of [512000] bytes.');

export function tooManyRequests(retryAfterSec: number): ApiError {
  return errorBody(429, 'too.many.requests.retry.after',
    `Rate limit exceeded the maximum. Retry the request in [${retryAfterSec}] seconds`);
}

export const serviceUnavailable = (): ApiError =>
  errorBody(503, 'service.unavailable', 'Service Unavailable: the server is currently unable to handle the request.');

export const internalError = (): ApiError =>
  errorBody(500, 'internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.');

/** The login host answers with an OAuth body, not ErrorBody; both description keys are sent. */
export function oauthError(status: number, error: string, description: string): ApiError {
  return { kind: 'api-error', status, body: { error, description, error_description: description } };
}
