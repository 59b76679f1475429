// The Ed25519 key that signs evidence records: generated on first use beside the store, the
// private half readable only by its owner, the public half exported next to it (and embedded in
// every report) so anyone can check the chain without the secret.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createFileOnce } from '../pipeline/keys.ts';
import { join } from 'node:path';
import { fail } from '../model/errors.ts';
import { EVIDENCE_CODES } from './codes.ts';

export type SigningKey = {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key, as exported to `.pub.pem`. */
  readonly publicPem: string;
  /** `sha256:` of the DER public key: names the key in every record. */
  readonly keyId: string;
};
export type VerifyingKey = Omit<SigningKey, 'privateKey'>;

export const evidenceKeyPaths = (stateDir: string): { readonly privatePem: string; readonly publicPem: string } => ({
  privatePem: join(stateDir, 'keys', 'evidence-ed25519.pem'),
  publicPem: join(stateDir, 'keys', 'evidence-ed25519.pub.pem'),
});

export function keyIdOf(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** Loads the signing key, creating it (0600) and its public export on first use. */
export function loadOrCreateSigningKey(stateDir: string): SigningKey {
  const paths = evidenceKeyPaths(stateDir);
  if (!existsSync(paths.privatePem)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    // Atomic: a process racing us either creates the key or reads ours whole.
    createFileOnce(paths.privatePem, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  }
  const mode = statSync(paths.privatePem).mode & 0o777;
  if (mode & 0o077) fail(EVIDENCE_CODES.keyReadable, 'bad-input', `evidence signing key ${paths.privatePem} is readable by others (mode ${mode.toString(8)}); run \`chmod 600 ${paths.privatePem}\``);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(paths.privatePem, 'utf8'));
  } catch (e) {
    return fail(EVIDENCE_CODES.keyInvalid, 'bad-input', `evidence signing key ${paths.privatePem} is not a PEM private key: ${(e as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') fail(EVIDENCE_CODES.keyInvalid, 'bad-input', `evidence signing key ${paths.privatePem} is ${privateKey.asymmetricKeyType}, expected ed25519`);
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  // The public export is derived, so rewrite it when missing or stale.
  if (!existsSync(paths.publicPem) || readFileSync(paths.publicPem, 'utf8') !== publicPem) writeFileSync(paths.publicPem, publicPem, { mode: 0o644 });
  chmodSync(paths.privatePem, 0o600);
  return { privateKey, publicKey, publicPem, keyId: keyIdOf(publicKey) };
}

/** Reads a public key (SPKI PEM) to verify with. */
export function readVerifyingKey(file: string): VerifyingKey {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    return fail(EVIDENCE_CODES.noPublicKey, 'bad-input', `cannot read the evidence public key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; pass --public-key FILE or run a check first`);
  }
  return verifyingKeyFromPem(text, file);
}

export function verifyingKeyFromPem(text: string, where = 'public key'): VerifyingKey {
  let publicKey: KeyObject;
  try { publicKey = createPublicKey(text); } catch (e) {
    return fail(EVIDENCE_CODES.keyInvalid, 'bad-input', `${where} is not a PEM public key: ${(e as Error).message}`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') fail(EVIDENCE_CODES.keyInvalid, 'bad-input', `${where} is ${publicKey.asymmetricKeyType}, expected ed25519`);
  return { publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyId: keyIdOf(publicKey) };
}
