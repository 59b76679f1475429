// Local stand-ins for the secret stores, speaking just enough of their real HTTP APIs:
// HashiCorp Vault (token header, AppRole login, KV v2 read) and AWS Secrets Manager (JSON 1.1
// protocol: POST / with X-Amz-Target, SigV4 Authorization header present — not verified).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Seen = { readonly method: string; readonly url: string; readonly headers: IncomingMessage['headers']; readonly body: string };

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

export type VaultServer = Awaited<ReturnType<typeof startVault>>;

/** KV v2 at mount `secret`; `secrets` maps a path to its data; `tokens` are accepted tokens. */
export async function startVault(opts: { secrets: Record<string, Record<string, unknown>>; tokens: string[]; approle?: { roleId: string; secretId: string; token: string } }) {
  const tokens = new Set(opts.tokens);
  if (opts.approle) tokens.add(opts.approle.token);
  const srv = await listen((req, body, res) => {
    if (req.method === 'POST' && req.url === '/v1/auth/approle/login') {
      let b: { role_id?: string; secret_id?: string } = {};
      try { b = JSON.parse(body); } catch { /* empty */ }
      if (opts.approle && b.role_id === opts.approle.roleId && b.secret_id === opts.approle.secretId) {
        return json(res, 200, { auth: { client_token: opts.approle.token, policies: ['driftwarden'], lease_duration: 3600, renewable: true } });
      }
      return json(res, 400, { errors: ['invalid role or secret ID'] });
    }
    const m = /^\/v1\/secret\/data\/(.+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && m) {
      if (!tokens.has(String(req.headers['x-vault-token'] ?? ''))) return json(res, 403, { errors: ['permission denied'] });
      const data = opts.secrets[decodeURIComponent(m[1]!)];
      if (!data) return json(res, 404, { errors: [] });
      return json(res, 200, { request_id: 'r1', data: { data, metadata: { version: 3, created_time: '2026-01-01T00:00:00Z' } } });
    }
    return json(res, 404, { errors: ['no handler for route'] });
  });
  return { ...srv, revoke: (t: string) => tokens.delete(t) };
}

export type AwsServer = Awaited<ReturnType<typeof startSecretsManager>>;

/** Secrets Manager's GetSecretValue; every request must be a signed JSON 1.1 call. */
export async function startSecretsManager(opts: { secrets: Record<string, string>; accessKeyId: string }) {
  return listen((req, body, res) => {
    const err = (status: number, type: string, message: string) =>
      json(res, status, { __type: type, message }, { 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.1' });
    if (req.method !== 'POST' || req.url !== '/') return err(404, 'UnknownOperationException', 'not found');
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') return err(400, 'UnknownOperationException', `unexpected target ${String(req.headers['x-amz-target'])}`);
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${opts.accessKeyId}/`) || !auth.includes('/secretsmanager/aws4_request')) {
      return err(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    let b: { SecretId?: unknown } = {};
    try { b = JSON.parse(body); } catch { return err(400, 'SerializationException', 'body is not JSON'); }
    const value = typeof b.SecretId === 'string' ? opts.secrets[b.SecretId] : undefined;
    if (value === undefined) return err(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    json(res, 200, { ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${b.SecretId as string}-AbCdEf`, Name: b.SecretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 },
      { 'content-type': 'application/x-amz-json-1.1' });
  });
}
