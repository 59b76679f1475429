// When to try a failed message again: the service's Retry-After when it gave one, otherwise
// exponential backoff with jitter (so many drift runs hitting one webhook do not retry in step).

export type RetryPolicy = {
  /** Attempts (sends) before a message that keeps failing retryably is given up as dead. */
  readonly maxAttempts: number;
  /** Delay after the first failure; doubles with every further failure. */
  readonly baseDelayMs: number;
  /** Upper bound of the backoff (a Retry-After longer than this is still honoured). */
  readonly maxDelayMs: number;
  /** deliver() waits in place for a retry due within this long (e.g. Retry-After: 1); a later
   *  retry is left to the next deliver() call, so a run is never held up for minutes. */
  readonly maxInlineWaitMs: number;
  /** How long a `delivering` claim protects a message from a second sender on another host. */
  readonly leaseMs: number;
};

// Twelve attempts at 30 s doubling up to an hour span about six hours of outage when deliver()
// runs often enough; every run's deliver() retries anything due.
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 30_000, maxDelayMs: 3_600_000, maxInlineWaitMs: 5_000, leaseMs: 600_000 };

/** Delay before the next attempt after `attempts` failed ones. `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterMs: number | undefined, random: () => number): number {
  if (retryAfterMs !== undefined) {
    // Never earlier than the service asked; a little later spreads concurrent senders.
    return Math.round(retryAfterMs + Math.min(1000, retryAfterMs * 0.1) * random());
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  // "Equal jitter": half fixed, half random, so the delay still grows with every failure.
  return Math.round(exp / 2 + (exp / 2) * random());
}
