// HashiCorp Vault KV v2 over HTTP. Auth is a token (from a variable) or an AppRole login
// (`POST /v1/auth/approle/login` → client_token); the secret is `GET /v1/<mount>/data/<path>`,
// whose `data.data` holds clientId and clientSecret. Tokens live in Secrets and in no message.
import type { Credentials } from '../credentials.ts';
import { Secret } from '../secret.ts';
import { fail } from '../../model/errors.ts';
import type { VaultAuth } from '../../config/config.ts';
import { credentialsFromFields } from './client-secret-fields.ts';
import { PROVIDER_CODES as C, PROVIDER_TIMEOUT_MS, type CredentialProvider } from './provider.ts';

export type VaultSource = { readonly address: string; readonly mount: string; readonly path: string; readonly auth: VaultAuth };

export function vaultProvider(src: VaultSource, env: NodeJS.ProcessEnv, opts: { readonly timeoutMs?: number } = {}): CredentialProvider {
  const address = src.address.replace(/\/+$/, '');
  const secretPath = `${encodePath(src.mount)}/data/${encodePath(src.path)}`;
  const source = `vault ${address}/v1/${secretPath}`;
  const timeoutMs = opts.timeoutMs ?? PROVIDER_TIMEOUT_MS;

  async function call(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${address}/v1/${path}`, {
        method, headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs), redirect: 'error',
      });
    } catch (e) {
      return fail(C.vaultUnreachable, 'upstream', `${source}: Vault is unreachable (${(e as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : causeOf(e)})`);
    }
    const text = await res.text();
    if (res.ok) {
      try { return JSON.parse(text) as unknown; } catch { return fail(C.vaultShape, 'upstream', `${source}: Vault answered ${res.status} with a body that is not JSON`); }
    }
    const why = vaultErrors(text);
    const step = path.startsWith('auth/') ? 'AppRole login' : 'read';
    if (res.status === 401 || res.status === 403) return fail(C.vaultDenied, 'upstream', `${source}: ${step} denied (HTTP ${res.status}${why}); check the Vault token or AppRole and its policy`);
    if (res.status === 404) return fail(C.vaultNotFound, 'upstream', `${source}: no secret at this mount/path (HTTP 404${why})`);
    return fail(C.vaultStatus, 'upstream', `${source}: ${step} failed with HTTP ${res.status}${why}`);
  }

  async function token(): Promise<Secret> {
    const auth = src.auth;
    if (auth.kind === 'token') {
      const t = env[auth.tokenVar]?.trim();
      if (!t) return fail(C.vaultEnv, 'bad-input', `${source}: set ${auth.tokenVar} to a Vault token (or configure credentials.vault.approle)`);
      return new Secret(t);
    }
    const roleId = env[auth.roleIdVar]?.trim();
    const secretId = env[auth.secretIdVar]?.trim();
    if (!roleId || !secretId) return fail(C.vaultEnv, 'bad-input', `${source}: set ${auth.roleIdVar} and ${auth.secretIdVar} (AppRole role_id and secret_id)`);
    const login = await call('POST', 'auth/approle/login', {}, { role_id: roleId, secret_id: secretId }) as { auth?: { client_token?: unknown } };
    const t = login?.auth?.client_token;
    if (typeof t !== 'string' || t === '') return fail(C.vaultShape, 'upstream', `${source}: the AppRole login answer has no auth.client_token`);
    return new Secret(t);
  }

  return {
    source,
    async get(): Promise<Credentials> {
      const t = await token();
      const body = await call('GET', secretPath, { 'x-vault-token': t.reveal() }) as { data?: { data?: unknown } };
      if (!body?.data || typeof body.data !== 'object' || !('data' in body.data)) {
        return fail(C.vaultShape, 'upstream', `${source}: not a KV v2 answer (no data.data); is ${src.mount} a KV version 2 mount?`);
      }
      return credentialsFromFields(body.data.data, source, C.vaultShape);
    },
  };
}

const encodePath = (p: string): string => p.split('/').filter(Boolean).map(encodeURIComponent).join('/');

/** Vault's `{"errors": [...]}` as ` : a; b`, short; nothing when absent. */
function vaultErrors(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) return `: ${errors.filter((e) => typeof e === 'string').join('; ').slice(0, 200)}`;
  } catch { /* not JSON */ }
  return '';
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message ?? String(e);
}
