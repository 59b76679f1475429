// The Rego value model: null, boolean, number (exact int64 when integral and in range,
// else f64, plus the original text for literals f64 cannot hold), string (AS UTF-16 string),
// array, object (insertion-ordered hash map) and set. Canonical order for comparisons and
// dumps: null < boolean < number < string < array < object < set.

export const K_NULL: i32 = 0;
export const K_BOOL: i32 = 1;
export const K_NUM: i32 = 2;
export const K_STR: i32 = 3;
export const K_ARR: i32 = 4;
export const K_OBJ: i32 = 5;
export const K_SET: i32 = 6;

export class Value {
  constructor(public kind: i32) {}
}

export class NullV extends Value {
  constructor() {
    super(K_NULL);
  }
}

export class BoolV extends Value {
  constructor(public b: bool) {
    super(K_BOOL);
  }
}

export class NumV extends Value {
  isInt: bool = false;
  i: i64 = 0;
  f: f64 = 0;
  /** Original literal text, kept only when f64 cannot represent it exactly (big ints). */
  text: string | null = null;
  constructor() {
    super(K_NUM);
  }
  toF64(): f64 {
    return this.isInt ? <f64>this.i : this.f;
  }
}

export class StrV extends Value {
  /** Intern table the string belongs to (0 = none, 1 = the policy's persistent table, else
   *  the table of one parse; see intern.ts). Within one table contents are unique, and every
   *  table consults the persistent one first: two distinct interned StrVs with equal tabs,
   *  or with one tab 1, differ in content (see strEq). */
  tab: i32 = 0;
  /** Cached hashValue (never 0 once computed). */
  h: u32 = 0;
  constructor(public s: string) {
    super(K_STR);
  }
}

export class ArrV extends Value {
  constructor(public items: Array<Value>) {
    super(K_ARR);
  }
}

/** Keys in insertion order plus an open-addressing index built once there are many keys
 *  (shared by objects and sets; one allocation less than a separate index object). */
export class Keyed extends Value {
  keys: Array<Value>;
  table: StaticArray<i32> | null = null;
  /** `keys` is shared with other objects of the same shape (parsed input): copied before
   *  the first insertion (copy on write). */
  sharedKeys: bool = false;
  constructor(kind: i32, keys: Array<Value>) {
    super(kind);
    this.keys = keys;
  }
  find(key: Value): i32 {
    let keys = this.keys;
    let n = keys.length;
    let table = this.table;
    if (table === null) {
      if (key.kind == K_STR) {
        // Small object, string key (the `input.x.y` case): identity first, then strEq,
        // which rejects most interned keys without looking at characters.
        let ks = changetype<StrV>(key);
        for (let i = 0; i < n; i++) {
          let k = unchecked(keys[i]);
          if (k === key) return i;
          if (k.kind == K_STR && strEq(changetype<StrV>(k), ks)) return i;
        }
        return -1;
      }
      for (let i = 0; i < n; i++) {
        if (equal(unchecked(keys[i]), key)) return i;
      }
      return -1;
    }
    let mask = table.length - 1;
    let h = <i32>hashValue(key) & mask;
    while (true) {
      let slot = unchecked(table[h]);
      if (slot == 0) return -1;
      let k = unchecked(keys[slot - 1]);
      if (k === key || equal(k, key)) return slot - 1;
      h = (h + 1) & mask;
    }
    return -1;
  }
  /** Appends a key known to be absent; returns its index. */
  pushKey(key: Value): i32 {
    if (this.sharedKeys) {
      this.keys = this.keys.slice(0);
      this.sharedKeys = false;
    }
    let idx = this.keys.length;
    this.keys.push(key);
    let table = this.table;
    if (table === null) {
      if (idx + 1 > 8) this.rebuild(32);
    } else if ((idx + 1) * 2 > table.length) {
      this.rebuild(table.length * 2);
    } else {
      this.place(table, key, idx);
    }
    return idx;
  }
  private place(table: StaticArray<i32>, key: Value, idx: i32): void {
    let mask = table.length - 1;
    let h = <i32>hashValue(key) & mask;
    while (unchecked(table[h]) != 0) h = (h + 1) & mask;
    unchecked((table[h] = idx + 1));
  }
  private rebuild(size: i32): void {
    let table = new StaticArray<i32>(size);
    let keys = this.keys;
    for (let i = 0, n = keys.length; i < n; i++) this.place(table, unchecked(keys[i]), i);
    this.table = table;
  }
}

export class ObjV extends Keyed {
  vals: Array<Value>;
  /** `capacity`: expected number of keys (parsers know it; avoids regrowing). */
  constructor(capacity: i32 = 0) {
    super(K_OBJ, capacity > 8 ? withCapacity(capacity) : new Array<Value>());
    this.vals = capacity > 8 ? withCapacity(capacity) : new Array<Value>();
  }
  get size(): i32 {
    return this.vals.length;
  }
  get(key: Value): Value | null {
    let i = this.find(key);
    return i < 0 ? null : unchecked(this.vals[i]);
  }
  /** Inserts or replaces. */
  set(key: Value, val: Value): void {
    let i = this.find(key);
    if (i >= 0) {
      unchecked((this.vals[i] = val));
    } else {
      this.pushKey(key);
      this.vals.push(val);
    }
  }
  /** Removes key; returns whether it was present (rebuilds the index). */
  remove(key: Value): bool {
    let i = this.find(key);
    if (i < 0) return false;
    let keys = this.keys;
    let vals = this.vals;
    this.keys = new Array<Value>();
    this.vals = new Array<Value>();
    this.table = null;
    this.sharedKeys = false;
    for (let j = 0, n = keys.length; j < n; j++) {
      if (j == i) continue;
      this.pushKey(unchecked(keys[j]));
      this.vals.push(unchecked(vals[j]));
    }
    return true;
  }
  getStr(key: string): Value | null {
    return this.get(new StrV(key));
  }
  setStr(key: string, val: Value): void {
    this.set(new StrV(key), val);
  }
  copy(): ObjV {
    let o = new ObjV();
    let keys = this.keys;
    for (let i = 0, n = keys.length; i < n; i++) {
      o.pushKey(unchecked(keys[i]));
      o.vals.push(unchecked(this.vals[i]));
    }
    return o;
  }
}

/** A parsed object from its key and value arrays (keys distinct, at most 8: no index);
 *  `shared`: keys is shared with other objects (see Keyed.sharedKeys). */
export function objFromParts(keys: Array<Value>, vals: Array<Value>, shared: bool): ObjV {
  let o = changetype<ObjV>(__new(offsetof<ObjV>(), idof<ObjV>()));
  o.kind = K_OBJ;
  o.keys = keys;
  o.table = null;
  o.sharedKeys = shared;
  o.vals = vals;
  return o;
}

export class SetV extends Keyed {
  constructor() {
    super(K_SET, new Array<Value>());
  }
  get size(): i32 {
    return this.keys.length;
  }
  get items(): Array<Value> {
    return this.keys;
  }
  has(v: Value): bool {
    return this.find(v) >= 0;
  }
  add(v: Value): void {
    if (this.find(v) < 0) this.pushKey(v);
  }
}

// ---- shared constants (immutable)
export const NULL: NullV = new NullV();
export const TRUE: BoolV = new BoolV(true);
export const FALSE: BoolV = new BoolV(false);

export function boolV(b: bool): BoolV {
  return b ? TRUE : FALSE;
}

/** arr[i] = v without the bounds check and auto-extension of Array's `[]=` (AS 0.28 keeps
 *  them even under unchecked()); i must be < arr.length. */
// @ts-ignore: decorator
@inline export function setAt(arr: Array<Value>, i: i32, v: Value): void {
  store<usize>(arr.dataStart + (<usize>i << alignof<usize>()), changetype<usize>(v));
}

/** An empty array with room for `capacity` elements. */
export function withCapacity(capacity: i32): Array<Value> {
  let a = new Array<Value>(capacity);
  a.length = 0;
  return a;
}

// Numbers are immutable, so small integers (array indexes, counts, most numbers in configs)
// are shared: built once at instantiation, below the heap base, never allocated again.
const SMALL_INT_MIN: i64 = -128;
const SMALL_INT_COUNT: i32 = 1152; // -128 .. 1023
const SMALL_INTS: StaticArray<NumV> = buildSmallInts();

function buildSmallInts(): StaticArray<NumV> {
  let out = new StaticArray<NumV>(SMALL_INT_COUNT);
  for (let i = 0; i < SMALL_INT_COUNT; i++) {
    let n = new NumV();
    n.isInt = true;
    n.i = <i64>i + SMALL_INT_MIN;
    unchecked((out[i] = n));
  }
  return out;
}

export function intV(i: i64): NumV {
  let at = i - SMALL_INT_MIN;
  if (<u64>at < <u64>SMALL_INT_COUNT) return unchecked(SMALL_INTS[<i32>at]);
  let n = new NumV();
  n.isInt = true;
  n.i = i;
  return n;
}

// 2^63 as f64: integral floats in [-2^63, 2^63) convert exactly to i64.
const I64_LIMIT: f64 = 9223372036854775808.0;

/** A number from an f64: integral values that fit int64 (and are exact) become ints. */
export function floatV(f: f64): NumV {
  if (isFinite(f) && Math.trunc(f) == f && f >= -I64_LIMIT && f < I64_LIMIT && Math.abs(f) <= 9007199254740992.0) {
    return intV(<i64>f);
  }
  let n = new NumV();
  n.f = f;
  return n;
}

export function strV(s: string): StrV {
  return new StrV(s);
}

export function isInteger(v: Value): bool {
  if (v.kind != K_NUM) return false;
  let n = changetype<NumV>(v);
  if (n.isInt) return true;
  return isFinite(n.f) && Math.trunc(n.f) == n.f;
}

/** Integer value of a number known to be integral (clamped for huge floats). */
export function toI64(v: Value): i64 {
  let n = changetype<NumV>(v);
  if (n.isInt) return n.i;
  let f = n.f;
  if (f >= I64_LIMIT) return i64.MAX_VALUE;
  if (f < -I64_LIMIT) return i64.MIN_VALUE;
  return <i64>f;
}

// ---- comparison

export function compareNum(a: NumV, b: NumV): i32 {
  if (a.isInt && b.isInt) {
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  }
  let x = a.toF64();
  let y = b.toF64();
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) {
    // Same f64 but one side an exact int beyond 2^53: compare precisely.
    if (a.isInt && !b.isInt && isFinite(y) && Math.abs(y) < I64_LIMIT) {
      let yi = <i64>y;
      return a.i < yi ? -1 : a.i > yi ? 1 : 0;
    }
    if (b.isInt && !a.isInt && isFinite(x) && Math.abs(x) < I64_LIMIT) {
      let xi = <i64>x;
      return xi < b.i ? -1 : xi > b.i ? 1 : 0;
    }
    return 0;
  }
  return 0;
}

function compareStr(a: string, b: string): i32 {
  // Code-unit order equals code-point order except across surrogates; byte order of UTF-8
  // equals code-point order, which is what OPA (Go) uses.
  let n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = <i32>a.charCodeAt(i);
    let y = <i32>b.charCodeAt(i);
    if (x != y) {
      let xs = x >= 0xd800 && x < 0xe000;
      let ys = y >= 0xd800 && y < 0xe000;
      if (xs != ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compareStrings(a: string, b: string): i32 {
  return compareStr(a, b);
}

export function compare(a: Value, b: Value): i32 {
  if (a === b) return 0;
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
    case K_NULL:
      return 0;
    case K_BOOL: {
      let x = changetype<BoolV>(a).b;
      let y = changetype<BoolV>(b).b;
      return x == y ? 0 : x ? 1 : -1;
    }
    case K_NUM:
      return compareNum(changetype<NumV>(a), changetype<NumV>(b));
    case K_STR:
      return compareStr(changetype<StrV>(a).s, changetype<StrV>(b).s);
    case K_ARR: {
      let x = changetype<ArrV>(a).items;
      let y = changetype<ArrV>(b).items;
      let n = min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        let c = compare(unchecked(x[i]), unchecked(y[i]));
        if (c != 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
    case K_OBJ: {
      let x = changetype<ObjV>(a);
      let y = changetype<ObjV>(b);
      let xk = sortedKeyOrder(x.keys);
      let yk = sortedKeyOrder(y.keys);
      let n = min(xk.length, yk.length);
      for (let i = 0; i < n; i++) {
        let c = compare(unchecked(x.keys[xk[i]]), unchecked(y.keys[yk[i]]));
        if (c != 0) return c;
        c = compare(unchecked(x.vals[xk[i]]), unchecked(y.vals[yk[i]]));
        if (c != 0) return c;
      }
      return xk.length < yk.length ? -1 : xk.length > yk.length ? 1 : 0;
    }
    case K_SET: {
      let x = sortedValues(changetype<SetV>(a).items);
      let y = sortedValues(changetype<SetV>(b).items);
      let n = min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        let c = compare(unchecked(x[i]), unchecked(y[i]));
        if (c != 0) return c;
      }
      return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
    }
  }
  return 0;
}

export function equal(a: Value, b: Value): bool {
  if (a === b) return true;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K_NULL:
      return true;
    case K_BOOL:
      return changetype<BoolV>(a).b == changetype<BoolV>(b).b;
    case K_NUM:
      return compareNum(changetype<NumV>(a), changetype<NumV>(b)) == 0;
    case K_STR:
      return strEq(changetype<StrV>(a), changetype<StrV>(b));
    case K_ARR: {
      let x = changetype<ArrV>(a).items;
      let y = changetype<ArrV>(b).items;
      if (x.length != y.length) return false;
      for (let i = 0, n = x.length; i < n; i++) {
        if (!equal(unchecked(x[i]), unchecked(y[i]))) return false;
      }
      return true;
    }
    case K_OBJ: {
      let x = changetype<ObjV>(a);
      let y = changetype<ObjV>(b);
      if (x.size != y.size) return false;
      let keys = x.keys;
      for (let i = 0, n = keys.length; i < n; i++) {
        let other = y.get(unchecked(keys[i]));
        if (other === null) return false;
        if (!equal(unchecked(x.vals[i]), other)) return false;
      }
      return true;
    }
    case K_SET: {
      let x = changetype<SetV>(a);
      let y = changetype<SetV>(b);
      if (x.size != y.size) return false;
      let items = x.items;
      for (let i = 0, n = items.length; i < n; i++) {
        if (!y.has(unchecked(items[i]))) return false;
      }
      return true;
    }
  }
  return false;
}

/** String equality: identity, then the intern tables' guarantee (see StrV.tab), then the
 *  cached hashes, and only then the characters. */
// @ts-ignore: decorator
@inline export function strEq(a: StrV, b: StrV): bool {
  if (a === b) return true;
  let ta = a.tab;
  let tb = b.tab;
  if (ta != 0 && tb != 0 && (ta == tb || ta == 1 || tb == 1)) return false;
  return strEqSlow(a, b);
}

function strEqSlow(a: StrV, b: StrV): bool {
  let ha = a.h;
  let hb = b.h;
  if (ha != 0 && hb != 0 && ha != hb) return false;
  return a.s == b.s;
}

export const FNV_OFFSET: u32 = 2166136261;
export const FNV_PRIME: u32 = 16777619;

/** String hash, never 0: FNV-style over the code units taken four at a time (packed
 *  little-endian, 8 bits each), then one at a time for the tail, then mixed. For ASCII this
 *  equals what the JSON parser computes over the UTF-8 bytes while scanning (json.ts), which
 *  the intern tables rely on. */
export function hashString(s: string): u32 {
  let h: u32 = FNV_OFFSET;
  let n = s.length;
  let p = changetype<usize>(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let q = p + (<usize>i << 1);
    let w = (<u32>load<u16>(q) & 0xff) | ((<u32>load<u16>(q, 2) & 0xff) << 8) |
      ((<u32>load<u16>(q, 4) & 0xff) << 16) | ((<u32>load<u16>(q, 6) & 0xff) << 24);
    h = hashWord(h, w);
  }
  for (; i < n; i++) h = (h ^ <u32>s.charCodeAt(i)) * FNV_PRIME;
  return finishHash(h);
}

// @ts-ignore: decorator
@inline export function hashWord(h: u32, w: u32): u32 {
  return (h ^ w) * FNV_PRIME;
}

// @ts-ignore: decorator
@inline export function finishHash(fnv: u32): u32 {
  return mix(fnv) | 1;
}

function mix(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

function hashI64(i: i64): u32 {
  return mix(<u32>i ^ (<u32>(i >>> 32) * 0x9e3779b1));
}

export function hashValue(v: Value): u32 {
  switch (v.kind) {
    case K_NULL:
      return 0x1234567;
    case K_BOOL:
      return changetype<BoolV>(v).b ? 0x2345 : 0x3456;
    case K_NUM: {
      let n = changetype<NumV>(v);
      if (n.isInt) return hashI64(n.i);
      let f = n.f;
      // Integral floats must hash like the equal int.
      if (isFinite(f) && Math.trunc(f) == f && Math.abs(f) < I64_LIMIT) return hashI64(<i64>f);
      return hashI64(reinterpret<i64>(f));
    }
    case K_STR: {
      let sv = changetype<StrV>(v);
      let h = sv.h;
      if (h == 0) {
        h = hashString(sv.s);
        sv.h = h;
      }
      return h;
    }
    case K_ARR: {
      let items = changetype<ArrV>(v).items;
      let h: u32 = 0x811c9dc5;
      for (let i = 0, n = items.length; i < n; i++) h = (h * 31) ^ hashValue(unchecked(items[i]));
      return mix(h);
    }
    case K_OBJ: {
      let o = changetype<ObjV>(v);
      let h: u32 = 0x5bd1e995;
      let keys = o.keys;
      for (let i = 0, n = keys.length; i < n; i++) {
        h += mix(hashValue(unchecked(keys[i])) * 31 + hashValue(unchecked(o.vals[i])));
      }
      return h;
    }
    case K_SET: {
      let items = changetype<SetV>(v).items;
      let h: u32 = 0x27d4eb2d;
      for (let i = 0, n = items.length; i < n; i++) h += mix(hashValue(unchecked(items[i])));
      return h;
    }
  }
  return 0;
}

function cmpValues(a: Value, b: Value): i32 {
  return compare(a, b);
}

/** A sorted copy (canonical order). */
export function sortedValues(items: Array<Value>): Array<Value> {
  let copy = items.slice(0);
  if (copy.length > 1) copy.sort(cmpValues);
  return copy;
}

/** Indexes of keys in canonical key order. */
export function sortedKeyOrder(keys: Array<Value>): Array<i32> {
  let n = keys.length;
  let order = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked((order[i] = i));
  if (n > 1) {
    // Insertion sort for small maps, merge via values for large (keys are unique).
    if (n <= 16) {
      for (let i = 1; i < n; i++) {
        let cur = unchecked(order[i]);
        let j = i - 1;
        while (j >= 0 && compare(unchecked(keys[unchecked(order[j])]), unchecked(keys[cur])) > 0) {
          unchecked((order[j + 1] = order[j]));
          j--;
        }
        unchecked((order[j + 1] = cur));
      }
    } else {
      let saved = sortKeysGlobal;
      sortKeysGlobal = keys;
      order.sort(cmpKeyIdx);
      sortKeysGlobal = saved;
    }
  }
  return order;
}

let sortKeysGlobal: Array<Value> | null = null;
function cmpKeyIdx(a: i32, b: i32): i32 {
  let keys = changetype<Array<Value>>(sortKeysGlobal);
  return compare(unchecked(keys[a]), unchecked(keys[b]));
}

export function typeName(v: Value): string {
  switch (v.kind) {
    case K_NULL:
      return "null";
    case K_BOOL:
      return "boolean";
    case K_NUM:
      return "number";
    case K_STR:
      return "string";
    case K_ARR:
      return "array";
    case K_OBJ:
      return "object";
    case K_SET:
      return "set";
  }
  return "unknown";
}

/** Number of Unicode code points (Rego string lengths count code points). */
export function codePointLength(s: string): i32 {
  let n = 0;
  for (let i = 0, len = s.length; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xdc00 && c < 0xe000 && i > 0) {
      let p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p < 0xdc00) continue;
    }
    n++;
  }
  return n;
}
