// Optional heartbeat (healthchecks.io, Cronitor, Uptime Kuma push ...): a GET after each good run.
// Its absence is what alerts, so a failing ping is logged and never fails the run.
import { DAEMON_CODES } from './codes.ts';

export type HeartbeatResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** The URL may carry a token in its path or query: messages show only its origin. */
export async function pingHeartbeat(url: string, timeoutMs = 10_000): Promise<HeartbeatResult> {
  const origin = safeOrigin(url);
  try {
    const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? { ok: true } : { ok: false, error: `${DAEMON_CODES.heartbeat} heartbeat ${origin} answered HTTP ${res.status}` };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    return { ok: false, error: `${DAEMON_CODES.heartbeat} heartbeat ${origin} failed (${cause})` };
  }
}

function safeOrigin(url: string): string {
  try { return new URL(url).origin; } catch { return '(invalid URL)'; }
}
