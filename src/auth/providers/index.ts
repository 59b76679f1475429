// Picks the credential provider an org's config names: env, file, vault or aws.
import type { OrgConfig } from '../../config/config.ts';
import { envProvider } from './env-provider.ts';
import { fileProvider } from './file-provider.ts';
import { vaultProvider } from './vault-provider.ts';
import { awsProvider } from './aws-provider.ts';
import type { CredentialProvider } from './provider.ts';

export type { CredentialProvider } from './provider.ts';
export { PROVIDER_CODES, PROVIDER_TIMEOUT_MS } from './provider.ts';
export { envProvider, credentialsFromEnvVars } from './env-provider.ts';
export { fileProvider } from './file-provider.ts';
export { vaultProvider, type VaultSource } from './vault-provider.ts';
export { awsProvider, type AwsSource } from './aws-provider.ts';

export function credentialProviderFor(org: OrgConfig, env: NodeJS.ProcessEnv): CredentialProvider {
  const src = org.credentials;
  switch (src.kind) {
    case 'env': return envProvider(org.id, src.clientIdVar, src.clientSecretVar, env);
    case 'file': return fileProvider(src.path);
    case 'vault': return vaultProvider(src, env);
    case 'aws': return awsProvider(src, env);
  }
}
