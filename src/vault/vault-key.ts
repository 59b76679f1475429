// The vault's AES-256 key, from the credential store: DRIFTWARDEN_VAULT_KEY (base64 of 32 bytes,
// injected by a deployment's secret manager) or `<stateDir>/keys/vault.key` (0600, generated on
// first use). The key never leaves this object: it cannot be printed or serialized, and its id
// (first 16 hex of sha256 of the key) is what rows record, so a rotated key is recognised.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadOrCreateKey } from '../pipeline/keys.ts';
import { fail } from '../model/errors.ts';
import { VAULT_CODES } from './codes.ts';

export const VAULT_KEY_ENV = 'DRIFTWARDEN_VAULT_KEY';
export const VAULT_KEY_BYTES = 32;

export class VaultKey {
  readonly #bytes: Buffer;
  /** First 16 hex digits of sha256(key): safe to store and print. */
  readonly id: string;
  constructor(bytes: Uint8Array) {
    if (bytes.length !== VAULT_KEY_BYTES) fail(VAULT_CODES.badKey, 'bad-input', `the vault key must be ${VAULT_KEY_BYTES} bytes, got ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.id = createHash('sha256').update(this.#bytes).digest('hex').slice(0, 16);
  }
  /** Hands the raw key to `fn` (the cipher) and nothing else. */
  use<T>(fn: (key: Buffer) => T): T { return fn(this.#bytes); }
  toString(): string { return `[VaultKey ${this.id}]`; }
  toJSON(): string { return `[VaultKey ${this.id}]`; }
  [inspect.custom](): string { return `[VaultKey ${this.id}]`; }
}

/** Parses base64 text of exactly 32 bytes; `source` names where it came from for the error. */
export function vaultKeyFromBase64(text: string, source: string): VaultKey {
  const compact = text.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  // Buffer.from is lenient (it skips junk): re-encoding tells whether the text really was base64.
  if (bytes.length !== VAULT_KEY_BYTES || bytes.toString('base64') !== compact) {
    fail(VAULT_CODES.badKey, 'bad-input', `${source} must hold base64 of ${VAULT_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`);
  }
  return new VaultKey(bytes);
}

export const vaultKeyFile = (stateDir: string): string => join(stateDir, 'keys', 'vault.key');

/** The environment variable when set, else the key file (created 0600 on first use). */
export function loadVaultKey(stateDir: string, env: NodeJS.ProcessEnv): VaultKey {
  const file = vaultKeyFile(stateDir);
  const secret = loadOrCreateKey(file, VAULT_KEY_ENV, env, VAULT_KEY_BYTES);
  return vaultKeyFromBase64(secret.reveal(), env[VAULT_KEY_ENV] ? VAULT_KEY_ENV : file);
}
