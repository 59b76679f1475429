// A tiny HTTP server on 127.0.0.1:0 that records every request byte for byte and answers through
// a channel-specific validator, with knobs to make it fail (status, 429 + Retry-After, resets,
// N failures then success) so retry and outbox code can be tested against real sockets.
// A request whose `Idempotency-Key` header repeats one already accepted gets the first answer
// again and is not handed to the validator a second time: the outbox's crash recovery re-sends
// with the same key, so the local services see every message exactly once. (Slack, Teams and
// PagerDuty ignore the header; see src/notify/outbox/README.md for the production caveat.)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body as received (UTF-8), kept for leak scanning. */
  readonly body: string;
  readonly status: number;
  readonly response: string;
  /** A repeat of an already accepted `Idempotency-Key`: answered like the first, not delivered again. */
  readonly duplicate?: true;
};

export type Reply = { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> };

export type FailureKnob = {
  /** HTTP status to answer with (default 503). Ignored when `reset` is set. */
  readonly status?: number;
  /** Retry-After header value (seconds or HTTP date). */
  readonly retryAfter?: string;
  readonly body?: string;
  /** How many requests fail before the receiver answers normally again (default: all). */
  readonly times?: number;
  /** Let this many requests through normally before the failures start (default 0). */
  readonly skip?: number;
  /** Destroy the socket without answering (a network error for the client). */
  readonly reset?: boolean;
};

export interface HttpReceiver {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Make the next `knob.times` requests fail (replaces any previous knob). */
  fail(knob: FailureKnob): void;
  /** Back to normal, and forget what was received. */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

export async function startHttpReceiver(path: string, handle: (body: string, req: IncomingMessage) => Reply): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  let knob: (FailureKnob & { remaining: number; toSkip: number }) | undefined;

  const acceptedKeys = new Map<string, Reply>();

  const respond = (req: IncomingMessage, res: ServerResponse, body: string, reply: Reply, duplicate = false) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    received.push({ method: req.method ?? '', path: req.url ?? '', headers, body, status: reply.status, response: reply.body ?? '', ...(duplicate ? { duplicate: true as const } : {}) });
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...(reply.headers ?? {}) });
    res.end(reply.body ?? '');
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= MAX_BODY) chunks.push(c); });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (knob && knob.toSkip > 0) knob.toSkip--;
      else if (knob && knob.remaining > 0) {
        knob.remaining--;
        if (knob.reset) {
          received.push({ method: req.method ?? '', path: req.url ?? '', headers: {}, body, status: 0, response: '(connection reset)' });
          req.socket.destroy();
          return;
        }
        return respond(req, res, body, {
          status: knob.status ?? 503, body: knob.body ?? 'injected failure',
          ...(knob.retryAfter !== undefined ? { headers: { 'retry-after': knob.retryAfter } } : {}),
        });
      }
      if (size > MAX_BODY) return respond(req, res, body, { status: 413, body: 'request_too_large' });
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) return respond(req, res, body, { status: 404, body: 'no_service' });
      const key = req.headers['idempotency-key'];
      const seen = typeof key === 'string' ? acceptedKeys.get(key) : undefined;
      if (seen) return respond(req, res, body, seen, true);
      const reply = handle(body, req);
      if (typeof key === 'string' && reply.status >= 200 && reply.status < 300) acceptedKeys.set(key, reply);
      respond(req, res, body, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    fail(k) { knob = { ...k, remaining: k.times ?? Number.POSITIVE_INFINITY, toSkip: k.skip ?? 0 }; },
    reset() { knob = undefined; received.length = 0; acceptedKeys.clear(); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** JSON.parse that reports failure as undefined instead of throwing. */
export function tryJson(text: string): unknown {
  try { return JSON.parse(text) as unknown; } catch { return undefined; }
}
