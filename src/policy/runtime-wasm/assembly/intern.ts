// String interning. Object keys (and short string values) repeat across the elements of an
// input document; interning them while parsing saves an allocation per occurrence and makes
// the policy's constant strings (interned once, at instantiation, in the PERSISTENT table)
// the very same StrV objects as the matching input keys, so `Dot x["surface"]` and
// `Equal %6 "roles"` mostly compare pointers (values.ts: strEq).
//
// Invariant behind strEq's fast "not equal": contents are unique within a table, and a parse
// table consults the persistent table before adding, so a string equal to a policy constant
// is always the persistent StrV. Only ASCII strings are interned (hashing the UTF-8 bytes
// then equals hashing the UTF-16 code units). The persistent table is filled only during
// instantiation (below the heap base); parse tables live on the evaluation heap and die
// with it — nothing on the heap is referenced from a global across evaluations.
import { StrV, hashString } from "./values";

/** Strings up to this many bytes are interned by the parser. */
export const INTERN_MAX_BYTES: i32 = 40;
/** A parse table stops growing here (later strings are simply not interned). */
const PARSE_TABLE_MAX: i32 = 1 << 16;

export class InternTable {
  slots: StaticArray<StrV | null>;
  count: i32 = 0;
  /** 1 for the persistent table; a parse table's id is its own address, unique among the
   *  tables whose strings can meet: a table is allocated before its strings, so while any
   *  of its strings lives (the heap is only ever rewound), so does the table. */
  tab: i32;
  /** Holds the persistent strings as well (see newParseTable). */
  seeded: bool = false;
  constructor(persistent: bool, size: i32) {
    this.slots = new StaticArray<StrV | null>(size);
    this.tab = persistent ? 1 : <i32>changetype<usize>(this);
  }

  /** The interned string with these ASCII bytes, or null. `h` = finishHash(fnv of bytes). */
  findBytes(p: usize, n: i32, h: u32): StrV | null {
    let slots = this.slots;
    let mask = slots.length - 1;
    let i = <i32>h & mask;
    while (true) {
      let sv = unchecked(slots[i]);
      if (sv === null) return null;
      if (sv.h == h && sameAscii(sv.s, p, n)) return sv;
      i = (i + 1) & mask;
    }
    return null;
  }

  findString(s: string, h: u32): StrV | null {
    let slots = this.slots;
    let mask = slots.length - 1;
    let i = <i32>h & mask;
    while (true) {
      let sv = unchecked(slots[i]);
      if (sv === null) return null;
      if (sv.h == h && sv.s == s) return sv;
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Adds sv (known absent, hash set); returns false when the table is full. */
  add(sv: StrV, limit: i32): bool {
    if (this.count >= limit) return false;
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    place(this.slots, sv);
    this.count++;
    sv.tab = this.tab;
    return true;
  }

  private grow(): void {
    let old = this.slots;
    let fresh = new StaticArray<StrV | null>(old.length << 1);
    for (let i = 0, n = old.length; i < n; i++) {
      let sv = unchecked(old[i]);
      if (sv !== null) place(fresh, sv);
    }
    this.slots = fresh;
  }
}

function place(slots: StaticArray<StrV | null>, sv: StrV): void {
  let mask = slots.length - 1;
  let i = <i32>sv.h & mask;
  while (unchecked(slots[i]) !== null) i = (i + 1) & mask;
  unchecked((slots[i] = sv));
}

function sameAscii(s: string, p: usize, n: i32): bool {
  if (s.length != n) return false;
  let q = changetype<usize>(s);
  let i = 0;
  // Four characters per step: the four bytes widened to four UTF-16 code units.
  for (; i + 4 <= n; i += 4) {
    let w = <u64>load<u32>(p + <usize>i);
    let wide = (w & 0xff) | ((w & 0xff00) << 8) | ((w & 0xff0000) << 16) | ((w & 0xff000000) << 24);
    if (wide != load<u64>(q + (<usize>i << 1))) return false;
  }
  for (; i < n; i++) {
    if (<u32>load<u16>(q + (<usize>i << 1)) != <u32>load<u8>(p + <usize>i)) return false;
  }
  return true;
}

function isAscii(s: string): bool {
  for (let i = 0, n = s.length; i < n; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

const PERSISTENT: InternTable = new InternTable(true, 256);

/** Interns a policy constant (instantiation time only): returns the persistent StrV with
 *  this content, adding sv if there is none. Non-ASCII strings are returned unchanged. */
export function internPersistent(sv: StrV): StrV {
  if (sv.tab != 0) return sv;
  let s = sv.s;
  if (sv.h == 0) sv.h = hashString(s);
  if (!isAscii(s)) return sv;
  let found = PERSISTENT.findString(s, sv.h);
  if (found !== null) return found;
  PERSISTENT.add(sv, i32.MAX_VALUE);
  return sv;
}

/** The persistent table, for parsing the policy's constants at instantiation only. */
export function persistentTable(): InternTable {
  return PERSISTENT;
}

/** Documents at least this long get a parse table seeded with the persistent strings (one
 *  probe per string); shorter ones (host builtin results, small inputs) a tiny table and two
 *  probes, so a parse never costs more than its document. */
const SEED_MIN_BYTES: usize = 16384;

/** A fresh table for one parse of a `len`-byte document. Seeded tables hold the persistent
 *  strings too (keeping tab 1), so one probe answers "policy constant, earlier string of
 *  this parse, or new". */
export function newParseTable(len: usize): InternTable {
  if (len < SEED_MIN_BYTES) return new InternTable(false, 16);
  let src = PERSISTENT.slots;
  let count = PERSISTENT.count;
  let size = 64;
  while (size < count * 4) size <<= 1;
  let t = new InternTable(false, size);
  t.seeded = true;
  if (count > 0) {
    let dst = t.slots;
    for (let i = 0, n = src.length; i < n; i++) {
      let sv = unchecked(src[i]);
      if (sv !== null) place(dst, sv);
    }
    t.count = count;
  }
  return t;
}

/** The interned StrV for ASCII bytes [p, p+n) with hash h: the persistent one or an earlier
 *  one of this parse, else a new string added to the parse table (if it has room). */
export function internBytes(t: InternTable, p: usize, n: i32, h: u32): StrV {
  let sv: StrV | null = null;
  if (!t.seeded && t !== PERSISTENT && PERSISTENT.count > 0) {
    sv = PERSISTENT.findBytes(p, n, h);
    if (sv !== null) return sv;
  }
  sv = t.findBytes(p, n, h);
  if (sv !== null) return sv;
  let fresh = new StrV(asciiString(p, n));
  fresh.h = h;
  t.add(fresh, PARSE_TABLE_MAX);
  return fresh;
}

/** ASCII bytes widened to a UTF-16 string. */
export function asciiString(p: usize, n: i32): string {
  if (n == 0) return "";
  let out = __new(<usize>n << 1, idof<String>());
  for (let i = 0; i < n; i++) store<u16>(out + (<usize>i << 1), load<u8>(p + <usize>i));
  return changetype<string>(out);
}
