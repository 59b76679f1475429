// An administrator acting on the simulator through its public API (as a person in the Genesys
// admin UI would): used by the demo and the tests to create real drift, recorded by the Audit API.
import { SIM_ADMIN } from './clients.ts';
import type { SimClient, Simulator } from './types.ts';

export type AdminSession = {
  request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
};

export function adminSession(sim: Pick<Simulator, 'url'>, client: SimClient = SIM_ADMIN): AdminSession {
  let token: string | undefined;
  const getToken = async (): Promise<string> => {
    if (token) return token;
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (!res.ok) throw new Error(`admin token request failed: HTTP ${res.status}`);
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  };
  return {
    async request(method, path, body) {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await getToken()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`admin ${method} ${path} failed: HTTP ${res.status} ${text.slice(0, 200)}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
  };
}

type Entity = { id: string; name: string; [k: string]: unknown };

/** The changes the demo makes, each one a real compliance story. Returns what was done. */
export async function applyDemoDrift(admin: AdminSession): Promise<readonly string[]> {
  const done: string[] = [];
  const auth = await admin.request<{ ipAddressAllowlist?: string[] }>('GET', '/api/v2/organizations/authentication/settings');
  await admin.request('PATCH', '/api/v2/organizations/authentication/settings', {
    multifactorAuthenticationRequired: false,
    ipAddressAllowlist: [...(auth.ipAddressAllowlist ?? []), '0.0.0.0/0'],
  });
  done.push('turned MFA off and added 0.0.0.0/0 to the IP allow-list');

  await admin.request('PUT', '/api/v2/tokens/timeout', { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 14400 });
  done.push('raised the idle session timeout to 4 hours');

  const policies = await admin.request<{ entities: Entity[] }>('GET', '/api/v2/recording/mediaretentionpolicies?pageSize=100');
  const target = policies.entities.find((p) => JSON.stringify(p).includes('deleteRetention'));
  if (target) {
    const { version: _v, ...body } = target;
    const shortened = setDeep(body, 'deleteRetention', (r) => ({ ...(r as object), days: 7 })) as Entity;
    await admin.request('PUT', `/api/v2/recording/mediaretentionpolicies/${target.id}`, shortened);
    done.push(`shortened recording retention of "${target.name}" to 7 days`);
  }

  const roles = await admin.request<{ entities: Entity[] }>('GET', '/api/v2/authorization/roles?pageSize=100&userCount=false');
  const adminRole = roles.entities.find((r) => /admin/i.test(r.name)) ?? roles.entities[0]!;
  await admin.request('POST', '/api/v2/oauth/clients', {
    name: 'shadow-exporter', description: 'bulk export', authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: 86400, registeredRedirectUri: [], scope: [],
    roleDivisions: [{ roleId: adminRole.id, divisionId: '*' }],
  });
  done.push(`created OAuth client "shadow-exporter" with role "${adminRole.name}"`);

  // The simulator, like Genesys, returns a fresh `version` on reads: send none (last write wins).
  const { version: _v, ...org } = await admin.request<{ name: string; version?: number }>('GET', '/api/v2/organizations/me');
  await admin.request('PUT', '/api/v2/organizations/me', { ...org, name: `${org.name} (EMEA)` });
  done.push('renamed the organization (cosmetic)');
  return done;
}

/** Copy of `v` with every value under key `key` (at any depth) replaced by `fn(value)`. */
function setDeep(v: unknown, key: string, fn: (old: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => setDeep(x, key, fn));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === key ? fn(x) : setDeep(x, key, fn)]));
}
