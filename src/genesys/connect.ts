// Wires region + credentials into a ready GenesysClient: endpoints -> openid-client token
// fetcher -> token cache -> client. The one function the pipeline needs to start talking.
import type { Credentials } from '../auth/credentials.ts';
import { resolveEndpoints, type GenesysEndpoints } from '../auth/regions.ts';
import { TokenCache, type TokenCacheOptions } from '../auth/token-cache.ts';
import { clientCredentialsFetcher } from '../auth/token-endpoint.ts';
import { GenesysClient, type GenesysClientOptions } from './client.ts';

export type ConnectOptions = Omit<GenesysClientOptions, 'apiBase' | 'tokens'> & {
  /** Region key / AWS region / domain, or a base URL such as the simulator's. */
  readonly region: string;
  readonly credentials: Credentials;
  readonly tokenCache?: Omit<TokenCacheOptions, 'now'>;
};

export type Connection = { readonly client: GenesysClient; readonly tokens: TokenCache; readonly endpoints: GenesysEndpoints };

export function connectGenesys(opts: ConnectOptions): Connection {
  const { region, credentials, tokenCache, ...clientOpts } = opts;
  const endpoints = resolveEndpoints(region);
  const tokens = new TokenCache(clientCredentialsFetcher(endpoints, credentials),
    { ...tokenCache, ...(clientOpts.now ? { now: clientOpts.now } : {}) });
  const client = new GenesysClient({ ...clientOpts, apiBase: endpoints.apiBase, tokens });
  return { client, tokens, endpoints };
}
