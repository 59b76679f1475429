// Brings a raw surface document into the one form the diff compares, so that API noise is
// never reported as drift:
// - object keys in sorted order (new objects are built in that order);
// - volatile fields removed (plain names anywhere, dotted patterns where they match);
// - canonical numeric strings become numbers ("30" -> 30, never "007", "+1", "1e3");
// - members whose value is null, "", [] or {} (after normalizing it) are dropped: Genesys omits
//   optional fields, or sends them empty, at random, so "present but empty" and "absent" must
//   be the same state. A real change still shows: "x" -> "" is a REMOVED of the old value.
//   Array elements are never dropped (their position or membership is data);
// - arrays with a key rule are sorted by that key (or by the tuple of a composite key like
//   'domain+entityName'), '$value' arrays sorted and de-duplicated as sets, other arrays keep
//   their order. Elements without a usable key (not an object, a key field missing, empty or
//   not a scalar) sort after the keyed ones in their original order.
import type { Json } from '../model/findings.ts';
import { compareJson } from './compare-json.ts';
import { compileRules, isVolatileKey, type CompiledRules, type RuleState } from './compile-rules.ts';
import { canonicalNumberOf } from './numeric-string.ts';
import { SET_KEY, type NormalizeRules } from './types.ts';

type JsonRecord = { [k: string]: Json };
const hasOwn = Object.prototype.hasOwnProperty;

/** The normalized form of `doc` under `rules`. Pure; the input is not modified. */
export function normalizeDocument(doc: Json, rules: NormalizeRules): Json {
  const c = compileRules(rules);
  return normalizeAt(doc, c.root, c);
}

/** A scalar in normalized form: numeric strings as numbers, -0 as 0. */
export function normalizeScalar(v: null | boolean | number | string): null | boolean | number | string {
  if (typeof v === 'string') {
    const n = canonicalNumberOf(v);
    return n === undefined ? v : n;
  }
  if (v === 0) return 0; // folds -0
  return v;
}

/** Normalizes the value found at a position whose rules are `state`. */
export function normalizeAt(v: Json, state: RuleState | null, c: CompiledRules): Json {
  if (v === null || typeof v !== 'object') return normalizeScalar(v);
  if (Array.isArray(v)) return normalizeArray(v as readonly Json[], state, c);
  return normalizeObject(v as { readonly [k: string]: Json }, state, c);
}

function normalizeObject(o: { readonly [k: string]: Json }, state: RuleState | null, c: CompiledRules): Json {
  const keys = Object.keys(o).sort();
  const out: JsonRecord = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const child = state === null ? null : state.child(k);
    if (isVolatileKey(c, k, child)) continue;
    const value = normalizeAt(o[k], child, c);
    if (isEmptyJson(value)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

function normalizeArray(a: readonly Json[], state: RuleState | null, c: CompiledRules): Json {
  const elemState = state === null ? null : state.elem();
  const out: Json[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = normalizeAt(a[i], elemState, c);
  const key = state === null ? undefined : state.arrayKey;
  if (key === undefined || out.length < 2) return out;
  if (key === SET_KEY) return sortedSet(out);
  return sortedByKey(out, key, state!.keyFields);
}

function sortedSet(items: Json[]): Json[] {
  items.sort(compareJson);
  const out: Json[] = [];
  for (const item of items) if (out.length === 0 || compareJson(out[out.length - 1], item) !== 0) out.push(item);
  return out;
}

function sortedByKey(items: readonly Json[], key: string, parts: readonly string[] | undefined): Json[] {
  const decorated = items.map((item, index) => ({ item, index, id: keyOfNormalized(item, key, parts) }));
  decorated.sort((x, y) => compareElementIds(x.id, x.index, y.id, y.index));
  return decorated.map((d) => d.item);
}

/** An element's identity in a keyed array: one scalar, or a tuple for a composite key. */
export type ElementId = boolean | number | string | readonly (boolean | number | string)[];

/** The normalizing order: by identity, elements without one last, ties in original order. */
export function compareElementIds(x: ElementId | undefined, xi: number, y: ElementId | undefined, yi: number): number {
  if (x === undefined) return y === undefined ? xi - yi : 1;
  if (y === undefined) return -1;
  return compareJson(x, y) || xi - yi;
}

const isPlainObject = (v: Json): v is { readonly [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

function fieldOfNormalized(o: { readonly [k: string]: Json }, field: string): boolean | number | string | undefined {
  if (!hasOwn.call(o, field)) return undefined;
  const v = o[field];
  return v === null || typeof v === 'object' ? undefined : v;
}

/** The identity of a NORMALIZED element of a keyed array, if it has a usable one (every key
 *  field present with a scalar value). */
export function keyOfNormalized(item: Json, key: string, parts: readonly string[] | undefined): ElementId | undefined {
  if (!isPlainObject(item)) return undefined;
  if (parts === undefined) return fieldOfNormalized(item, key);
  const id: (boolean | number | string)[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const v = fieldOfNormalized(item, parts[i]);
    if (v === undefined) return undefined;
    id[i] = v;
  }
  return id;
}

export function fieldOfRaw(o: { readonly [k: string]: Json }, field: string, elemState: RuleState | null, c: CompiledRules): boolean | number | string | undefined {
  if (!hasOwn.call(o, field)) return undefined;
  const v = o[field];
  if (v === null || v === '' || typeof v === 'object') return undefined;
  if (isVolatileKey(c, field, elemState === null ? null : elemState.child(field))) return undefined;
  return normalizeScalar(v) as boolean | number | string;
}

/** keyOfRaw as a Map key, without allocating a tuple: the scalar itself, or for a composite key
 *  its values tagged by type and length-prefixed (so true/"true" and "a,b"/"a","b" differ). */
export function mapKeyOfRaw(item: Json, key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): boolean | number | string | undefined {
  if (!isPlainObject(item)) return undefined;
  if (parts === undefined) return fieldOfRaw(item, key, elemState, c);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const v = fieldOfRaw(item, parts[i], elemState, c);
    if (v === undefined) return undefined;
    const text = String(v);
    out += (typeof v)[0] + text.length + ':' + text;
  }
  return out;
}

/** The identity a RAW element of a keyed array will have once normalized (see keyOfNormalized). */
export function keyOfRaw(item: Json, key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): ElementId | undefined {
  if (!isPlainObject(item)) return undefined;
  if (parts === undefined) return fieldOfRaw(item, key, elemState, c);
  const id: (boolean | number | string)[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const v = fieldOfRaw(item, parts[i], elemState, c);
    if (v === undefined) return undefined;
    id[i] = v;
  }
  return id;
}

/** True for the values that normalization drops from objects: null, "", [] and {}. */
export function isEmptyJson(v: Json): boolean {
  if (v === null || v === '') return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

/** Would the RAW value at this position be dropped once normalized? Stops at the first
 *  non-empty member, so it is O(1) for ordinary objects. */
export function isEmptyAfterNormalize(v: Json, state: RuleState | null, c: CompiledRules): boolean {
  if (v === null || v === '') return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  const o = v as { readonly [k: string]: Json };
  for (const k in o) {
    const child = state === null ? null : state.child(k);
    if (isVolatileKey(c, k, child)) continue;
    if (!isEmptyAfterNormalize(o[k], child, c)) return false;
  }
  return true;
}
