// Pattern masking for free text: every string in a finding and every log line goes through here.
// Each match becomes `[kind hmac:xxxxxxxx]`: the reader learns what kind of value was there and,
// by comparing fingerprints, whether it changed — never the value itself.
//
// IP addresses (decision): compliance readers need to know THAT an allow-list entry changed and how
// wide it is, not where the org's offices are (that is reconnaissance for an attacker). So an
// address keeps its family and prefix length and loses every host/network bit:
// `203.0.113.0/24` → `[ipv4/24 hmac:…]`. Widening `/32` to `/8` stays visible; so does the
// fingerprint changing. The two "everything" ranges `0.0.0.0/0` and `::/0` are kept verbatim:
// they reveal nothing and are the most important thing a reader can see.
import { keyedFingerprint } from './fingerprint.ts';
import type { RedactionRules } from './rules.ts';
import { isSecretKeyName } from './secret-names.ts';

export const REDACTED = '[REDACTED]';
// Bound the regex work on hostile input; whatever lies past this is cut by truncation anyway.
const PRE_TRUNCATE = 65536;

type Masker = (s: string, rules: RedactionRules) => string;

const fp = (rules: RedactionRules, text: string) => keyedFingerprint(text, rules.key, 8);
const tag = (rules: RedactionRules, kind: string, text: string) => `[${kind} ${fp(rules, text)}]`;

const PEM = /-----BEGIN ([A-Z0-9 ]{1,40})-----[\s\S]*?(?:-----END \1-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{1,15}:\/\/)[^\s/@]{1,256}@/gi;
// `password=…`, `"clientSecret": "…"`, `token: …` — the value is masked when the key is a secret name.
const KEY_VALUE = /([A-Za-z_][A-Za-z0-9_.-]{0,63})(["']?\s*[:=]\s*)(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"',;&)}\]]+))/g;
// Bounded repetitions keep this linear on a 64 KB string without spaces.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}\b/g;
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
// IPv6: either 8 full groups or a `::` compression; both need boundaries so `12:30:00` and `a::b` in
// prose are not taken (times have no `::`, words have non-hex letters).
const IPV6 = /(?<![\w:.])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4}::(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4})(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:\/(\d{1,3}))?(?![\w:])/g;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?:\\/(\\d{1,2}))?(?![\\w]|\\.\\d)`, 'g');
const PHONE_INTL = /(?<![\w+])\+\d[\d\s().-]{6,20}\d(?![\w])/g;
const PHONE_NANP = /(?<![\w])(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w])/g;
const TEL_URI = /\btel:[+\d().-]{5,}/gi;
// Webhook URLs are credentials in themselves: whoever has one can post to the channel.
const WEBHOOK_URL = /\bhttps?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/|[\w.-]+\.logic\.azure\.com(?::\d+)?\/workflows\/|[\w.-]+\.webhook\.office\.com\/)[^\s"'<>]*/gi;
const TOKEN_CANDIDATE = /[A-Za-z0-9+/=_-]{20,}/g;

function maskPem(s: string, rules: RedactionRules): string {
  return s.replace(PEM, (m, label: string) => `[PEM ${label.trim().toLowerCase()} ${fp(rules, m)}]`);
}
const maskJwt: Masker = (s, rules) => s.replace(JWT, (m) => tag(rules, 'jwt', m));
const maskAuthScheme: Masker = (s) => s.replace(AUTH_SCHEME, (_m, scheme: string, sp: string) => `${scheme}${sp}${REDACTED}`);
const maskWebhookUrl: Masker = (s, rules) => s.replace(WEBHOOK_URL, (m) => tag(rules, 'webhook-url', m));
const maskUserinfo: Masker = (s) => s.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
function maskKeyValues(s: string, rules: RedactionRules): string {
  return s.replace(KEY_VALUE, (m, key: string, sep: string, dq?: string, sq?: string, bare?: string) => {
    const value = dq ?? sq ?? bare ?? '';
    // Already handled by an earlier masker (`Authorization: Bearer [REDACTED]`, `[email …]`).
    if (!isSecretKeyName(key) || value.startsWith('[') || /^(Bearer|Basic|Token|Digest)$/i.test(value)) return m;
    const masked = `${REDACTED} ${fp(rules, value)}`;
    return dq !== undefined ? `${key}${sep}"${masked}"` : sq !== undefined ? `${key}${sep}'${masked}'` : `${key}${sep}${masked}`;
  });
}
const maskEmail: Masker = (s, rules) => s.replace(EMAIL, (m) => tag(rules, 'email', m));
const maskUuid: Masker = (s, rules) => s.replace(UUID, (m) => tag(rules, 'uuid', m.toLowerCase()));
function maskIpv6(s: string, rules: RedactionRules): string {
  return s.replace(IPV6, (m, prefix?: string) => {
    if (!m.includes('::') && m.split(':').length < 8) return m;
    if (/^::\/0$/.test(m)) return m;
    if (!/[0-9a-fA-F]/.test(m.replace(/\/\d+$/, ''))) return m; // a bare `::` in prose
    return tag(rules, prefix !== undefined ? `ipv6/${prefix}` : 'ipv6', m.toLowerCase());
  });
}
function maskIpv4(s: string, rules: RedactionRules): string {
  return s.replace(IPV4, (m, prefix?: string) => {
    if (m === '0.0.0.0/0' || m === '0.0.0.0') return m;
    return tag(rules, prefix !== undefined ? `ipv4/${prefix}` : 'ipv4', m);
  });
}
function maskPhones(s: string, rules: RedactionRules): string {
  const phone = (m: string) => {
    const digits = m.replace(/\D/g, '').length;
    return digits >= 8 && digits <= 15 ? tag(rules, 'phone', m.replace(/[^\d+]/g, '')) : m;
  };
  return s.replace(TEL_URI, phone).replace(PHONE_INTL, phone).replace(PHONE_NANP, phone);
}
function maskExtra(s: string, rules: RedactionRules): string {
  let out = s;
  for (const p of rules.extraPatterns) out = out.replace(p.re, (m) => tag(rules, p.name, m));
  return out;
}

/** Shannon entropy in bits per character. */
export function entropyBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const p = n / s.length; h -= p * Math.log2(p); }
  return h;
}

/** Random-looking tokens (API keys, secrets, session ids) of 20+ characters. Identifiers and words
 *  (`inactivityTimeoutExclusions`, `/api/v2/organizations/me`) are kept: they have few digits or
 *  low entropy, and paths split into short segments. */
export function looksHighEntropy(token: string): boolean {
  if (token.length < 20) return false;
  const digits = (token.match(/\d/g) ?? []).length;
  const upper = (token.match(/[A-Z]/g) ?? []).length;
  const lower = (token.match(/[a-z]/g) ?? []).length;
  const longestPart = Math.max(...token.split('/').map((p) => p.length));
  if (longestPart < 16) return false;
  const h = entropyBits(token);
  if (digits >= 2 && upper + lower >= 2 && h >= 3.3) return true;
  return token.length >= 32 && upper >= 3 && lower >= 3 && h >= 4.2;
}
const maskHighEntropy: Masker = (s, rules) => s.replace(TOKEN_CANDIDATE, (m) => (looksHighEntropy(m) ? tag(rules, 'high-entropy', m) : m));

function scrubKnown(s: string, values: readonly string[]): string {
  let out = s;
  for (const v of values) if (v.length >= 4 && out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

// Order matters: structured secrets (PEM, JWT, auth headers) before the generic patterns that would
// otherwise mask only a fragment of them; high-entropy last, as the catch-all.
const MASKERS: readonly Masker[] = [maskPem, maskJwt, maskAuthScheme, maskWebhookUrl, maskUserinfo, maskKeyValues, maskEmail,
  maskUuid, maskIpv6, maskIpv4, maskPhones, maskExtra, maskHighEntropy];

/** Cuts to `max` characters with a marker saying how much was dropped. */
export function truncate(s: string, max: number, originalLength = s.length): string {
  if (s.length <= max && originalLength === s.length) return s;
  const marker = `… [truncated ${originalLength - Math.min(max, s.length)} chars]`;
  if (s.length <= max) return s + marker;
  let cut = Math.max(0, max - marker.length);
  // Never leave half a surrogate pair behind.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(s[cut - 1]!)) cut--;
  return s.slice(0, cut) + marker;
}

/** Masks every known pattern in `s`, scrubs `extraSecrets` (exact values known to be secret, e.g.
 *  the withheld old/new of a secret finding) and truncates. Control characters other than tab and
 *  newline are dropped: nothing downstream needs them and some channels choke on them. */
export function maskString(s: string, rules: RedactionRules, extraSecrets: readonly string[] = []): string {
  let out = s.length > PRE_TRUNCATE ? s.slice(0, PRE_TRUNCATE) : s;
  out = scrubKnown(out, rules.knownSecrets.map((k) => k.reveal()));
  out = scrubKnown(out, extraSecrets);
  for (const m of MASKERS) out = m(out, rules);
  // eslint-disable-next-line no-control-regex
  out = out.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/g, '');
  return truncate(out, rules.maxStringLength, s.length > PRE_TRUNCATE ? out.length + (s.length - PRE_TRUNCATE) : out.length);
}

/** Redacts one log line (or any free text) with the same patterns as findings. */
export function redactText(s: string, rules: RedactionRules): string {
  return maskString(s, rules);
}
