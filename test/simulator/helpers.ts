// Shared helpers for the simulator tests: real HTTP against a started simulator, plus an
// independent normalizer (deliberately not the simulator's own tables) for quirk checks.
import type { SimClient, Simulator } from '../../src/simulator/index.ts';

export async function tokenFor(sim: Simulator, client: SimClient): Promise<string> {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token request failed with ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export type Call = { readonly status: number; readonly text: string; readonly json: any; readonly headers: Headers };

export async function call(sim: Simulator, token: string | undefined, path: string, init: { method?: string; body?: unknown } = {}): Promise<Call> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, {
    method: init.method ?? 'GET', headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Follows nextUri from the first page and returns every entity plus the pages seen. */
export async function readAllPages(sim: Simulator, token: string, firstPath: string): Promise<{ entities: any[]; pages: number }> {
  const entities: any[] = [];
  let next: string | undefined = firstPath;
  let pages = 0;
  while (next) {
    const r = await call(sim, token, next);
    if (r.status !== 200) throw new Error(`${next} -> ${r.status}`);
    entities.push(...r.json.entities);
    pages++;
    next = r.json.nextUri;
    if (pages > 50) throw new Error('paging did not terminate');
  }
  return { entities, pages };
}

const VOLATILE = new Set([
  'version', 'dateModified', 'modifiedDate', 'dateCreated', 'createdDate', 'selfUri', 'userCount', 'roleNeedsUpdate',
  'unusedPermissions', 'policyErrors', 'reportedState', 'maxConfigurableScreenRecordingStreams',
]);
const ORDERED_ARRAYS = new Set(['mediaRegions']);

const canonical = (v: unknown): string => JSON.stringify(v);

/** Volatile stripped, set-like arrays sorted, numeric strings as numbers, empties dropped, PEM unwrapped. */
export function normalize(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (value.startsWith('-----BEGIN')) return value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v));
    return ORDERED_ARRAYS.has(key) ? items : items.sort((a, b) => canonical(a).localeCompare(canonical(b)));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (VOLATILE.has(k)) continue;
      const v = normalize((value as Record<string, unknown>)[k], k);
      const empty = v === '' || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
      if (!empty) out[k] = v;
    }
    return out;
  }
  return value;
}
