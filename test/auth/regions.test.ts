import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REGIONS, resolveEndpoints } from '../../src/auth/regions.ts';
import { DwFailure } from '../../src/model/errors.ts';

const code = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof DwFailure) return e.error.code; throw e; }
  return 'no error';
};

test('every reference region resolves to login.<domain> and api.<domain> over https', () => {
  assert.is(REGIONS.length, 18);
  for (const r of REGIONS) {
    const e = resolveEndpoints(r.key);
    assert.is(e.tokenUrl, `https://login.${r.domain}/oauth/token`);
    assert.is(e.apiBase, `https://api.${r.domain}`);
    assert.is(e.insecureLoopback, false);
  }
  assert.is(new Set(REGIONS.map((r) => r.domain)).size, REGIONS.length);
});

test('regions resolve by key, AWS name or domain', () => {
  assert.is(resolveEndpoints('eu_central_1').apiBase, 'https://api.mypurecloud.de');
  assert.is(resolveEndpoints('ap-southeast-2').apiBase, 'https://api.mypurecloud.com.au');
  assert.is(resolveEndpoints('usw2.pure.cloud').region, 'us_west_2');
  assert.is(resolveEndpoints('eusc-de-east-1').tokenUrl, 'https://login.edee1.eusc-pure.cloud/oauth/token');
});

test('a loopback base URL serves token and API from one origin, insecure allowed', () => {
  const e = resolveEndpoints('http://127.0.0.1:8123/');
  assert.equal(e, { region: 'http://127.0.0.1:8123', tokenUrl: 'http://127.0.0.1:8123/oauth/token', apiBase: 'http://127.0.0.1:8123', insecureLoopback: true });
});

test('plain http to a non-loopback host, unknown regions and URL credentials are refused', () => {
  assert.is(code(() => resolveEndpoints('http://api.mypurecloud.com')), 'DW4006');
  assert.is(code(() => resolveEndpoints('https://u:p@127.0.0.1')), 'DW4006');
  assert.is(code(() => resolveEndpoints('moon_base_1')), 'DW4005');
  assert.is(resolveEndpoints('https://proxy.example').insecureLoopback, false);
});

test.run();
