// Finds drift between two RAW surface documents exactly as if both had been normalized first
// (normalizeDocument), without building the normalized copies: the walk applies the same rules
// on the fly and only normalizes the values it reports. That keeps a 20 MB comparison
// allocation-free except where drift is found (see bench/diff).
//
// Reported drift (old/new are normalized values):
// - object member: ADDED / REMOVED / MODIFIED at the member;
// - keyed array (rule key 'id'): elements matched by key, `entities[id=abc]`; an element that
//   exists on one side only is ONE ADDED/REMOVED at the element path. A composite key
//   ('domain+entityName') matches on all its fields: `policies[domain=routing,entityName=queue]`;
// - set array (rule key '$value'): membership only, `allowlist[=10.0.0.0/8]` ADDED/REMOVED;
// - ordered array: by position, extra tail elements ADDED/REMOVED at their index;
// - a value changing kind (object, array, scalar) is one MODIFIED at that path;
// - a surface present on one side only is one ADDED/REMOVED at the root (path [], text '').
// A keyed array with an element lacking a usable key, or with a duplicate key, is compared by
// position after the normalizing sort (as normalizeDocument orders it), since identity is not
// reliable there.
import type { DriftKind, DriftPath, Json, PathSegment } from '../model/findings.ts';
import type { SurfaceId } from '../model/ids.ts';
import { compileRules, isVolatileKey, type CompiledRules, type RuleState } from '../normalize/compile-rules.ts';
import { compareElementIds, fieldOfRaw, isEmptyAfterNormalize, keyOfRaw, mapKeyOfRaw, normalizeAt, normalizeScalar } from '../normalize/normalize-document.ts';
import { canonicalJson } from '../normalize/canonical-json.ts';
import { SET_KEY, type NormalizeRules } from '../normalize/types.ts';
import { formatPath } from './format-path.ts';

type JsonObject = { readonly [k: string]: Json };
type Scalar = null | boolean | number | string;
const hasOwn = Object.prototype.hasOwnProperty;

export function diffDocuments(surface: SurfaceId, before: Json | undefined, after: Json | undefined, rules: NormalizeRules): DriftPath[] {
  const c = compileRules(rules);
  if (before === undefined && after === undefined) return [];
  const walk = new DriftWalk(surface, c);
  if (before === undefined) walk.emit('ADDED', undefined, normalizeAt(after!, c.root, c));
  else if (after === undefined) walk.emit('REMOVED', normalizeAt(before, c.root, c), undefined);
  else walk.value(before, after, c.root);
  return walk.sorted();
}

/** One comparison: a mutable path stack, turned into segments only when drift is emitted. */
class DriftWalk {
  readonly #surface: SurfaceId;
  readonly #c: CompiledRules;
  readonly #out: DriftPath[] = [];
  // Parallel stacks: the segment value, for keyed/set elements the key field name (null for
  // object keys and array positions), and an optional lazy segment builder. Pushing allocates
  // nothing; segments become objects only in emit().
  readonly #segs: Json[] = [];
  readonly #keyFields: (string | null)[] = [];
  // When set, the segment is built from #segs only if drift is emitted below it.
  readonly #lazy: (((seg: Json) => PathSegment) | null)[] = [];

  constructor(surface: SurfaceId, c: CompiledRules) {
    this.#surface = surface;
    this.#c = c;
  }

  emit(kind: DriftKind, old: Json | undefined, next: Json | undefined): void {
    const path: PathSegment[] = new Array(this.#segs.length);
    for (let i = 0; i < path.length; i++) {
      const field = this.#keyFields[i];
      const lazy = this.#lazy[i];
      path[i] = lazy !== null ? lazy(this.#segs[i])
        : field === null ? (this.#segs[i] as string | number) : { key: field, value: this.#segs[i] };
    }
    this.#out.push({
      surface: this.#surface, path, pathText: formatPath(path), kind,
      ...(old !== undefined ? { old } : {}),
      ...(next !== undefined ? { new: next } : {}),
    });
  }

  sorted(): DriftPath[] {
    return this.#out.sort((x, y) => (x.pathText < y.pathText ? -1 : x.pathText > y.pathText ? 1 : 0));
  }

  #push(seg: Json, keyField: string | null): void {
    this.#segs.push(seg);
    this.#keyFields.push(keyField);
    this.#lazy.push(null);
  }

  #pushLazy(seg: Json, toSegment: (seg: Json) => PathSegment): void {
    this.#segs.push(seg);
    this.#keyFields.push(null);
    this.#lazy.push(toSegment);
  }

  #pop(): void {
    this.#segs.pop();
    this.#keyFields.pop();
    this.#lazy.pop();
  }

  /** Two present values at a position where empties are data (root, array elements). */
  value(a: Json, b: Json, state: RuleState | null): void {
    if (a === b) return;
    const aObj = a !== null && typeof a === 'object', bObj = b !== null && typeof b === 'object';
    if (!aObj && !bObj) {
      const na = normalizeScalar(a as Scalar), nb = normalizeScalar(b as Scalar);
      if (na !== nb) this.emit('MODIFIED', na, nb);
      return;
    }
    const aArr = Array.isArray(a), bArr = Array.isArray(b);
    if (aObj && bObj && aArr === bArr) {
      if (aArr) this.#arrays(a as readonly Json[], b as readonly Json[], state);
      else this.#objects(a as JsonObject, b as JsonObject, state);
      return;
    }
    this.emit('MODIFIED', normalizeAt(a, state, this.#c), normalizeAt(b, state, this.#c));
  }

  /** Two object members under the same key: an empty value counts as absent. */
  #member(a: Json, b: Json, state: RuleState | null): void {
    if (a === b) return;
    const c = this.#c;
    if (isEmptyAfterNormalize(a, state, c)) {
      if (!isEmptyAfterNormalize(b, state, c)) this.emit('ADDED', undefined, normalizeAt(b, state, c));
      return;
    }
    if (isEmptyAfterNormalize(b, state, c)) {
      this.emit('REMOVED', normalizeAt(a, state, c), undefined);
      return;
    }
    this.value(a, b, state);
  }

  #objects(a: JsonObject, b: JsonObject, state: RuleState | null): void {
    const c = this.#c;
    for (const k in a) {
      const child = state === null ? null : state.child(k);
      if (isVolatileKey(c, k, child)) continue;
      const av = a[k];
      if (hasOwn.call(b, k)) {
        const bv = b[k];
        if (av === bv) continue;
        this.#push(k, null);
        this.#member(av, bv, child);
        this.#pop();
      } else if (!isEmptyAfterNormalize(av, child, c)) {
        this.#push(k, null);
        this.emit('REMOVED', normalizeAt(av, child, c), undefined);
        this.#pop();
      }
    }
    for (const k in b) {
      if (hasOwn.call(a, k)) continue;
      const child = state === null ? null : state.child(k);
      if (isVolatileKey(c, k, child)) continue;
      const bv = b[k];
      if (isEmptyAfterNormalize(bv, child, c)) continue;
      this.#push(k, null);
      this.emit('ADDED', undefined, normalizeAt(bv, child, c));
      this.#pop();
    }
  }

  #arrays(a: readonly Json[], b: readonly Json[], state: RuleState | null): void {
    const elemState = state === null ? null : state.elem();
    const key = state === null ? undefined : state.arrayKey;
    if (key === undefined) this.#ordered(a, b, elemState);
    else if (key === SET_KEY) this.#sets(a, b, elemState);
    else this.#keyed(a, b, key, state!.keyFields, elemState);
  }

  #ordered(a: readonly Json[], b: readonly Json[], elemState: RuleState | null): void {
    const c = this.#c;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const av = a[i], bv = b[i];
      if (av === bv) continue;
      this.#push(i, null);
      this.value(av, bv, elemState);
      this.#pop();
    }
    for (let i = n; i < a.length; i++) {
      this.#push(i, null);
      this.emit('REMOVED', normalizeAt(a[i], elemState, c), undefined);
      this.#pop();
    }
    for (let i = n; i < b.length; i++) {
      this.#push(i, null);
      this.emit('ADDED', undefined, normalizeAt(b[i], elemState, c));
      this.#pop();
    }
  }

  #keyed(a: readonly Json[], b: readonly Json[], key: string, parts: readonly string[] | undefined, elemState: RuleState | null): void {
    const c = this.#c;
    if (a.length === b.length && sameIdentities(a, b, key, parts, elemState, c)) {
      // Same identities in the same order (the usual case): matching by key pairs a[i] with
      // b[i], in the fallback order too. Only the segment text depends on whether the keys
      // are usable and unique, so that is settled on the first drift only.
      let labels: PathSegment[] | undefined;
      const labelOf = (i: Json): PathSegment => (labels ??= elementLabels(a, key, parts, elemState, c))[i as number];
      for (let i = 0; i < a.length; i++) {
        const av = a[i], bv = b[i];
        if (av === bv) continue;
        this.#pushLazy(i, labelOf);
        this.value(av, bv, elemState);
        this.#pop();
      }
      return;
    }
    const ma = indexByKey(a, key, parts, elemState, c);
    const mb = ma === null ? null : indexByKey(b, key, parts, elemState, c);
    if (ma === null || mb === null) {
      this.#ordered(sortedByRawKey(a, key, parts, elemState, c), sortedByRawKey(b, key, parts, elemState, c), elemState);
      return;
    }
    // The segment value (a tuple for composite keys) is only built for elements that differ.
    const idOf = (item: Json): Json => keyOfRaw(item, key, parts, elemState, c) as Json;
    const segmentOf = (item: Json): PathSegment => ({ key, value: idOf(item) });
    for (const [mapKey, av] of ma) {
      const bv = mb.get(mapKey);
      if (av === bv) continue;
      if (bv === undefined) {
        this.#push(idOf(av), key);
        this.emit('REMOVED', normalizeAt(av, elemState, c), undefined);
        this.#pop();
      } else if (parts === undefined) {
        this.#push(mapKey, key);
        this.value(av, bv, elemState);
        this.#pop();
      } else {
        this.#pushLazy(av, segmentOf);
        this.value(av, bv, elemState);
        this.#pop();
      }
    }
    for (const [mapKey, bv] of mb) {
      if (ma.has(mapKey)) continue;
      this.#push(idOf(bv), key);
      this.emit('ADDED', undefined, normalizeAt(bv, elemState, c));
      this.#pop();
    }
  }

  #sets(a: readonly Json[], b: readonly Json[], elemState: RuleState | null): void {
    if (a.length === b.length) {
      let same = true;
      for (let i = 0; i < a.length && same; i++) same = a[i] === b[i];
      if (same) return;
    }
    const c = this.#c;
    const sa = setMembers(a, elemState, c), sb = setMembers(b, elemState, c);
    for (const [id, v] of sa) {
      if (sb.has(id)) continue;
      this.#push(v, SET_KEY);
      this.emit('REMOVED', v, undefined);
      this.#pop();
    }
    for (const [id, v] of sb) {
      if (sa.has(id)) continue;
      this.#push(v, SET_KEY);
      this.emit('ADDED', undefined, v);
      this.#pop();
    }
  }
}

/** Elements by normalized identity (see mapKeyOfRaw), or null when some element has no usable
 *  key or a duplicate one. */
function indexByKey(items: readonly Json[], key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): Map<boolean | number | string, Json> | null {
  const m = new Map<boolean | number | string, Json>();
  for (let i = 0; i < items.length; i++) {
    const mapKey = mapKeyOfRaw(items[i], key, parts, elemState, c);
    if (mapKey === undefined || m.has(mapKey)) return null;
    m.set(mapKey, items[i]);
  }
  return m;
}

/** Do both arrays have the same element identities at the same positions? Compares field by
 *  field, without building keys. */
function sameIdentities(a: readonly Json[], b: readonly Json[], key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (!isObject(x) || !isObject(y)) {
      if (isObject(x) || isObject(y)) return false;
      continue; // neither has a key: both sort last, in order
    }
    if (parts === undefined) {
      if (fieldOfRaw(x, key, elemState, c) !== fieldOfRaw(y, key, elemState, c)) return false;
    } else {
      for (let p = 0; p < parts.length; p++) {
        if (fieldOfRaw(x, parts[p], elemState, c) !== fieldOfRaw(y, parts[p], elemState, c)) return false;
      }
    }
  }
  return true;
}

const isObject = (v: Json): v is { readonly [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Path segments for the elements of a keyed array, by original index: `[key=id]` when every
 *  element has a usable, unique key, else the element's position in the normalized order. */
function elementLabels(items: readonly Json[], key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): PathSegment[] {
  if (indexByKey(items, key, parts, elemState, c) !== null) {
    return items.map((item) => ({ key, value: keyOfRaw(item, key, parts, elemState, c) as Json }));
  }
  const order = items.map((item, index) => ({ index, id: keyOfRaw(item, key, parts, elemState, c) }));
  order.sort((x, y) => compareElementIds(x.id, x.index, y.id, y.index));
  const labels: PathSegment[] = new Array(items.length);
  order.forEach((o, position) => { labels[o.index] = position; });
  return labels;
}

/** The raw elements in the order normalizeDocument gives them (stable sort by key, keyless last). */
function sortedByRawKey(items: readonly Json[], key: string, parts: readonly string[] | undefined, elemState: RuleState | null, c: CompiledRules): Json[] {
  const decorated = items.map((item, index) => ({ item, index, id: keyOfRaw(item, key, parts, elemState, c) }));
  decorated.sort((x, y) => compareElementIds(x.id, x.index, y.id, y.index));
  return decorated.map((d) => d.item);
}

/** Normalized set members by identity: scalars by value, objects/arrays by canonical text. */
function setMembers(items: readonly Json[], elemState: RuleState | null, c: CompiledRules): Map<unknown, Json> {
  const m = new Map<unknown, Json>();
  for (const item of items) {
    const v = normalizeAt(item, elemState, c);
    // Canonical text of a composite is prefixed so it can never equal a scalar string member.
    const id = v !== null && typeof v === 'object' ? '\u0000' + canonicalJson(v) : v;
    if (!m.has(id)) m.set(id, v);
  }
  return m;
}
