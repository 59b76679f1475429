// The redact stage: the only code that turns a Finding into a Redacted<Finding>. Every string is
// pattern-masked and truncated, secret values are withheld behind a keyed fingerprint, and the
// result is checked once more for any secret it was told about before the brand is applied.
import type { Attribution, Finding, FrameworkRef, Json, JsonObject, WaiverRef } from '../model/findings.ts';
import { DRIFT_KINDS, FINDING_KINDS, SENSITIVITIES, SEVERITIES } from '../model/findings.ts';
import { DwFailure, dwError } from '../model/errors.ts';
import { markRedacted, type Redacted } from './redacted.ts';
import type { RedactionRules } from './rules.ts';
import { fingerprintJson, keyedFingerprint } from './fingerprint.ts';
import { maskString, REDACTED, truncate } from './mask-text.ts';
import { isSecretKeyName, isSecretPath, parsePathText, type ParsedSegment } from './secret-names.ts';
import { isSecretString } from './secret-string.ts';

const SEALED = /^sealed:(hmac:[0-9a-f]{16})$/;

/** `[REDACTED] hmac:<16 hex>` — what a withheld value becomes. A value already sealed upstream
 *  (seal-secrets.ts: the same HMAC over the same canonical JSON) keeps its fingerprint, so the
 *  alert shows exactly the fingerprint stored in the baseline. */
export function withheld(value: Json, rules: RedactionRules): string {
  const sealed = typeof value === 'string' ? SEALED.exec(value) : null;
  return `${REDACTED} ${sealed ? sealed[1] : fingerprintJson(value, rules.key)}`;
}

// Ids, org, surface and rule are kept verbatim when they are plain identifiers: routing, PagerDuty
// dedup and waivers need them exactly, and they carry no personal data or credentials (an org id is
// an account identifier that appears in every API URL). Anything else in those slots is fingerprinted.
const SAFE_IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

export function redactFinding(f: Finding, rules: RedactionRules): Redacted<Finding> {
  assertEnum(f.severity, SEVERITIES, 'severity');
  assertEnum(f.sensitivity, SENSITIVITIES, 'sensitivity');
  assertEnum(f.kind, FINDING_KINDS, 'kind');
  if (f.driftKind !== undefined) assertEnum(f.driftKind, DRIFT_KINDS, 'driftKind');

  const path = parsePathText(f.pathText);
  const wholeValueSecret = f.sensitivity === 'secret' || isSecretPath(path, f.surface, rules.secretFields);
  // Exact strings known to be secret, scrubbed from title/message/path too: a policy message such
  // as `client secret changed to "abc…"` must not carry what the value slot withholds.
  const secrets: string[] = [];
  if (wholeValueSecret) { collectStrings(f.old, secrets); collectStrings(f.new, secrets); }
  else { collectNestedSecrets(f.old, path, f.surface, rules, secrets); collectNestedSecrets(f.new, path, f.surface, rules, secrets); }
  secrets.sort((a, b) => b.length - a.length); // longest first, so a shorter secret inside a longer one does not split it

  const ctx: Ctx = { rules, secrets, surface: f.surface };
  const value = (v: Json | undefined): Json | undefined => {
    if (v === undefined) return undefined;
    if (wholeValueSecret) return withheld(v, rules);
    return capSize(redactJson(v, path, 0, ctx), rules);
  };
  const oldValue = value(f.old);
  const newValue = value(f.new);

  const out: Finding = {
    id: identifier(f.id, rules, secrets),
    kind: f.kind,
    org: identifier(f.org, rules, secrets),
    surface: identifier(f.surface, rules, secrets),
    pathText: maskString(f.pathText, rules, secrets),
    rule: identifier(f.rule, rules, secrets),
    title: maskString(f.title, rules, secrets),
    severity: f.severity,
    sensitivity: f.sensitivity,
    frameworks: f.frameworks.slice(0, rules.maxEntries).map((r): FrameworkRef => ({
      framework: maskString(String(r.framework), rules, secrets).slice(0, 200),
      control: maskString(String(r.control), rules, secrets).slice(0, 200),
    })),
    ...(f.driftKind !== undefined ? { driftKind: f.driftKind } : {}),
    ...(oldValue !== undefined ? { old: oldValue } : {}),
    ...(newValue !== undefined ? { new: newValue } : {}),
    ...(f.message !== undefined ? { message: maskString(f.message, rules, secrets) } : {}),
    // Lifecycle facts are enums and timestamps; waiver and attribution text is free text, masked
    // like every other string (people's names and IPs of who changed what are personal data).
    ...(f.state !== undefined ? { state: f.state } : {}),
    ...(f.firstSeen !== undefined ? { firstSeen: maskString(f.firstSeen, rules, secrets) } : {}),
    ...(f.lastSeen !== undefined ? { lastSeen: maskString(f.lastSeen, rules, secrets) } : {}),
    ...(f.waiver !== undefined ? { waiver: redactWaiver(f.waiver, rules, secrets) } : {}),
    ...(f.attribution !== undefined ? { attribution: redactAttribution(f.attribution, rules, secrets, wholeValueSecret) } : {}),
  } as Finding;

  // Self-check: nothing we were told is secret may survive. Cheap, and it turns a masking bug into
  // a loud internal error instead of a leak.
  // Enum fields (severity, kind, …) are excluded: a secret that happens to read "critical" is
  // not leaked by the severity saying so.
  const text = JSON.stringify([out.id, out.org, out.surface, out.rule, out.pathText, out.title, out.message, out.frameworks, out.old, out.new, out.waiver, out.attribution]);
  const leaked = [...secrets.filter((s) => s.length >= 6), ...rules.knownSecrets.map((k) => k.reveal()).filter((s) => s.length >= 6)]
    .some((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
  if (leaked) throw new DwFailure(dwError('DW5004', 'internal', `redaction of finding ${String(out.id)} left a secret value in the output`));
  return markRedacted(out);
}

type Ctx = { readonly rules: RedactionRules; readonly secrets: readonly string[]; readonly surface: string };

function redactJson(v: unknown, path: readonly ParsedSegment[], depth: number, ctx: Ctx): Json {
  const { rules } = ctx;
  if (isSecretString(v)) return `${REDACTED} ${keyedFingerprint(v.reveal(), rules.key)}`;
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string') return maskString(v, rules, ctx.secrets);
  if (typeof v !== 'object') return null; // undefined, functions, bigint, symbols: not JSON
  if (depth >= rules.maxDepth) return '[depth limit]';
  if (Array.isArray(v)) {
    const items = v.slice(0, rules.maxEntries).map((item, i) => redactJson(item, [...path, { kind: 'index', index: i }], depth + 1, ctx));
    if (v.length > rules.maxEntries) items.push(`[… ${v.length - rules.maxEntries} more items]`);
    return items;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: Record<string, Json> = {};
  const nameValueSecret = isNameValueSecret(obj);
  for (const key of keys.slice(0, rules.maxEntries)) {
    const child = obj[key];
    const childPath: ParsedSegment[] = [...path, { kind: 'key', name: key }];
    let outKey = truncate(maskString(key, rules, ctx.secrets), 200);
    while (Object.hasOwn(out, outKey)) outKey += '~'; // masking/truncation can collide distinct keys
    const secret = isSecretKeyName(key) || isSecretPath(childPath, ctx.surface, rules.secretFields) || (nameValueSecret && key === 'value');
    out[outKey] = secret ? withheld(toJson(child), rules) : redactJson(child, childPath, depth + 1, ctx);
  }
  if (keys.length > rules.maxEntries) out['[truncated]'] = `${keys.length - rules.maxEntries} more keys`;
  return out;
}

/** `{ name: "apiKey", value: "…" }` pairs (integration properties, custom headers): the secret is
 *  named by a sibling field, not by the key that holds it. */
function isNameValueSecret(obj: Record<string, unknown>): boolean {
  if (!('value' in obj)) return false;
  return ['name', 'key', 'id', 'header'].some((k) => typeof obj[k] === 'string' && isSecretKeyName(obj[k] as string));
}

function toJson(v: unknown): Json {
  if (isSecretString(v)) return v.reveal();
  try { return JSON.parse(JSON.stringify(v) ?? 'null') as Json; } catch { return String(v); }
}

/** Strings under secret keys anywhere in a non-secret value, so they can be scrubbed elsewhere. */
function collectNestedSecrets(v: unknown, path: readonly ParsedSegment[], surface: string, rules: RedactionRules, out: string[], depth = 0): void {
  if (v === null || typeof v !== 'object' || depth > 64) return;
  if (isSecretString(v)) { out.push(v.reveal()); return; }
  if (Array.isArray(v)) { v.forEach((item, i) => collectNestedSecrets(item, [...path, { kind: 'index', index: i }], surface, rules, out, depth + 1)); return; }
  const obj = v as Record<string, unknown>;
  const nameValue = isNameValueSecret(obj);
  for (const [k, child] of Object.entries(obj)) {
    const childPath: ParsedSegment[] = [...path, { kind: 'key', name: k }];
    if (isSecretKeyName(k) || isSecretPath(childPath, surface, rules.secretFields) || (nameValue && k === 'value')) collectStrings(child, out);
    else collectNestedSecrets(child, childPath, surface, rules, out, depth + 1);
  }
}

function collectStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > 64) return;
  if (typeof v === 'string') { if (v.length >= 4) out.push(v); return; }
  if (typeof v === 'number' && String(v).length >= 6) { out.push(String(v)); return; }
  if (isSecretString(v)) { out.push(v.reveal()); return; }
  if (v !== null && typeof v === 'object') for (const child of Object.values(v as JsonObject)) collectStrings(child, out, depth + 1);
}

function capSize(v: Json, rules: RedactionRules): Json {
  const text = JSON.stringify(v);
  return text.length <= rules.maxValueChars ? v : truncate(text, Math.min(rules.maxValueChars, 2048), text.length);
}

function identifier<T extends string>(v: T, rules: RedactionRules, secrets: readonly string[]): T {
  const s = String(v);
  const carriesSecret = [...secrets, ...rules.knownSecrets.map((k) => k.reveal())].some((x) => x.length >= 6 && s.includes(x));
  return (SAFE_IDENTIFIER.test(s) && !carriesSecret ? s : `id-${keyedFingerprint(s, rules.key, 16).slice(5)}`) as T;
}

function assertEnum(v: unknown, allowed: readonly string[], field: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new DwFailure(dwError('DW5003', 'internal', `finding ${field} ${JSON.stringify(String(v)).slice(0, 40)} is not one of ${allowed.join(', ')}`));
  }
}

function redactWaiver(w: WaiverRef, rules: RedactionRules, secrets: readonly string[]): WaiverRef {
  return {
    id: maskString(w.id, rules, secrets).slice(0, 200),
    owner: maskString(w.owner, rules, secrets).slice(0, 200),
    reason: maskString(w.reason, rules, secrets),
    ...(w.ticket !== undefined ? { ticket: maskString(w.ticket, rules, secrets).slice(0, 200) } : {}),
    expires: maskString(w.expires, rules, secrets).slice(0, 40),
    status: w.status === 'expired' ? 'expired' : 'active',
  };
}

function redactAttribution(a: Attribution, rules: RedactionRules, secrets: readonly string[], secretValues: boolean): Attribution {
  const text = (s: string | undefined) => (s === undefined ? undefined : maskString(s, rules, secrets).slice(0, 500));
  const values = (xs: readonly string[] | undefined) => (xs === undefined || secretValues ? undefined : xs.slice(0, rules.maxEntries).map((x) => maskString(x, rules, secrets)));
  const out: Record<string, unknown> = { found: a.found === true };
  for (const k of ['user', 'client', 'remoteIp', 'time', 'action', 'property', 'note'] as const) {
    const v = text(a[k]);
    if (v !== undefined) out[k] = v;
  }
  const oldValues = values(a.oldValues);
  const newValues = values(a.newValues);
  if (oldValues) out.oldValues = oldValues;
  if (newValues) out.newValues = newValues;
  return out as Attribution;
}
