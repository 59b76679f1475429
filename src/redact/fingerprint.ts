// Keyed fingerprints let a reader see that a withheld value changed (or stayed the same) without
// learning it. A plain hash would not do: low-entropy values (IPs, PINs, short passwords) could be
// recovered by hashing guesses. Without the key an HMAC gives nothing to guess against.
import { createHmac } from 'node:crypto';
import type { Json } from '../model/findings.ts';
import { canonicalJson } from '../normalize/canonical-json.ts';

// Canonical JSON (sorted keys) is the normalize stage's: equal values give equal fingerprints.
export { canonicalJson } from '../normalize/canonical-json.ts';

/** `hmac:` + the first `hexChars` hex digits of HMAC-SHA256(key, text). */
export function keyedFingerprint(text: string, key: Uint8Array, hexChars = 16): string {
  return `hmac:${createHmac('sha256', key).update(text, 'utf8').digest('hex').slice(0, hexChars)}`;
}

/** Fingerprint of a whole JSON value (withheld secrets): the canonical form, so key order does not matter. */
export const fingerprintJson = (value: Json, key: Uint8Array, hexChars = 16): string =>
  keyedFingerprint(canonicalJson(value), key, hexChars);
