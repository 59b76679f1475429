// AWS Secrets Manager: `GetSecretValue` on a secret whose SecretString is JSON with clientId and
// clientSecret. AWS credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN) in the given environment when set, otherwise from the SDK's default chain
// (profile, container or instance role). The endpoint is configurable (VPC endpoint, tests).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Credentials } from '../credentials.ts';
import { fail } from '../../model/errors.ts';
import { credentialsFromFields } from './client-secret-fields.ts';
import { PROVIDER_CODES as C, PROVIDER_TIMEOUT_MS, type CredentialProvider } from './provider.ts';

export type AwsSource = { readonly secretId: string; readonly region: string; readonly endpoint: string | null };

const DENIED = new Set([
  'AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException',
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'CredentialsProviderError',
]);

export function awsProvider(src: AwsSource, env: NodeJS.ProcessEnv, opts: { readonly timeoutMs?: number } = {}): CredentialProvider {
  const source = `aws secretsmanager ${src.region} ${src.secretId}`;
  const timeoutMs = opts.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  return {
    source,
    async get(): Promise<Credentials> {
      const keyId = env.AWS_ACCESS_KEY_ID?.trim();
      const secretKey = env.AWS_SECRET_ACCESS_KEY;
      const sessionToken = env.AWS_SESSION_TOKEN;
      // A client per fetch, destroyed after: no sockets or cached AWS credentials outlive the run.
      const client = new SecretsManagerClient({
        region: src.region,
        maxAttempts: 2,
        ...(src.endpoint ? { endpoint: src.endpoint } : {}),
        ...(keyId && secretKey ? { credentials: { accessKeyId: keyId, secretAccessKey: secretKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
      });
      try {
        let out;
        try {
          out = await client.send(new GetSecretValueCommand({ SecretId: src.secretId }), { abortSignal: AbortSignal.timeout(timeoutMs) });
        } catch (e) {
          const name = (e as { name?: string }).name ?? 'Error';
          const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (name === 'ResourceNotFoundException') return fail(C.awsNotFound, 'upstream', `${source}: no such secret (${name})`);
          if (DENIED.has(name) || status === 403) return fail(C.awsDenied, 'upstream', `${source}: access denied (${name}); check the AWS credentials and the secret's policy`);
          if (status === undefined) return fail(C.awsUnreachable, 'upstream', `${source}: Secrets Manager is unreachable (${name === 'AbortError' || name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : name})`);
          return fail(C.awsError, 'upstream', `${source}: GetSecretValue failed with HTTP ${status} (${name})`);
        }
        if (typeof out.SecretString !== 'string') return fail(C.awsShape, 'upstream', `${source}: the secret has no SecretString (binary secrets are not supported)`);
        let doc: unknown;
        try { doc = JSON.parse(out.SecretString); } catch { return fail(C.awsShape, 'upstream', `${source}: SecretString is not JSON (expected {"clientId": ..., "clientSecret": ...})`); }
        return credentialsFromFields(doc, source, C.awsShape);
      } finally {
        client.destroy();
      }
    },
  };
}
