// One interface for every place OAuth client credentials can come from. A provider is asked once
// per run: secrets are fetched fresh (a rotated secret is picked up by the next run) and held in
// memory only, inside a Secret, never written or logged.
import type { Credentials } from '../credentials.ts';

export interface CredentialProvider {
  /** Where the credentials come from, for messages (never contains a secret). */
  readonly source: string;
  get(): Promise<Credentials>;
}

/** Error codes of the credential providers (DW92xx). */
export const PROVIDER_CODES = {
  unsupported: 'DW9200',     // a credential source connectOrg cannot resolve synchronously
  vaultEnv: 'DW9201',        // the variable holding the Vault token / AppRole ids is not set
  vaultUnreachable: 'DW9202',// Vault could not be reached (network, timeout)
  vaultDenied: 'DW9203',     // Vault refused the token or the AppRole login (401/403)
  vaultNotFound: 'DW9204',   // no secret at the mount/path (404)
  vaultStatus: 'DW9205',     // any other non-2xx answer
  vaultShape: 'DW9206',      // the secret lacks clientId/clientSecret, or the answer is not KV v2 JSON
  awsUnreachable: 'DW9210',  // Secrets Manager could not be reached
  awsDenied: 'DW9211',       // access denied / bad AWS credentials
  awsNotFound: 'DW9212',     // no such secret
  awsError: 'DW9213',        // any other Secrets Manager error
  awsShape: 'DW9214',        // SecretString missing or not JSON with clientId/clientSecret
} as const;

/** How long one call to a secret store may take before the run fails upstream. */
export const PROVIDER_TIMEOUT_MS = 10_000;
