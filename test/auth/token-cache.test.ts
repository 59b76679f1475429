// TokenCache logic with an injected clock and an in-process token issuer (no HTTP here;
// the real token endpoint is exercised against the simulator in token-endpoint.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { TokenCache, type TokenEvent } from '../../src/auth/token-cache.ts';
import { Secret } from '../../src/auth/secret.ts';
import type { IssuedToken } from '../../src/auth/token-endpoint.ts';

function issuer(expiresInSec: number) {
  let n = 0;
  const gates: Array<() => void> = [];
  let gated = false;
  return {
    get count() { return n; },
    hold() { gated = true; },
    release() { gated = false; for (const g of gates.splice(0)) g(); },
    fetch: async (): Promise<IssuedToken> => {
      n++;
      const token = new Secret(`tok-${n}`);
      if (gated) await new Promise<void>((r) => gates.push(r));
      return { accessToken: token, expiresInSec };
    },
  };
}

test('fetched once and reused until 75% of expires_in has passed', async () => {
  let now = 1_000_000;
  const iss = issuer(100);
  const events: TokenEvent[] = [];
  const cache = new TokenCache(iss.fetch, { now: () => now, onEvent: (e) => events.push(e) });
  const a = await cache.getToken();
  now += 74_999;
  const b = await cache.getToken();
  assert.is(iss.count, 1);
  assert.ok(a.sameAs(b));
  now += 1; // exactly 75 s of a 100 s lifetime
  const c = await cache.getToken();
  assert.is(iss.count, 2);
  assert.is(c.reveal(), 'tok-2');
  assert.equal(events.map((e) => e.type === 'token-fetched' ? e.reason : e.type), ['initial', 'proactive']);
});

test('the margin follows expires_in rather than a fixed number', async () => {
  let now = 0;
  const iss = issuer(2); // 2 s lifetime -> refresh after 1.5 s
  const cache = new TokenCache(iss.fetch, { now: () => now });
  await cache.getToken();
  now = 1_400; await cache.getToken();
  assert.is(iss.count, 1);
  now = 1_500; await cache.getToken();
  assert.is(iss.count, 2);
});

test('concurrent callers share one in-flight refresh', async () => {
  const iss = issuer(3600);
  iss.hold();
  const cache = new TokenCache(iss.fetch);
  const pending = Array.from({ length: 10 }, () => cache.getToken());
  iss.release();
  const tokens = await Promise.all(pending);
  assert.is(iss.count, 1);
  assert.ok(tokens.every((t) => t.reveal() === 'tok-1'));
});

test('invalidate(token) drops only the rejected token; a burst of 401s causes one refresh', async () => {
  const iss = issuer(3600);
  const cache = new TokenCache(iss.fetch);
  const old = await cache.getToken();
  cache.invalidate(old);
  const fresh = await cache.getToken();
  assert.is(fresh.reveal(), 'tok-2');
  cache.invalidate(old); // a late 401 for the old token must not discard the new one
  assert.is((await cache.getToken()).reveal(), 'tok-2');
  assert.is(iss.count, 2);
  assert.is(cache.fetchCount, 2);
});

test('a failed fetch is not cached: the next caller tries again', async () => {
  let fail = true;
  const cache = new TokenCache(async () => {
    if (fail) throw new Error('boom');
    return { accessToken: new Secret('ok'), expiresInSec: 60 };
  });
  await cache.getToken().then(() => assert.unreachable('should fail'), (e: Error) => assert.is(e.message, 'boom'));
  fail = false;
  assert.is((await cache.getToken()).reveal(), 'ok');
});

test('the cache never shows its token in inspect or JSON', async () => {
  const cache = new TokenCache(async () => ({ accessToken: new Secret('TOKEN-CANARY-123'), expiresInSec: 60 }));
  await cache.getToken();
  for (const s of [inspect(cache, { showHidden: true }), JSON.stringify(cache), inspect({ cache })]) assert.not.match(s, 'TOKEN-CANARY-123');
});

test.run();
