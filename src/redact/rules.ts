// Redaction rules: what the user configures (RedactionConfig) compiled once into what the
// redactor runs (RedactionRules). Compiling validates regexes and the fingerprint key up front.
import { DwFailure, dwError } from '../model/errors.ts';
import { SecretString, isSecretString } from './secret-string.ts';
import { compileSecretField, type CompiledSecretField, type SecretFieldPattern } from './secret-names.ts';

export type ExtraPattern = { readonly name: string; readonly regex: string; readonly flags?: string };

export type RedactionConfig = {
  /** HMAC key for fingerprints (≥ 16 bytes). Keep it stable across runs so fingerprints compare. */
  readonly fingerprintKey: SecretString | string | Uint8Array;
  /** Catalog secret fields (`SurfaceDef.secretFields`), see `secretFieldsFromCatalog`. */
  readonly secretFields?: readonly SecretFieldPattern[];
  /** Extra patterns masked in every string, e.g. internal ticket ids or employee numbers. */
  readonly extraPatterns?: readonly ExtraPattern[];
  /** Credentials the process holds (client secret, webhook URLs, SMTP password): scrubbed from every
   *  string and checked for in every outgoing body. */
  readonly knownSecrets?: readonly SecretString[];
  readonly maxStringLength?: number;   // default 2048 characters
  readonly maxDepth?: number;          // default 8 levels of nesting
  readonly maxEntries?: number;        // default 100 array items / object keys kept per level
  readonly maxValueChars?: number;     // default 16384: serialized old/new above this become a preview
};

declare const compiled: unique symbol;
export type RedactionRules = {
  readonly [compiled]: true;
  readonly key: Uint8Array;
  readonly secretFields: readonly CompiledSecretField[];
  readonly extraPatterns: readonly { readonly name: string; readonly re: RegExp }[];
  readonly knownSecrets: readonly SecretString[];
  readonly maxStringLength: number;
  readonly maxDepth: number;
  readonly maxEntries: number;
  readonly maxValueChars: number;
};

/** Throws DwFailure DW5001 (bad regex) or DW5002 (key too short). */
export function compileRedactionRules(config: RedactionConfig): RedactionRules {
  const raw = config.fingerprintKey;
  const key = isSecretString(raw) ? Buffer.from(raw.reveal(), 'utf8') : typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
  if (key.length < 16) throw new DwFailure(dwError('DW5002', 'bad-input', `redaction fingerprint key must be at least 16 bytes, got ${key.length}`));
  const extraPatterns = (config.extraPatterns ?? []).map((p) => {
    let re: RegExp;
    try { re = new RegExp(p.regex, `${(p.flags ?? '').replace(/[gy]/g, '')}g`); }
    catch (e) { throw new DwFailure(dwError('DW5001', 'bad-input', `redaction pattern "${p.name}" is not a valid regular expression: ${(e as Error).message}`)); }
    if (re.test('')) throw new DwFailure(dwError('DW5001', 'bad-input', `redaction pattern "${p.name}" matches the empty string`));
    re.lastIndex = 0;
    return { name: p.name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'pattern', re };
  });
  return {
    key,
    secretFields: (config.secretFields ?? []).map(compileSecretField),
    extraPatterns,
    knownSecrets: config.knownSecrets ?? [],
    maxStringLength: config.maxStringLength ?? 2048,
    maxDepth: config.maxDepth ?? 8,
    maxEntries: config.maxEntries ?? 100,
    maxValueChars: config.maxValueChars ?? 16384,
  } as unknown as RedactionRules;
}

/** Builds the catalog part of the rules from surface definitions (`SURFACES` in src/genesys). */
export function secretFieldsFromCatalog(surfaces: readonly { readonly id: string; readonly secretFields: readonly string[] }[]): SecretFieldPattern[] {
  return surfaces.flatMap((s) => s.secretFields.map((pattern) => ({ surface: s.id, pattern })));
}
