// AES-256-GCM for one secret value. The additional authenticated data names the record the value
// belongs to (org, surface, path, fingerprint, the run that deposited it): a ciphertext copied
// into another row fails authentication instead of revealing under a false label.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fail } from '../model/errors.ts';
import { canonicalJson } from '../redact/fingerprint.ts';
import { VAULT_CODES } from './codes.ts';
import type { VaultKey } from './vault-key.ts';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12; // 96 bits: GCM's native nonce size, random per value
const TAG_BYTES = 16;
const AAD_VERSION = 'driftwarden-vault-v1';

/** What binds a ciphertext to its row. */
export type SealBinding = {
  readonly org: string;
  readonly surface: string;
  readonly pathText: string;
  readonly fingerprint: string;
  readonly runId: string;
};

/** Ciphertext as stored: base64 text so every SQL dialect holds it the same way. */
export type SealedValue = { readonly keyId: string; readonly nonce: string; readonly ciphertext: string; readonly tag: string };

const aadFor = (b: SealBinding): Buffer =>
  Buffer.from(canonicalJson([AAD_VERSION, b.org, b.surface, b.pathText, b.fingerprint, b.runId]), 'utf8');

export function sealValue(key: VaultKey, binding: SealBinding, plaintext: string, random: (n: number) => Uint8Array = randomBytes): SealedValue {
  const nonce = Buffer.from(random(NONCE_BYTES));
  return key.use((k) => {
    const cipher = createCipheriv(ALGORITHM, k, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: key.id, nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  });
}

/** The plaintext, or DW6102 (other key) / DW6103 (tampered, or not this row's ciphertext). */
export function openValue(key: VaultKey, binding: SealBinding, sealed: SealedValue, entryId: string): string {
  if (sealed.keyId !== key.id) {
    fail(VAULT_CODES.keyMismatch, 'bad-input', `vault entry ${entryId} is sealed with key ${sealed.keyId}, but the current vault key is ${key.id}; restore that key (DRIFTWARDEN_VAULT_KEY or keys/vault.key) to reveal it`);
  }
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) authFailed(entryId);
  return key.use((k) => {
    try {
      const decipher = createDecipheriv(ALGORITHM, k, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(binding));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      return authFailed(entryId);
    }
  });
}

const authFailed = (entryId: string): never =>
  fail(VAULT_CODES.authFailed, 'bad-input', `vault entry ${entryId} failed authentication: its ciphertext was altered or does not belong to this record; nothing was revealed`);
