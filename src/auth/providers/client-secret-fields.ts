// The shape every remote secret store must hold: `{ clientId, clientSecret }` (non-empty strings).
import { Credentials } from '../credentials.ts';
import { Secret } from '../secret.ts';
import { fail, type DwCode } from '../../model/errors.ts';

/** Builds Credentials from a decoded secret document; the message names the fields, never values. */
export function credentialsFromFields(doc: unknown, source: string, code: DwCode): Credentials {
  const o = (doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>;
  const missing = ['clientId', 'clientSecret'].filter((k) => typeof o[k] !== 'string' || (o[k] as string).trim() === '');
  if (missing.length) return fail(code, 'upstream', `${source}: the secret has no ${missing.join(' and ')} field (strings expected)`);
  return new Credentials((o.clientId as string).trim(), new Secret(o.clientSecret as string), source);
}
