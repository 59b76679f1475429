// JSON (and Rego value syntax) parsing from UTF-8 bytes, and serialisation back to
// NUL-terminated UTF-8. Object keys are dumped in canonical order, sets as arrays in
// canonical order (JSON form) or `{...}`/`set()` (value form); non-string keys in JSON form
// become their JSON text.
import {
  Value, NullV, BoolV, NumV, StrV, ArrV, ObjV, SetV, NULL, TRUE, FALSE, intV, floatV,
  K_NULL, K_BOOL, K_NUM, K_STR, K_ARR, K_OBJ, K_SET, sortedValues, sortedKeyOrder,
  FNV_OFFSET, FNV_PRIME, finishHash, hashWord, equal, objFromParts, setAt, strEq,
} from "./values";
import { InternTable, INTERN_MAX_BYTES, internBytes, asciiString } from "./intern";

// ---------------------------------------------------------------- parsing

const SHAPE_CACHE_SIZE: i32 = 16;

export class Parser {
  pos: usize;
  end: usize;
  ok: bool = true;
  /** Interning target (null: no interning, e.g. json.unmarshal, the IR itself). */
  intern: InternTable | null;
  /** Scratch stack of parsed elements / key-value pairs: composite values are built once,
   *  with exact sizes, when their closing bracket is reached (no regrowing arrays). */
  stack: Array<Value> = new Array<Value>(16);
  sp: i32 = 0;
  /** Recent object shapes (key arrays), see shapeKeys; allocated on first use. */
  shapes: StaticArray<Array<Value> | null> | null = null;
  constructor(public start: usize, len: usize, public regoSyntax: bool, intern: InternTable | null) {
    this.pos = start;
    this.end = start + len;
    this.intern = intern;
  }

  parseDocument(): Value | null {
    let v = this.value(0);
    if (!this.ok || v === null) return null;
    this.ws();
    if (this.pos != this.end) return null;
    return v;
  }

  private fail(): Value | null {
    this.ok = false;
    return null;
  }

  // @ts-ignore: decorator
  @inline private push(v: Value): void {
    let sp = this.sp;
    if (sp == this.stack.length) this.growStack();
    setAt(this.stack, sp, v);
    this.sp = sp + 1;
  }

  private growStack(): void {
    let stack = this.stack;
    let sp = stack.length;
    let bigger = new Array<Value>(sp << 1);
    memory.copy(bigger.dataStart, stack.dataStart, <usize>sp << alignof<Value>());
    this.stack = bigger;
  }

  private ws(): void {
    let p = this.pos;
    let e = this.end;
    while (p < e) {
      let c = load<u8>(p);
      if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private peek(): i32 {
    return this.pos < this.end ? <i32>load<u8>(this.pos) : -1;
  }

  private lit(word: string): bool {
    let n = word.length;
    if (this.pos + <usize>n > this.end) return false;
    for (let i = 0; i < n; i++) {
      if (<i32>load<u8>(this.pos + <usize>i) != word.charCodeAt(i)) return false;
    }
    this.pos += <usize>n;
    return true;
  }

  value(depth: i32): Value | null {
    if (depth > 1000) return this.fail();
    this.ws();
    let c = this.peek();
    switch (c) {
      case 0x7b: // {
        return this.object(depth);
      case 0x5b: // [
        return this.array(depth);
      case 0x22: // "
        return this.string();
      case 0x74:
        if (this.lit("true")) return TRUE;
        return this.fail();
      case 0x66:
        if (this.lit("false")) return FALSE;
        return this.fail();
      case 0x6e:
        if (this.lit("null")) return NULL;
        return this.fail();
      case 0x73: // set()
        if (this.regoSyntax && this.lit("set(")) {
          this.ws();
          if (this.peek() != 0x29) return this.fail();
          this.pos++;
          return new SetV();
        }
        return this.fail();
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail();
  }

  private array(depth: i32): Value | null {
    this.pos++;
    this.ws();
    if (this.peek() == 0x5d) {
      this.pos++;
      return new ArrV(new Array<Value>());
    }
    let base = this.sp;
    while (true) {
      let v = this.value(depth + 1);
      if (v === null) return this.fail();
      this.push(v);
      this.ws();
      let c = this.peek();
      this.pos++;
      if (c == 0x2c) continue;
      if (c == 0x5d) break;
      return this.fail();
    }
    let n = this.sp - base;
    let items = new Array<Value>(n);
    memory.copy(items.dataStart, this.stack.dataStart + (<usize>base << alignof<Value>()), <usize>n << alignof<Value>());
    this.sp = base;
    return new ArrV(items);
  }

  private object(depth: i32): Value | null {
    this.pos++;
    this.ws();
    if (this.peek() == 0x7d) {
      this.pos++;
      return new ObjV();
    }
    let first = this.value(depth + 1);
    if (first === null) return this.fail();
    if (!this.regoSyntax && first.kind != K_STR) return this.fail();
    this.ws();
    let c = this.peek();
    if (this.regoSyntax && (c == 0x2c || c == 0x7d)) {
      // A set literal {a, b, ...}.
      let set = new SetV();
      set.add(first);
      while (true) {
        this.ws();
        c = this.peek();
        this.pos++;
        if (c == 0x7d) return set;
        if (c != 0x2c) return this.fail();
        let v = this.value(depth + 1);
        if (v === null) return this.fail();
        set.add(v);
      }
    }
    let base = this.sp;
    let key: Value = first;
    while (true) {
      this.ws();
      if (this.peek() != 0x3a) return this.fail();
      this.pos++;
      let v = this.value(depth + 1);
      if (v === null) return this.fail();
      this.push(key);
      this.push(v);
      this.ws();
      c = this.peek();
      this.pos++;
      if (c == 0x7d) break;
      if (c != 0x2c) return this.fail();
      let k = this.value(depth + 1);
      if (k === null) return this.fail();
      if (!this.regoSyntax && k.kind != K_STR) return this.fail();
      key = k;
    }
    let n = (this.sp - base) >> 1;
    let stack = this.stack;
    if (n <= 8) {
      // The common small object: copy the values; the key array is shared with the last
      // object of the same shape (same interned keys in the same order), if any.
      let keys = this.shapeKeys(stack, base, n);
      if (keys !== null) {
        let vals = new Array<Value>(n);
        for (let i = 0; i < n; i++) setAt(vals, i, unchecked(stack[base + 2 * i + 1]));
        this.sp = base;
        return objFromParts(keys, vals, true);
      }
    }
    let obj = new ObjV(n);
    // set(): a repeated key keeps its first position and takes the last value.
    for (let i = base, e = this.sp; i < e; i += 2) obj.set(unchecked(stack[i]), unchecked(stack[i + 1]));
    this.sp = base;
    return obj;
  }

  /** A key array equal (by identity of every key) to keys stack[base], stack[base+2], ...:
   *  from a small cache of recent shapes (whose keys were checked distinct when cached),
   *  else a new one if the keys are distinct (then cached), else null (repeated keys). */
  private shapeKeys(stack: Array<Value>, base: i32, n: i32): Array<Value> | null {
    let h: u32 = <u32>n;
    for (let i = 0; i < n; i++) h = h * 31 + <u32>changetype<usize>(unchecked(stack[base + 2 * i]));
    let slot = <i32>((h ^ (h >>> 7)) & (SHAPE_CACHE_SIZE - 1));
    let shapes = this.shapes;
    if (shapes === null) {
      shapes = new StaticArray<Array<Value> | null>(SHAPE_CACHE_SIZE);
      this.shapes = shapes;
    }
    let cached = unchecked(shapes[slot]);
    if (cached !== null && cached.length == n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (unchecked(cached[i]) !== unchecked(stack[base + 2 * i])) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    if (!distinctKeys(stack, base, n)) return null;
    let keys = new Array<Value>(n);
    for (let i = 0; i < n; i++) setAt(keys, i, unchecked(stack[base + 2 * i]));
    unchecked((shapes[slot] = keys));
    return keys;
  }

  private number(): Value | null {
    let start = this.pos;
    let p = start;
    let e = this.end;
    let neg = false;
    if (p < e && load<u8>(p) == 0x2d) {
      neg = true;
      p++;
    }
    let digitsStart = p;
    while (p < e && load<u8>(p) >= 0x30 && load<u8>(p) <= 0x39) p++;
    let intDigits = <i32>(p - digitsStart);
    if (intDigits == 0) return this.fail();
    if (intDigits > 1 && load<u8>(digitsStart) == 0x30) return this.fail();
    let isFloat = false;
    if (p < e && load<u8>(p) == 0x2e) {
      isFloat = true;
      p++;
      let f0 = p;
      while (p < e && load<u8>(p) >= 0x30 && load<u8>(p) <= 0x39) p++;
      if (p == f0) return this.fail();
    }
    if (p < e && (load<u8>(p) == 0x65 || load<u8>(p) == 0x45)) {
      isFloat = true;
      p++;
      if (p < e && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
      let x0 = p;
      while (p < e && load<u8>(p) >= 0x30 && load<u8>(p) <= 0x39) p++;
      if (p == x0) return this.fail();
    }
    this.pos = p;
    if (!isFloat && intDigits <= 18) {
      let v: i64 = 0;
      for (let q = digitsStart; q < p; q++) v = v * 10 + <i64>(load<u8>(q) - 0x30);
      return intV(neg ? -v : v);
    }
    let text = String.UTF8.decodeUnsafe(start, p - start);
    return numberFromText(text);
  }

  /** Parses a JSON string at pos (which is at the opening quote). */
  string(): StrV | null {
    let p = this.pos + 1;
    let e = this.end;
    // Fast path: a plain run without escapes, hashed while scanning (FNV-1a over bytes).
    let q = p;
    let plain = true;
    let ascii = true;
    let h: u32 = FNV_OFFSET;
    // Four bytes at a time while none is a quote, a backslash, a control or a non-ASCII
    // byte (SWAR tests), hashing whole words as values.ts hashString does.
    while (q + 4 <= e) {
      let w = load<u32>(q);
      let special = (hasZeroByte(w ^ 0x22222222) | hasZeroByte(w ^ 0x5c5c5c5c) |
        ((w - 0x20202020) & ~w) | w) & 0x80808080;
      if (special != 0) break;
      h = hashWord(h, w);
      q += 4;
    }
    while (q < e) {
      let c = <u32>load<u8>(q);
      if (c == 0x22) break;
      if (c == 0x5c || c < 0x20) {
        plain = false;
        break;
      }
      if (c >= 0x80) ascii = false;
      h = (h ^ c) * FNV_PRIME;
      q++;
    }
    if (q >= e) {
      this.ok = false;
      return null;
    }
    if (plain) {
      this.pos = q + 1;
      let n = <i32>(q - p);
      if (ascii) {
        let t = this.intern;
        if (t !== null && n <= INTERN_MAX_BYTES) return internBytes(t, p, n, finishHash(h));
        let sv = new StrV(asciiString(p, n));
        sv.h = finishHash(h);
        return sv;
      }
      return new StrV(String.UTF8.decodeUnsafe(p, <usize>n));
    }
    // Slow path: decode into a UTF-16 buffer (never longer than the byte count).
    let cap = <i32>(e - p);
    let buf = new StaticArray<u16>(cap);
    let n = 0;
    while (true) {
      if (p >= e) {
        this.ok = false;
        return null;
      }
      let c = <u32>load<u8>(p);
      if (c == 0x22) {
        p++;
        break;
      }
      if (c < 0x20) {
        this.ok = false;
        return null;
      }
      if (c == 0x5c) {
        if (p + 1 >= e) {
          this.ok = false;
          return null;
        }
        let x = load<u8>(p + 1);
        p += 2;
        if (x == 0x22) buf[n++] = 0x22;
        else if (x == 0x5c) buf[n++] = 0x5c;
        else if (x == 0x2f) buf[n++] = 0x2f;
        else if (x == 0x62) buf[n++] = 0x08;
        else if (x == 0x66) buf[n++] = 0x0c;
        else if (x == 0x6e) buf[n++] = 0x0a;
        else if (x == 0x72) buf[n++] = 0x0d;
        else if (x == 0x74) buf[n++] = 0x09;
        else if (x == 0x75) {
          if (p + 4 > e) {
            this.ok = false;
            return null;
          }
          let u: i32 = 0;
          for (let k = 0; k < 4; k++) {
            let hx = hexVal(load<u8>(p + <usize>k));
            if (hx < 0) {
              this.ok = false;
              return null;
            }
            u = (u << 4) | hx;
          }
          p += 4;
          buf[n++] = <u16>u;
        } else {
          this.ok = false;
          return null;
        }
        continue;
      }
      // UTF-8 sequence -> code point.
      let cp: u32 = c;
      let extra = 0;
      if (c >= 0xf0) {
        cp = c & 0x07;
        extra = 3;
      } else if (c >= 0xe0) {
        cp = c & 0x0f;
        extra = 2;
      } else if (c >= 0xc0) {
        cp = c & 0x1f;
        extra = 1;
      }
      p++;
      for (let k = 0; k < extra; k++) {
        if (p >= e) break;
        cp = (cp << 6) | (<u32>load<u8>(p) & 0x3f);
        p++;
      }
      if (cp >= 0x10000) {
        cp -= 0x10000;
        buf[n++] = <u16>(0xd800 | (cp >> 10));
        buf[n++] = <u16>(0xdc00 | (cp & 0x3ff));
      } else {
        buf[n++] = <u16>cp;
      }
    }
    this.pos = p;
    return new StrV(String.UTF16.decodeUnsafe(changetype<usize>(buf), <usize>n << 1));
  }
}

/** High bit set in each byte of w that is zero (plus possibly above a zero byte: callers
 *  only test for "any"). */
// @ts-ignore: decorator
@inline function hasZeroByte(w: u32): u32 {
  return (w - 0x01010101) & ~w & 0x80808080;
}

/** Whether the n keys at stack[base], stack[base+2], ... are pairwise different. */
function distinctKeys(stack: Array<Value>, base: i32, n: i32): bool {
  for (let i = 1; i < n; i++) {
    let k = unchecked(stack[base + 2 * i]);
    for (let j = 0; j < i; j++) {
      let o = unchecked(stack[base + 2 * j]);
      if (o === k) return false;
      if (o.kind == K_STR && k.kind == K_STR) {
        if (strEq(changetype<StrV>(o), changetype<StrV>(k))) return false;
      } else if (equal(o, k)) return false;
    }
  }
  return true;
}

function hexVal(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** A number from its decimal text: exact int64 when integral and in range. */
export function numberFromText(text: string): NumV {
  let isFloat = false;
  for (let i = 0, n = text.length; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) {
      isFloat = true;
      break;
    }
  }
  if (!isFloat) {
    // Integer text: exact if it fits int64.
    let neg = text.startsWith("-");
    let digits = neg ? text.length - 1 : text.length;
    let start = neg ? 1 : 0;
    if (digits <= 19) {
      let v: u64 = 0;
      let overflow = false;
      for (let i = start; i < text.length; i++) {
        let d = <u64>(text.charCodeAt(i) - 0x30);
        if (v > (u64.MAX_VALUE - d) / 10) {
          overflow = true;
          break;
        }
        v = v * 10 + d;
      }
      if (!overflow) {
        if (!neg && v <= <u64>i64.MAX_VALUE) return intV(<i64>v);
        if (neg && v <= <u64>i64.MAX_VALUE + 1) return intV(-<i64>v);
      }
    }
    let n = new NumV();
    n.f = parseFloat(text);
    n.text = text;
    return n;
  }
  let f = parseFloat(text);
  let num = floatV(f);
  if (!num.isInt && (!isFinite(f))) num.text = text;
  return num;
}

/** Parses a JSON document; `intern` = the table to intern strings into (see intern.ts), or
 *  null for none. */
export function parseJson(addr: usize, len: usize, intern: InternTable | null = null): Value | null {
  return new Parser(addr, len, false, intern).parseDocument();
}

/** Parses a Rego value (JSON plus sets) — the input of opa_eval. */
export function parseValue(addr: usize, len: usize, intern: InternTable | null = null): Value | null {
  return new Parser(addr, len, true, intern).parseDocument();
}

/** Parses JSON text held in an AS string (used by json.unmarshal and the IR decoder). */
export function parseJsonString(s: string): Value | null {
  let buf = String.UTF8.encode(s, false);
  return parseJson(changetype<usize>(buf), <usize>buf.byteLength);
}

// ---------------------------------------------------------------- writing

/** Growable UTF-8 byte buffer on the heap. */
export class Writer {
  ptr: usize;
  len: i32 = 0;
  cap: i32;
  constructor(cap: i32 = 64) {
    this.cap = cap;
    this.ptr = __alloc(<usize>cap);
  }
  ensure(extra: i32): void {
    let need = this.len + extra;
    if (need <= this.cap) return;
    let cap = this.cap << 1;
    while (cap < need) cap <<= 1;
    this.ptr = __realloc(this.ptr, <usize>cap);
    this.cap = cap;
  }
  byte(b: i32): void {
    this.ensure(1);
    store<u8>(this.ptr + <usize>this.len, <u8>b);
    this.len++;
  }
  ascii(s: string): void {
    let n = s.length;
    this.ensure(n);
    let p = this.ptr + <usize>this.len;
    for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>s.charCodeAt(i));
    this.len += n;
  }
  /** Raw UTF-8 of s (no quoting). */
  utf8(s: string): void {
    let n = s.length;
    this.ensure(n * 3);
    let p = this.ptr + <usize>this.len;
    let o: usize = 0;
    for (let i = 0; i < n; i++) {
      let c = <u32>s.charCodeAt(i);
      if (c < 0x80) {
        store<u8>(p + o++, <u8>c);
      } else if (c < 0x800) {
        store<u8>(p + o++, <u8>(0xc0 | (c >> 6)));
        store<u8>(p + o++, <u8>(0x80 | (c & 0x3f)));
      } else {
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
          let d = <u32>s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d < 0xe000) {
            let cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            store<u8>(p + o++, <u8>(0xf0 | (cp >> 18)));
            store<u8>(p + o++, <u8>(0x80 | ((cp >> 12) & 0x3f)));
            store<u8>(p + o++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
            store<u8>(p + o++, <u8>(0x80 | (cp & 0x3f)));
            i++;
            continue;
          }
        }
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // lone surrogate
        store<u8>(p + o++, <u8>(0xe0 | (c >> 12)));
        store<u8>(p + o++, <u8>(0x80 | ((c >> 6) & 0x3f)));
        store<u8>(p + o++, <u8>(0x80 | (c & 0x3f)));
      }
    }
    this.len += <i32>o;
  }
  quoted(s: string, htmlSafe: bool = false): void {
    this.byte(0x22);
    let n = s.length;
    let runStart = 0;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      let esc = c < 0x20 || c == 0x22 || c == 0x5c || (htmlSafe && (c == 0x3c || c == 0x3e || c == 0x26));
      if (!esc) continue;
      if (i > runStart) this.utf8(s.substring(runStart, i));
      runStart = i + 1;
      if (c == 0x22) this.ascii("\\\"");
      else if (c == 0x5c) this.ascii("\\\\");
      else if (c == 0x0a) this.ascii("\\n");
      else if (c == 0x0d) this.ascii("\\r");
      else if (c == 0x09) this.ascii("\\t");
      else {
        this.ascii("\\u00");
        this.byte(HEX.charCodeAt((c >> 4) & 0xf));
        this.byte(HEX.charCodeAt(c & 0xf));
      }
    }
    if (runStart == 0) this.utf8(s);
    else if (runStart < n) this.utf8(s.substring(runStart));
    this.byte(0x22);
  }
  /** NUL-terminates and returns the address. */
  finish(): usize {
    this.byte(0);
    return this.ptr;
  }
  toString(): string {
    return String.UTF8.decodeUnsafe(this.ptr, <usize>this.len);
  }
}

const HEX = "0123456789abcdef";

export function numberText(n: NumV): string {
  if (n.isInt) return n.i.toString();
  let t = n.text;
  if (t !== null) return t;
  let f = n.f;
  if (!isFinite(f)) return "null";
  if (Math.trunc(f) == f && Math.abs(f) < 1e21) {
    // Integral float beyond 2^53: print without exponent or fraction.
    if (Math.abs(f) < 9223372036854775807.0) return (<i64>f).toString();
  }
  return f.toString();
}

/** JSON form (regoSyntax false) or Rego value form. */
export function writeValue(w: Writer, v: Value, regoSyntax: bool, htmlSafe: bool = false): void {
  switch (v.kind) {
    case K_NULL:
      w.ascii("null");
      return;
    case K_BOOL:
      w.ascii(changetype<BoolV>(v).b ? "true" : "false");
      return;
    case K_NUM:
      w.ascii(numberText(changetype<NumV>(v)));
      return;
    case K_STR:
      w.quoted(changetype<StrV>(v).s, htmlSafe);
      return;
    case K_ARR: {
      let items = changetype<ArrV>(v).items;
      w.byte(0x5b);
      for (let i = 0, n = items.length; i < n; i++) {
        if (i > 0) w.byte(0x2c);
        writeValue(w, unchecked(items[i]), regoSyntax, htmlSafe);
      }
      w.byte(0x5d);
      return;
    }
    case K_OBJ: {
      let o = changetype<ObjV>(v);
      let keys = o.keys;
      let order = sortedKeyOrder(keys);
      w.byte(0x7b);
      for (let i = 0, n = order.length; i < n; i++) {
        if (i > 0) w.byte(0x2c);
        let idx = unchecked(order[i]);
        let k = unchecked(keys[idx]);
        if (k.kind == K_STR || regoSyntax) writeValue(w, k, regoSyntax, htmlSafe);
        else w.quoted(toJsonString(k), htmlSafe);
        w.byte(0x3a);
        writeValue(w, unchecked(o.vals[idx]), regoSyntax, htmlSafe);
      }
      w.byte(0x7d);
      return;
    }
    case K_SET: {
      let items = sortedValues(changetype<SetV>(v).items);
      if (regoSyntax) {
        if (items.length == 0) {
          w.ascii("set()");
          return;
        }
        w.byte(0x7b);
      } else {
        w.byte(0x5b);
      }
      for (let i = 0, n = items.length; i < n; i++) {
        if (i > 0) w.byte(0x2c);
        writeValue(w, unchecked(items[i]), regoSyntax, htmlSafe);
      }
      w.byte(regoSyntax ? 0x7d : 0x5d);
      return;
    }
  }
}

export function dumpJson(v: Value): usize {
  let w = new Writer();
  writeValue(w, v, false);
  return w.finish();
}

export function dumpValue(v: Value): usize {
  let w = new Writer();
  writeValue(w, v, true);
  return w.finish();
}

export function toJsonString(v: Value): string {
  let w = new Writer();
  writeValue(w, v, false);
  return w.toString();
}

export function toRegoString(v: Value): string {
  let w = new Writer();
  writeValue(w, v, true);
  return w.toString();
}

/** Go's json.MarshalIndent layout (as OPA's json.marshal_with_options uses it, with the
 *  prefix also before the first line). */
export function writePretty(w: Writer, v: Value, prefix: string, indent: string, depth: i32): void {
  let kind = v.kind;
  if (kind == K_ARR || kind == K_SET) {
    let items = kind == K_ARR ? changetype<ArrV>(v).items : sortedValues(changetype<SetV>(v).items);
    if (items.length == 0) {
      w.ascii("[]");
      return;
    }
    w.byte(0x5b);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) w.byte(0x2c);
      newline(w, prefix, indent, depth + 1);
      writePretty(w, unchecked(items[i]), prefix, indent, depth + 1);
    }
    newline(w, prefix, indent, depth);
    w.byte(0x5d);
    return;
  }
  if (kind == K_OBJ) {
    let o = changetype<ObjV>(v);
    if (o.size == 0) {
      w.ascii("{}");
      return;
    }
    let order = sortedKeyOrder(o.keys);
    w.byte(0x7b);
    for (let i = 0; i < order.length; i++) {
      if (i > 0) w.byte(0x2c);
      newline(w, prefix, indent, depth + 1);
      let k = unchecked(o.keys[order[i]]);
      if (k.kind == K_STR) w.quoted(changetype<StrV>(k).s, true);
      else w.quoted(toJsonString(k), true);
      w.ascii(": ");
      writePretty(w, unchecked(o.vals[order[i]]), prefix, indent, depth + 1);
    }
    newline(w, prefix, indent, depth);
    w.byte(0x7d);
    return;
  }
  writeValue(w, v, false, true);
}

function newline(w: Writer, prefix: string, indent: string, depth: i32): void {
  w.byte(0x0a);
  w.utf8(prefix);
  for (let i = 0; i < depth; i++) w.utf8(indent);
}
