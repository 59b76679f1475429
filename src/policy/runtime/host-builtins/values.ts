// Helpers shared by the host builtins. Arguments arrive as parsed JSON (the SDK dumps each
// Rego value with opa_json_dump): sets arrive as arrays, non-string object keys as strings.
// A builtin returns `undefined` for a Rego-undefined result (OPA's non-strict mode turns
// builtin errors into undefined); it never throws for bad input.

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInteger = (v: unknown): v is number => isNumber(v) && Number.isInteger(v);

/** A string, or an array (a set on the Rego side) of strings, as a list; else undefined. */
export function stringList(v: unknown): readonly string[] | undefined {
  if (isString(v)) return [v];
  if (Array.isArray(v) && v.every(isString)) return v as string[];
  return undefined;
}

/** The Rego (OPA `Term.String()`) text of a value: `[1, "a"]`, `{"a": 1}`, `null`. */
export function regoText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(', ')}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${regoText(v[k])}`).join(', ')}}`;
  }
  return String(v);
}

/** JSON number text as OPA prints it: integers in full (no exponent), others shortest. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

/** Canonical ordering of strings by UTF-8 bytes (= code points), as Go compares strings. */
export function compareStrings(a: string, b: string): number {
  const ai = a[Symbol.iterator](), bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next(), y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0) ?? 0, cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}
