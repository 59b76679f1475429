// Per-channel pacing with bottleneck: one limiter per notifier, so a slow or rate-limited Slack
// webhook never delays PagerDuty pages.
import Bottleneck from 'bottleneck';
import type { Throttle } from '../route/types.ts';

export type Limiter = { schedule<T>(fn: () => Promise<T>): Promise<T>; stop(): Promise<void> };

export function createLimiter(t: Throttle): Limiter {
  const b = new Bottleneck({ minTime: t.minTimeMs, maxConcurrent: t.maxConcurrent });
  return {
    schedule: (fn) => b.schedule(fn),
    stop: async () => { await b.stop({ dropWaitingJobs: false }); },
  };
}
