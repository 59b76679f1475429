import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GenesysForbiddenError, missingPermissionsOf, parseErrorBody } from '../../src/genesys/errors.ts';
import { fullJitterDelay, parseRetryAfter, seededRandom } from '../../src/genesys/retry-policy.ts';

test('missing permissions come from messageParams, else from the bracketed list in the message', () => {
  const body = parseErrorBody(JSON.stringify({
    message: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: [oauth:client:view]',
    code: 'missing.any.permissions', status: 403, messageParams: { permissions: '[oauth:client:view]' },
  }));
  assert.equal(missingPermissionsOf(body), ['oauth:client:view']);
  assert.equal(missingPermissionsOf({ message: 'You are missing the following permission(s): [telephony:plugin:all, telephony:sites:view]' }),
    ['telephony:plugin:all', 'telephony:sites:view']);
  assert.equal(missingPermissionsOf(parseErrorBody('not json')), []);
  const e = new GenesysForbiddenError({ method: 'GET', path: '/api/v2/oauth/clients' }, body);
  assert.is(e.missingPermission, 'oauth:client:view');
  assert.is(e.error.code, 'DW4103');
  assert.match(e.message, 'GET /api/v2/oauth/clients answered HTTP 403 missing.any.permissions');
});

test('Retry-After accepts delta-seconds and HTTP dates', () => {
  const now = Date.parse('2026-01-01T00:00:00.000Z');
  assert.is(parseRetryAfter('2', now), 2000);
  assert.is(parseRetryAfter('0', now), 0);
  assert.is(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
  assert.is(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a date in the past means now');
  assert.is(parseRetryAfter('soon', now), undefined);
  assert.is(parseRetryAfter(undefined, now), undefined);
  assert.is(parseRetryAfter('', now), undefined);
});

test('full jitter stays within [0, min(cap, base*2^n)) and is reproducible from a seed', () => {
  const a = seededRandom(42), b = seededRandom(42);
  for (let n = 0; n < 12; n++) {
    const d = fullJitterDelay(n, { baseMs: 100, capMs: 5000, random: a });
    assert.ok(d >= 0 && d < Math.min(5000, 100 * 2 ** n));
    assert.is(d, fullJitterDelay(n, { baseMs: 100, capMs: 5000, random: b }));
  }
  assert.is(fullJitterDelay(3, { baseMs: 100, capMs: 5000, random: () => 0.5 }), 400);
  assert.is(fullJitterDelay(20, { baseMs: 100, capMs: 5000, random: () => 0.5 }), 2500);
});

test.run();
