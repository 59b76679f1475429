// Credentials from two environment variables named in the config.
import { Credentials } from '../credentials.ts';
import { fail } from '../../model/errors.ts';
import type { CredentialProvider } from './provider.ts';

export function credentialsFromEnvVars(orgId: string, idVar: string, secretVar: string, env: NodeJS.ProcessEnv): Credentials {
  const id = env[idVar]?.trim();
  const secret = env[secretVar];
  if (!id || !secret) {
    return fail('DW4001', 'bad-input', `org ${orgId}: set ${idVar} and ${secretVar} in the environment (the client id and secret of a read-only OAuth client)`);
  }
  return new Credentials(id, secret, 'env');
}

export function envProvider(orgId: string, idVar: string, secretVar: string, env: NodeJS.ProcessEnv): CredentialProvider {
  return { source: `env ${idVar}/${secretVar}`, get: async () => credentialsFromEnvVars(orgId, idVar, secretVar, env) };
}
