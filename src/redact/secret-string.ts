// A SecretString holds a credential (client secret, webhook URL, SMTP password) so that it can
// never be printed, logged or serialized by accident: only `reveal()` yields the value.
import { inspect } from 'node:util';

const HIDDEN = '[SecretString]';

export class SecretString {
  readonly #value: string;
  /** A label that is safe to print, e.g. 'slack webhook url'. */
  readonly label: string;
  constructor(value: string, label = 'secret') {
    this.#value = value;
    this.label = label;
  }
  /** The only way to read the value; call it at the last moment, where it is handed to a socket. */
  reveal(): string { return this.#value; }
  /** True when `other` holds the same value (e.g. to tell which token a 401 rejected). */
  sameAs(other: SecretString): boolean { return other.#value === this.#value; }
  toString(): string { return HIDDEN; }
  toJSON(): string { return HIDDEN; }
  [inspect.custom](): string { return HIDDEN; }
}

export const isSecretString = (v: unknown): v is SecretString => v instanceof SecretString;

/** Labels of the secrets whose value occurs in `text` (empty when none leaks). The last-line guard
 *  run on every outgoing body: a finding already redacted should never trip it. */
export function findLeakedSecrets(text: string, secrets: readonly SecretString[]): string[] {
  const leaked: string[] = [];
  for (const s of secrets) {
    const v = s.reveal();
    // Very short values would match by chance; they are not worth guarding (and not real secrets).
    if (v.length >= 6 && text.includes(v)) leaked.push(s.label);
  }
  return leaked;
}
