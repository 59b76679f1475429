import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SIM_AUDITOR, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, tokenFor } from './helpers.ts';

const t = suite<{ sim: Simulator; token: string }>('simulator: rate limits and faults');

t.before(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 17, quirks: false });
  ctx.token = await tokenFor(ctx.sim, SIM_AUDITOR);
});
t.after(async (ctx) => { await ctx.sim.close(); });

const ORG = '/api/v2/organizations/me';

t('a 429 storm answers the next N requests with Retry-After seconds, logged', async ({ sim, token }) => {
  sim.setFaults({ storm429: 2, retryAfterSec: 3 });
  const a = await call(sim, token, ORG);
  const b = await call(sim, token, ORG);
  const c = await call(sim, token, ORG);
  assert.equal([a.status, b.status, c.status], [429, 429, 200]);
  assert.is(a.headers.get('retry-after'), '3');
  assert.is(a.json.code, 'too.many.requests.retry.after');
  assert.is(a.json.message, 'Rate limit exceeded the maximum. Retry the request in [3] seconds');
  const logged = sim.log.filter((e) => e.path === ORG && e.status === 429);
  assert.is(logged.length, 2);
  assert.ok(logged.every((e) => e.retryAfter === '3'));
  assert.ok(logged[0].at <= logged[1].at);
});

t('Retry-After can be an HTTP date, or omitted', async ({ sim, token }) => {
  sim.setFaults({ storm429: 1, retryAfterSec: 2, retryAfterAsDate: true });
  const dated = await call(sim, token, ORG);
  assert.is(dated.status, 429);
  const header = dated.headers.get('retry-after') ?? '';
  assert.match(header, /GMT$/);
  assert.ok(!Number.isNaN(Date.parse(header)));
  sim.setFaults({ storm429: 1, retryAfterSec: 0, retryAfterAsDate: false });
  const bare = await call(sim, token, ORG);
  assert.is(bare.status, 429);
  assert.is(bare.headers.get('retry-after'), null);
  assert.is(bare.json.code, 'too.many.requests');
  sim.setFaults({ retryAfterSec: 1 });
});

t('the per-token rate limit returns 429 with Retry-After beyond the allowance', async () => {
  const sim = await startSimulator({ rateLimitPerMinute: 3, quirks: false });
  try {
    const token = await tokenFor(sim, SIM_AUDITOR);
    const counts: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(sim, token, ORG);
      assert.is(r.status, 200);
      counts.push(r.headers.get('inin-ratelimit-count'));
    }
    assert.equal(counts, ['1', '2', '3']);
    const limited = await call(sim, token, ORG);
    assert.is(limited.status, 429);
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `retry-after ${wait}`);
    assert.is(sim.log[sim.log.length - 1].retryAfter, String(wait));
    const other = await tokenFor(sim, SIM_AUDITOR);
    assert.is((await call(sim, other, ORG)).status, 200, 'the limit is per token');
  } finally {
    await sim.close();
  }
});

t('error5xxRate answers 503 with a Genesys body, seeded and reproducible', async () => {
  const pattern = async (): Promise<number[]> => {
    const sim = await startSimulator({ seed: 5, quirks: false, faults: { error5xxRate: 0.5 } });
    try {
      const token = await tokenFor(sim, SIM_AUDITOR);
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        const r = await call(sim, token, ORG);
        if (r.status === 503) assert.is(r.json.code, 'service.unavailable');
        statuses.push(r.status);
      }
      return statuses;
    } finally {
      await sim.close();
    }
  };
  const first = await pattern();
  assert.ok(first.includes(503) && first.includes(200), first.join(','));
  assert.equal(await pattern(), first);
});

t('resetRate destroys the socket without a response; status 0 is logged', async ({ sim, token }) => {
  sim.setFaults({ resetRate: 1 });
  let failed = false;
  try {
    await call(sim, token, ORG);
  } catch {
    failed = true;
  }
  sim.setFaults({ resetRate: 0 });
  assert.ok(failed, 'fetch rejected');
  assert.is(sim.log[sim.log.length - 1].status, 0);
  assert.is((await call(sim, token, ORG)).status, 200);
});

t('latency delays responses, and close() does not wait for delayed ones', async () => {
  const sim = await startSimulator({ quirks: false });
  const token = await tokenFor(sim, SIM_AUDITOR);
  sim.setFaults({ latencyMs: 5 });
  assert.is((await call(sim, token, ORG)).status, 200);
  sim.setFaults({ latencyMs: 60_000 });
  const pending = call(sim, token, ORG).then(() => 'answered', () => 'aborted');
  // Give the request time to reach the delay, then close under it: close() must not wait the
  // minute out (if it did, this suite would hang rather than pass).
  await new Promise((r) => setTimeout(r, 20));
  await sim.close();
  assert.is(await pending, 'aborted');
});

t.run();
