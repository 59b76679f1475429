// POSTs JSON with global fetch and turns every outcome into a value: success, retryable
// (429 + Retry-After, 5xx, 408, network, timeout) or permanent (other 4xx, leak guard).
import type { DeliveryError } from './notifier.ts';
import { findLeakedSecrets, type SecretString } from '../redact/secret-string.ts';

export type HttpOutcome =
  | { readonly ok: true; readonly httpStatus: number; readonly body: string }
  | { readonly ok: false; readonly error: DeliveryError };

export type PostOptions = {
  readonly timeoutMs?: number;
  /** Checked against the serialized body before it leaves the process. */
  readonly guardSecrets?: readonly SecretString[];
  /** Part of the body that may legitimately contain a guarded secret (PagerDuty's routing_key)
   *  is excluded by checking this text instead of the full body. */
  readonly guardText?: string;
  /** Sent as `Idempotency-Key`: the local receivers answer a repeated key without delivering the
   *  message twice (outbox crash recovery); Slack, Teams and PagerDuty ignore the header. */
  readonly idempotencyKey?: string;
};

/** The response body is echoed into messages only as a short single-line snippet. */
const snippet = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);

export function leakError(labels: readonly string[]): DeliveryError {
  return { code: 'DW5104', retryable: false, message: `blocked: the outgoing message contains a secret (${labels.join(', ')}); this is a redaction bug` };
}

export async function postJson(url: SecretString, body: unknown, opts: PostOptions = {}): Promise<HttpOutcome> {
  const text = JSON.stringify(body);
  const leaked = findLeakedSecrets(opts.guardText ?? text, opts.guardSecrets ?? []);
  if (leaked.length > 0) return { ok: false, error: leakError(leaked) };
  let res: Response;
  try {
    res = await fetch(url.reveal(), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...(opts.idempotencyKey !== undefined ? { 'idempotency-key': opts.idempotencyKey } : {}) },
      body: text,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      redirect: 'error', // a webhook that redirects is misconfigured; never follow it with our payload
    });
  } catch (e) {
    return { ok: false, error: networkError(e) };
  }
  const responseText = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status, body: responseText };
  return { ok: false, error: classifyHttpStatus(res.status, res.headers.get('retry-after'), responseText) };
}

export function networkError(e: unknown): DeliveryError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
  const detail = timeout ? 'timed out' : err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return { code: 'DW5102', retryable: true, message: `network error: ${snippet(detail)}` };
}

export function classifyHttpStatus(status: number, retryAfter: string | null, body: string): DeliveryError {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const extra = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 429) return { code: 'DW5100', retryable: true, httpStatus: status, message: `rate limited (429)${retryAfter ? `, retry after ${retryAfter}` : ''}`, ...extra };
  if (status >= 500 || status === 408) return { code: 'DW5101', retryable: true, httpStatus: status, message: `service error ${status}: ${snippet(body)}`, ...extra };
  return { code: 'DW5103', retryable: false, httpStatus: status, message: `rejected with ${status}: ${snippet(body)}` };
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string | null, nowMs = Date.now()): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
