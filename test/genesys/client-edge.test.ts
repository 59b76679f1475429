// Client edge cases that need a scripted server; the main behaviour is tested against the
// simulator in client.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Credentials } from '../../src/auth/credentials.ts';
import { connectGenesys } from '../../src/genesys/connect.ts';
import type { ClientEvent, GenesysClientOptions } from '../../src/genesys/client.ts';
import { GenesysHttpError, GenesysRetriesExhausted } from '../../src/genesys/errors.ts';
import { seededRandom } from '../../src/genesys/retry-policy.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { json, startScriptedServer, type ScriptedServer } from './scripted-server.ts';

const t = suite('client edge cases');
let srv: ScriptedServer;
t.before(async () => { srv = await startScriptedServer(); });
t.after(async () => { await srv.close(); });
t.before.each(() => { srv.hits.length = 0; });

function connect(extra: Partial<GenesysClientOptions> = {}) {
  const events: ClientEvent[] = [];
  const { client, tokens } = connectGenesys({
    region: srv.url, credentials: new Credentials('cid', 'csecret', 'test'),
    requestsPerMinute: 60_000, random: seededRandom(7), retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onEvent: (e) => events.push(e), ...extra,
  });
  return { client, tokens, events };
}
const rejection = async (p: Promise<unknown>): Promise<unknown> => p.then(() => assert.unreachable('expected a rejection'), (e: unknown) => e);

t('the token request uses Basic auth and grant_type only; API calls carry the bearer token', async () => {
  srv.handle('/api/v2/x', (_q, res) => json(res, 200, { ok: true }));
  const { client } = connect();
  assert.equal(await client.get('/api/v2/x'), { ok: true });
  const tok = srv.hits.find((h) => h.url === '/oauth/token')!;
  assert.is(tok.auth, `Basic ${Buffer.from('cid:csecret').toString('base64')}`);
  assert.is(tok.body, 'grant_type=client_credentials');
  assert.is(srv.hits.find((h) => h.url === '/api/v2/x')!.auth, 'Bearer tok-1');
});

t('POST is not retried on 5xx but is retried on 429', async () => {
  let n = 0;
  srv.handle('/api/v2/q', (_q, res) => (n++ === 0
    ? json(res, 429, { code: 'too.many.requests', status: 429 }, { 'retry-after': '0' })
    : json(res, 503, { code: 'service.unavailable', status: 503 })));
  const { client } = connect();
  const e = await rejection(client.post('/api/v2/q', { a: 1 }));
  assert.instance(e, GenesysHttpError);
  assert.is((e as GenesysHttpError).status, 503);
  assert.is(srv.hits.filter((h) => h.url === '/api/v2/q').length, 2);
  assert.is(srv.hits.find((h) => h.url === '/api/v2/q')!.body, '{"a":1}');
});

t('404 is not retried and names the path and the Genesys code', async () => {
  const { client } = connect();
  const e = await rejection(client.get('/api/v2/orgsettings'));
  assert.instance(e, GenesysHttpError);
  assert.match((e as DwFailure).message, 'GET /api/v2/orgsettings answered HTTP 404 not.found');
  assert.is(srv.hits.filter((h) => h.url === '/api/v2/orgsettings').length, 1);
});

t('the total wait budget stops retries before the attempt limit', async () => {
  srv.handle('/api/v2/slow', (_q, res) => json(res, 429, { status: 429 }, { 'retry-after': '1' }));
  const { client, events } = connect({ retry: { maxAttempts: 10, maxTotalWaitMs: 500 } });
  const e = await rejection(client.get('/api/v2/slow'));
  assert.instance(e, GenesysRetriesExhausted);
  assert.match((e as DwFailure).message, 'GET /api/v2/slow failed after 1 attempt (last status 429');
  assert.match((e as DwFailure).message, 'total wait budget of 500 ms');
  assert.is(events.filter((x) => x.type === 'retry').length, 0);
});

t('a paging loop or a page without entities is an upstream failure, not an endless run', async () => {
  srv.handle('/api/v2/loop', (_q, res) => json(res, 200, { entities: [{ id: 1 }], nextUri: '/api/v2/loop?pageSize=100&pageNumber=1' }));
  srv.handle('/api/v2/notpaged', (_q, res) => json(res, 200, { foo: 1 }));
  const { client } = connect();
  const loop = await rejection(client.getAllPages('/api/v2/loop', { paging: 'page-number' }));
  assert.is((loop as DwFailure).error.code, 'DW4106');
  const np = await rejection(client.getAllPages('/api/v2/notpaged', { paging: 'page-number' }));
  assert.is((np as DwFailure).error.code, 'DW4105');
});

t('page-number paging without nextUri follows pageCount; cursor paging follows a top-level cursor', async () => {
  srv.handle('/api/v2/pc', (q, res) => {
    const p = Number(new URL(q.url!, 'http://x').searchParams.get('pageNumber'));
    json(res, 200, { entities: [{ id: `p${p}` }], pageNumber: p, pageCount: 3 });
  });
  srv.handle('/api/v2/cur', (q, res) => {
    const c = new URL(q.url!, 'http://x').searchParams.get('cursor');
    json(res, 200, c === null ? { entities: [{ id: 'a' }], cursor: 'c1' } : c === 'c1' ? { entities: [{ id: 'b' }], cursor: '' } : { entities: [] });
  });
  const { client } = connect();
  assert.equal(await client.getAllPages('/api/v2/pc', { paging: 'page-number' }), { entities: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] });
  assert.equal(await client.getAllPages('/api/v2/cur', { paging: 'cursor' }), { entities: [{ id: 'a' }, { id: 'b' }] });
});

t('a 2xx body that is not JSON fails clearly; an empty body is null', async () => {
  srv.handle('/api/v2/html', (_q, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>'); });
  srv.handle('/api/v2/empty', (_q, res) => { res.writeHead(204); res.end(); });
  const { client } = connect();
  assert.is(((await rejection(client.get('/api/v2/html'))) as DwFailure).error.code, 'DW4105');
  assert.is(await client.get('/api/v2/empty'), null);
});

t('a 401 triggers exactly one token refresh and one retry, then fails loudly', async () => {
  srv.handle('/api/v2/always401', (_q, res) => json(res, 401, { message: 'Invalid login credentials.', code: 'bad.credentials', status: 401 }));
  const { client, events } = connect();
  const e = await rejection(client.get('/api/v2/always401')) as DwFailure;
  assert.is(e.name, 'GenesysAuthError');
  assert.is(e.error.kind, 'upstream');
  assert.match(e.message, 'authentication failed for GET /api/v2/always401');
  assert.match(e.message, 'token was revoked or expired');
  assert.is(srv.hits.filter((h) => h.url === '/oauth/token').length, 2);
  const auths = srv.hits.filter((h) => h.url === '/api/v2/always401').map((h) => h.auth);
  assert.is(auths.length, 2);
  assert.ok(auths[0] !== auths[1], 'the retry used the freshly issued token');
  assert.is(events.filter((x) => x.type === 'token-refresh').length, 1);
});

t('a transient token endpoint failure (503) is retried like any 5xx', async () => {
  let n = 0;
  srv.handle('/oauth/token', (_q, res) => (++n === 1
    ? json(res, 503, { error: 'temporarily_unavailable' })
    : json(res, 200, { access_token: `late-${n}`, token_type: 'bearer', expires_in: 3600 })));
  srv.handle('/api/v2/x', (_q, res) => json(res, 200, { ok: 1 }));
  const { client, events } = connect();
  assert.equal(await client.get('/api/v2/x'), { ok: 1 });
  assert.is(n, 2);
  assert.ok(events.some((e) => e.type === 'retry' && e.reason === 'token-endpoint' && e.status === 503));
  assert.is(srv.hits.find((h) => h.url === '/api/v2/x')!.auth, 'Bearer late-2');
});

t('close() ends a call that is waiting to retry, leaving no timer behind', async () => {
  srv.handle('/api/v2/down', (_q, res) => json(res, 503, { code: 'service.unavailable', status: 503 }));
  let closing: Promise<void> | undefined;
  const { client } = connect({
    retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxTotalWaitMs: 600_000 }, random: () => 0.99,
    onEvent: (e) => { if (e.type === 'retry') closing = client.close(); },
  });
  const e = await rejection(client.get('/api/v2/down')) as DwFailure;
  assert.is(e.error.code, 'DW4108');
  assert.match(e.message, 'GET /api/v2/down: the Genesys client was closed');
  await closing;
});

t.run();
