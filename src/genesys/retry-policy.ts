// Pure pieces of the retry policy: how long a 429 asks us to wait, and exponential backoff with
// full jitter (delay = random * min(cap, base * 2^n)) so parallel clients do not retry in lockstep.

/** Retry-After as delta-seconds or HTTP-date -> milliseconds to wait (>= 0); undefined when absent/invalid. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const v = header.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export type BackoffOptions = { readonly baseMs: number; readonly capMs: number; readonly random: () => number };

/** Delay before retry number `retryIndex` (0 for the first retry). */
export function fullJitterDelay(retryIndex: number, o: BackoffOptions): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** retryIndex);
  return Math.floor(o.random() * ceiling);
}

/** Deterministic PRNG for tests and for reproducible runs. */
export { mulberry32 as seededRandom } from '../model/prng.ts';
