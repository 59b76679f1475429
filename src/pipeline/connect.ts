// Builds the authenticated API client for one configured org: credentials -> token cache -> client.
import { Credentials, loadCredentialsFile } from '../auth/credentials.ts';
import { resolveEndpoints } from '../auth/regions.ts';
import { clientCredentialsFetcher } from '../auth/token-endpoint.ts';
import { TokenCache } from '../auth/token-cache.ts';
import { GenesysClient, type ClientEvent } from '../genesys/client.ts';
import type { Config, OrgConfig } from '../config/config.ts';
import { fail } from '../model/errors.ts';

export function credentialsForOrg(org: OrgConfig, env: NodeJS.ProcessEnv): Credentials {
  const src = org.credentials;
  if (src.kind === 'file') return loadCredentialsFile(src.path);
  const id = env[src.clientIdVar]?.trim();
  const secret = env[src.clientSecretVar];
  if (!id || !secret) {
    return fail('DW4001', 'bad-input', `org ${org.id}: set ${src.clientIdVar} and ${src.clientSecretVar} in the environment (the client id and secret of a read-only OAuth client)`);
  }
  return new Credentials(id, secret, 'env');
}

export type OrgConnection = { readonly client: GenesysClient; readonly tokens: TokenCache; readonly credentials: Credentials };

export function connectOrg(config: Config, org: OrgConfig, opts: { env: NodeJS.ProcessEnv; onEvent?: (e: ClientEvent) => void; credentials?: Credentials }): OrgConnection {
  const credentials = opts.credentials ?? credentialsForOrg(org, opts.env);
  const endpoints = resolveEndpoints(org.region ?? org.apiBase);
  const tokens = new TokenCache(clientCredentialsFetcher(endpoints, credentials));
  const client = new GenesysClient({
    apiBase: endpoints.apiBase,
    tokens,
    requestsPerMinute: config.rateLimit.requestsPerMinute,
    retry: { maxAttempts: config.retry.maxRetries + 1, maxTotalWaitMs: config.retry.maxTotalWaitMs },
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { client, tokens, credentials };
}
