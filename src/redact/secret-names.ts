// Decides whether a field holds a secret from its NAME and PATH alone, whatever the finding's
// declared sensitivity says: a policy that forgets to mark a field secret must not leak it.
//
// Plain substring matching is too blunt for Genesys settings: `passwordRequirements.minimumLength`
// and `accessTokenValiditySeconds` contain "password" / "token" but are exactly the values a
// compliance reader must see. So two tiers:
//   - words that mean "secret" wherever they appear in the name (secret, credential, passwd, …,
//     matched as substrings of the lower-cased name with `_`/`-` removed, so `clientsecret` counts);
//   - words that are secret only as the name's head noun, i.e. the last word, optionally followed
//     by an encoding suffix: password, token, certificate, key after api/private/… (`userPassword`,
//     `access_token`, `certificates`, `passwordHash` — not `passwordRequirements`).
import type { PathSegment } from '../model/findings.ts';

const ANYWHERE = ['secret', 'credential', 'passwd', 'passphrase', 'privatekey', 'apikey', 'keymaterial',
  'signingkey', 'encryptionkey', 'sharedkey', 'accesskey', 'secretkey', 'clientkey', 'sessionkey'] as const;
const HEAD_NOUNS = ['password', 'passcode', 'pwd', 'token', 'tokens', 'certificate', 'certificates', 'cert',
  'certs', 'pfx', 'pkcs12', 'cookie', 'authorization', 'sig', 'signature'] as const;
// Suffix words that describe the form of the value, not a different thing: `passwordHash` is still secret.
const ENCODING_SUFFIXES = new Set(['value', 'values', 'hash', 'hashed', 'plain', 'plaintext', 'text', 'b64',
  'base64', 'pem', 'der', 'data', 'string', 'str', 'enc', 'encrypted', 'raw', 'bytes', 'hex']);

/** Splits `clientSecretValue`, `client_secret`, `X-Api-Key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** True when a key name means "this holds a secret" (case-insensitive). */
export function isSecretKeyName(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (squashed.length === 0) return false;
  if (ANYWHERE.some((w) => squashed.includes(w))) return true;
  const words = nameWords(name);
  while (words.length > 1 && ENCODING_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  const head = words[words.length - 1] ?? '';
  // `userpassword` (no case boundary) still ends in a head noun.
  return HEAD_NOUNS.some((n) => head === n || (head.endsWith(n) && n.length >= 5));
}

/** One segment of a parsed pathText: an object key, an array index, or a keyed element `[id=x]`. */
export type ParsedSegment =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'element'; readonly key: string; readonly value: string };

/** Parses `entities[id=abc].permissionPolicies[0].actionSet` (and `["a.b"]` quoted keys) tolerantly:
 *  an unparseable remainder becomes one key segment rather than an error. */
export function parsePathText(text: string): ParsedSegment[] {
  const out: ParsedSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') { i++; continue; }
    if (c === '[') {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close < 0 ? text.length : close);
      i = close < 0 ? text.length : close + 1;
      if (/^\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
      else if (inner.startsWith('"') && findQuoteEnd(inner) === inner.length - 1) out.push({ kind: 'key', name: unquote(inner) });
      else {
        // `[field=value]`, `["odd field"=value]`, `[=value]` (set element), values bare or JSON.
        const keyEnd = inner.startsWith('"') ? findQuoteEnd(inner) + 1 : 0;
        const eq = inner.indexOf('=', keyEnd);
        if (eq >= 0) out.push({ kind: 'element', key: unquote(inner.slice(0, eq)), value: unquote(inner.slice(eq + 1)) });
        else out.push({ kind: 'key', name: inner });
      }
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    out.push({ kind: 'key', name: text.slice(i, j) });
    i = j;
  }
  return out;
}

function findClose(text: string, open: number): number {
  let inQuote = false;
  for (let k = open + 1; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\' && inQuote) { k++; continue; }
    if (ch === '"') inQuote = !inQuote;
    else if (ch === ']' && !inQuote) return k;
  }
  return -1;
}

function findQuoteEnd(s: string): number {
  for (let k = 1; k < s.length; k++) { if (s[k] === '\\') k++; else if (s[k] === '"') return k; }
  return s.length - 1;
}

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  try { return String(JSON.parse(s)); } catch { return s.slice(1, -1); }
}

/** Segments of nested values under a finding's path: plain keys and array positions. */
export const toParsedSegments = (path: readonly PathSegment[]): ParsedSegment[] =>
  path.map((p): ParsedSegment => (typeof p === 'number' ? { kind: 'index', index: p }
    : typeof p === 'string' ? { kind: 'key', name: p }
    : { kind: 'element', key: p.key === '$value' ? '' : p.key, value: typeof p.value === 'string' ? p.value : JSON.stringify(p.value) }));

/** A catalog secret field: a key name (`secret`) or a dotted pattern (`entities[].secret`,
 *  `*.clientSecret`), optionally scoped to one surface. */
export type SecretFieldPattern = { readonly surface?: string; readonly pattern: string };

type PatternSegment = { readonly kind: 'key'; readonly name: string } | { readonly kind: 'any-key' } | { readonly kind: 'any-element' };

export type CompiledSecretField = { readonly surface?: string; readonly bareName?: string; readonly segments: readonly PatternSegment[] };

export function compileSecretField(p: SecretFieldPattern): CompiledSecretField {
  const isBare = !/[.[*]/.test(p.pattern);
  const segments: PatternSegment[] = [];
  for (const part of p.pattern.split('.').filter((s) => s.length > 0)) {
    const m = /^([^[]*)((?:\[\])*)$/.exec(part);
    const name = m ? m[1]! : part;
    if (name === '*') segments.push({ kind: 'any-key' });
    else if (name.length > 0) segments.push({ kind: 'key', name: name.toLowerCase() });
    const brackets = m ? m[2]!.length / 2 : 0;
    for (let b = 0; b < brackets; b++) segments.push({ kind: 'any-element' });
  }
  return { ...(p.surface !== undefined ? { surface: p.surface } : {}), ...(isBare ? { bareName: p.pattern.toLowerCase() } : {}), segments };
}

/** Does the path (from the surface document root) lie at or under a catalog secret field? */
export function matchesSecretField(path: readonly ParsedSegment[], surface: string, field: CompiledSecretField): boolean {
  if (field.surface !== undefined && field.surface !== surface) return false;
  if (field.bareName !== undefined) return path.some((s) => segmentName(s)?.toLowerCase() === field.bareName);
  if (field.segments.length > path.length) return false;
  return field.segments.every((ps, i) => {
    const s = path[i]!;
    if (ps.kind === 'any-element') return s.kind === 'index' || s.kind === 'element';
    if (ps.kind === 'any-key') return s.kind === 'key';
    return s.kind === 'key' && s.name.toLowerCase() === ps.name;
  });
}

function segmentName(s: ParsedSegment): string | undefined {
  return s.kind === 'key' ? s.name : undefined;
}

/** A path is secret when any key on it is a secret name, when a keyed element is identified by a
 *  secret name (`properties[name=password]`), or when it matches a catalog secret field. */
export function isSecretPath(path: readonly ParsedSegment[], surface: string, fields: readonly CompiledSecretField[]): boolean {
  for (const s of path) {
    if (s.kind === 'key' && isSecretKeyName(s.name)) return true;
    if (s.kind === 'element' && (s.key === 'name' || s.key === 'key') && isSecretKeyName(s.value)) return true;
  }
  return fields.some((f) => matchesSecretField(path, surface, f));
}
