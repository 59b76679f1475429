// Builds the authenticated API client for one configured org: credentials -> token cache -> client.
import { loadCredentialsFile, type Credentials } from '../auth/credentials.ts';
import { credentialProviderFor, credentialsFromEnvVars, PROVIDER_CODES } from '../auth/providers/index.ts';
import { resolveEndpoints } from '../auth/regions.ts';
import { clientCredentialsFetcher } from '../auth/token-endpoint.ts';
import { TokenCache } from '../auth/token-cache.ts';
import { GenesysClient, type ClientEvent } from '../genesys/client.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import { fail } from '../model/errors.ts';

/** Env and file credentials (synchronous). Vault and AWS need a network call: `connectOrg`
 *  fetches them lazily, `connectOrgWithProvider` up front, `credentialProviderFor(org).get()` directly. */
export function credentialsForOrg(org: OrgConfig, env: NodeJS.ProcessEnv): Credentials {
  const src = org.credentials;
  if (src.kind === 'file') return loadCredentialsFile(src.path);
  if (src.kind === 'vault' || src.kind === 'aws') {
    return fail(PROVIDER_CODES.unsupported, 'internal', `org ${org.id}: ${src.kind} credentials are fetched asynchronously; use credentialProviderFor(org).get() (or connectOrg, which fetches them when a token is needed)`);
  }
  return credentialsFromEnvVars(org.id, src.clientIdVar, src.clientSecretVar, env);
}

export type OrgConnection = {
  readonly client: GenesysClient;
  readonly tokens: TokenCache;
  /** null when they come from a secret store (Vault, AWS) and are fetched at each token request. */
  readonly credentials: Credentials | null;
};

export function connectOrg(config: Config, org: OrgConfig, opts: { env: NodeJS.ProcessEnv; onEvent?: (e: ClientEvent) => void; credentials?: Credentials }): OrgConnection {
  const endpoints = resolveEndpoints(org.region ?? org.apiBase);
  const src = org.credentials;
  let credentials: Credentials | null;
  let fetcher;
  if (!opts.credentials && (src.kind === 'vault' || src.kind === 'aws')) {
    // A secret store needs a network call: made lazily, when the first token is needed, so
    // every caller of this synchronous function works with every credential source.
    const provider = credentialProviderFor(org, opts.env);
    credentials = null;
    fetcher = async () => clientCredentialsFetcher(endpoints, await provider.get())();
  } else {
    credentials = opts.credentials ?? credentialsForOrg(org, opts.env);
    fetcher = clientCredentialsFetcher(endpoints, credentials);
  }
  const tokens = new TokenCache(fetcher);
  const client = new GenesysClient({
    apiBase: endpoints.apiBase,
    tokens,
    requestsPerMinute: config.rateLimit.requestsPerMinute,
    retry: { maxAttempts: config.retry.maxRetries + 1, maxTotalWaitMs: config.retry.maxTotalWaitMs },
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { client, tokens, credentials };
}

/** connectOrg with the credentials fetched from the org's provider (env, file, Vault, AWS) first. */
export async function connectOrgWithProvider(config: Config, org: OrgConfig, opts: { env: NodeJS.ProcessEnv; onEvent?: (e: ClientEvent) => void }): Promise<OrgConnection> {
  const credentials = await credentialProviderFor(org, opts.env).get();
  return connectOrg(config, org, { ...opts, credentials });
}
