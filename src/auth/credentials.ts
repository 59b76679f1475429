// OAuth client credentials from the environment or from a private JSON/YAML file.
// The secret lives in a Secret, so printing or serialising a Credentials never shows it.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { DwFailure, dwError, fail } from '../model/errors.ts';
import { parseYamlWithSchema } from '../config/load-yaml.ts';
import { Secret } from './secret.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Credentials {
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** Where they came from ('env' or the file path), for messages. */
  readonly source: string;
  constructor(clientId: string, clientSecret: Secret | string, source: string) {
    this.clientId = clientId;
    this.clientSecret = typeof clientSecret === 'string' ? new Secret(clientSecret) : clientSecret;
    this.source = source;
  }
  toJSON(): { clientId: string; clientSecret: string; source: string } {
    return { clientId: this.clientId, clientSecret: '[redacted]', source: this.source };
  }
  [inspectSymbol](): string {
    return `Credentials { clientId: '${this.clientId}', clientSecret: [redacted], source: '${this.source}' }`;
  }
}

export const ENV_CLIENT_ID = 'GENESYS_CLIENT_ID';
export const ENV_CLIENT_SECRET = 'GENESYS_CLIENT_SECRET';

/** Both variables set -> Credentials; neither -> undefined; only one -> DwFailure. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const id = env[ENV_CLIENT_ID]?.trim();
  const secret = env[ENV_CLIENT_SECRET];
  if (!id && !secret) return undefined;
  if (!id) return fail('DW4001', 'bad-input', `${ENV_CLIENT_SECRET} is set but ${ENV_CLIENT_ID} is empty`);
  if (!secret) return fail('DW4001', 'bad-input', `${ENV_CLIENT_ID} is set but ${ENV_CLIENT_SECRET} is empty`);
  return new Credentials(id, secret, 'env');
}

const FILE_SCHEMA = {
  type: 'object',
  required: ['clientId', 'clientSecret'],
  additionalProperties: false,
  properties: {
    clientId: { type: 'string', minLength: 1 },
    clientSecret: { type: 'string', minLength: 1 },
  },
} as const;

/**
 * Reads `{ clientId, clientSecret }` (JSON or YAML). The file must not be readable or writable
 * by group or others: a secret in a 0644 file is already leaked to every local user.
 */
export function loadCredentialsFile(file: string): Credentials {
  let fd: number;
  try { fd = openSync(file, 'r'); }
  catch (e) { return fail('DW4002', 'bad-input', `cannot read credentials file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`); }
  let text: string;
  try {
    // fstat on the open descriptor: the mode we check is the mode of the file we read.
    const mode = fstatSync(fd).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      fail('DW4003', 'bad-input',
        `credentials file ${file} is accessible by group/others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${file}`);
    }
    text = readFileSync(fd, 'utf8');
  } finally { closeSync(fd); }
  let parsed: { clientId: string; clientSecret: string };
  try {
    parsed = parseYamlWithSchema(text, file, FILE_SCHEMA, { syntax: 'DW4004', schema: 'DW4004', missing: 'DW4002' });
  } catch (e) {
    // The shared loader attaches the offending source line; in this file that line may be the secret.
    if (e instanceof DwFailure) {
      const { sourceLine: _dropped, ...rest } = e.error;
      throw new DwFailure(dwError(rest.code, rest.kind, `credentials file: ${rest.message}`, rest.at));
    }
    throw e;
  }
  return new Credentials(parsed.clientId.trim(), parsed.clientSecret, file);
}

/** A file when given, otherwise the environment; nothing found is a clear bad-input failure. */
export function loadCredentials(opts: { readonly file?: string; readonly env?: NodeJS.ProcessEnv } = {}): Credentials {
  if (opts.file) return loadCredentialsFile(opts.file);
  const fromEnv = credentialsFromEnv(opts.env ?? process.env);
  if (fromEnv) return fromEnv;
  return fail('DW4001', 'bad-input',
    `no Genesys credentials: set ${ENV_CLIENT_ID} and ${ENV_CLIENT_SECRET}, or pass a credentials file (mode 0600)`);
}
