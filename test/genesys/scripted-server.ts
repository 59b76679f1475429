// A tiny scripted HTTP server for client edge cases the simulator does not produce on demand
// (paging loops, POST behaviour on 5xx, body-less 2xx). Everything else is tested against
// src/simulator. Real sockets on 127.0.0.1, port 0.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Hit = { readonly method: string; readonly url: string; readonly auth: string | undefined; readonly at: number; readonly body: string };
export type Handler = (req: IncomingMessage, res: ServerResponse, hit: Hit) => void;

export type ScriptedServer = {
  readonly url: string;
  readonly hits: Hit[];
  handle(pathname: string, h: Handler): void;
  close(): Promise<void>;
};

export async function startScriptedServer(): Promise<ScriptedServer> {
  const handlers = new Map<string, Handler>();
  const hits: Hit[] = [];
  let tokenN = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const hit: Hit = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, at: performance.now(), body };
      hits.push(hit);
      if (u.pathname === '/oauth/token' && !handlers.has('/oauth/token')) {
        tokenN++;
        return json(res, 200, { access_token: `tok-${tokenN}`, token_type: 'bearer', expires_in: 3600 });
      }
      const h = handlers.get(u.pathname);
      if (!h) return json(res, 404, { message: 'The requested resource was not found.', code: 'not.found', status: 404 });
      h(req, res, hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    handle: (p, h) => { handlers.set(p, h); },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
