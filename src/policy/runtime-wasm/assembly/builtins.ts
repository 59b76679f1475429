// Native builtins (the contract's NATIVE list). OPA's non-strict semantics: a type or domain
// error makes the call undefined (return null). Builtins not listed here are published via
// `builtins()` and called on the host through opa_builtinN.
import {
  Value, NumV, StrV, ArrV, ObjV, SetV, BoolV, NULL, TRUE, FALSE, boolV, intV, floatV,
  K_NULL, K_BOOL, K_NUM, K_STR, K_ARR, K_OBJ, K_SET, compare, equal, isInteger, toI64,
  typeName, codePointLength, sortedValues, sortedKeyOrder,
} from "./values";
import { Writer, writeValue, writePretty, parseJsonString, numberFromText } from "./json";
import { toCodePoints, fromCodePoints, cpIndexOf, isSpace, utf8Bytes, bytesToString } from "./strings";
import { globMatch } from "./glob";
import { cidrContains } from "./cidr";

const NAMES: Array<string> = [
  "equal", "neq", "lt", "lte", "gt", "gte",
  "plus", "minus", "mul", "div", "rem", "abs", "round", "ceil", "floor",
  "numbers.range", "numbers.range_step", "to_number",
  "is_number", "is_string", "is_boolean", "is_array", "is_set", "is_object", "is_null", "type_name",
  "and", "or", "intersection", "union", "set_diff",
  "count", "sum", "product", "max", "min", "sort", "all", "any",
  "array.concat", "array.slice", "array.reverse",
  "object.get", "object.keys", "object.remove", "object.union", "object.union_n", "object.filter",
  "json.marshal", "json.unmarshal", "json.is_valid", "json.filter", "json.remove",
  "concat", "contains", "startswith", "endswith", "indexof", "indexof_n", "lower", "upper", "split",
  "replace", "strings.replace_n", "substring", "trim", "trim_left", "trim_right", "trim_prefix",
  "trim_suffix", "trim_space", "format_int", "strings.reverse", "strings.count",
  "base64.encode", "base64.decode", "base64.is_valid", "base64url.encode", "base64url.encode_no_pad",
  "base64url.decode", "hex.encode", "hex.decode",
  "bits.or", "bits.and", "bits.xor", "bits.negate", "bits.lsh", "bits.rsh",
  "walk", "internal.member_2", "internal.member_3", "glob.match", "net.cidr_contains",
  "strings.any_prefix_match", "strings.any_suffix_match", "object.subset", "array.flatten",
  "json.marshal_with_options",
];

const NAME_IDS: Map<string, i32> = buildNameIds();

function buildNameIds(): Map<string, i32> {
  let m = new Map<string, i32>();
  for (let i = 0; i < NAMES.length; i++) m.set(NAMES[i], i);
  return m;
}

/** Native id for a builtin name, or -1 (then it is a host builtin). */
export function nativeBuiltinId(name: string, arity: i32): i32 {
  return NAME_IDS.has(name) ? NAME_IDS.get(name) : -1;
}

// ---------------------------------------------------------------- helpers

// @ts-ignore: decorator
@inline function isNum(v: Value): bool {
  return v.kind == K_NUM;
}
// @ts-ignore: decorator
@inline function isStr(v: Value): bool {
  return v.kind == K_STR;
}
// @ts-ignore: decorator
@inline function str(v: Value): string {
  return changetype<StrV>(v).s;
}
// @ts-ignore: decorator
@inline function num(v: Value): NumV {
  return changetype<NumV>(v);
}

/** Elements of an array or set (null for other values). */
function elements(v: Value): Array<Value> | null {
  if (v.kind == K_ARR) return changetype<ArrV>(v).items;
  if (v.kind == K_SET) return changetype<SetV>(v).items;
  return null;
}

function arrOf(items: Array<Value>): ArrV {
  return new ArrV(items);
}

function strArr(items: Array<string>): ArrV {
  let out = new Array<Value>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = new StrV(items[i]);
  return new ArrV(out);
}

// ---------------------------------------------------------------- arithmetic

function addNum(a: NumV, b: NumV, sign: i64): Value {
  if (a.isInt && b.isInt) {
    let y = b.i * sign;
    if (!(sign < 0 && b.i == i64.MIN_VALUE)) {
      let r = a.i + y;
      // Overflow iff both operands share a sign that the result does not.
      if (!(((a.i ^ r) & (y ^ r)) < 0)) return intV(r);
    }
  }
  return floatV(a.toF64() + <f64>sign * b.toF64());
}

function mulNum(a: NumV, b: NumV): Value {
  if (a.isInt && b.isInt) {
    let x = a.i;
    let y = b.i;
    if (x == 0 || y == 0) return intV(0);
    let r = x * y;
    if (r / y == x && !(x == -1 && y == i64.MIN_VALUE) && !(y == -1 && x == i64.MIN_VALUE)) return intV(r);
  }
  return floatV(a.toF64() * b.toF64());
}

function divNum(a: NumV, b: NumV): Value | null {
  if (b.toF64() == 0 && !(b.isInt && b.i != 0)) return null; // divide by zero
  if (a.isInt && b.isInt) {
    if (b.i != 0 && a.i % b.i == 0 && !(a.i == i64.MIN_VALUE && b.i == -1)) return intV(a.i / b.i);
  }
  return floatV(a.toF64() / b.toF64());
}

function remNum(a: NumV, b: NumV): Value | null {
  if (!isInteger(a) || !isInteger(b)) return null; // modulo on floating-point number
  let x = toI64(a);
  let y = toI64(b);
  if (y == 0) return null; // modulo by zero
  if (y == -1) return intV(0);
  return intV(x % y);
}

function roundHalfAway(f: f64): f64 {
  return f < 0 ? -Math.floor(-f + 0.5) : Math.floor(f + 0.5);
}

function unaryNum(id: i32, v: Value): Value | null {
  if (!isNum(v)) return null;
  let n = num(v);
  if (n.isInt) {
    if (id == B_ABS) return n.i < 0 && n.i != i64.MIN_VALUE ? intV(-n.i) : n.i == i64.MIN_VALUE ? floatV(-<f64>n.i) : n;
    return n;
  }
  let f = n.f;
  if (id == B_ABS) return floatV(Math.abs(f));
  if (id == B_ROUND) return floatV(roundHalfAway(f));
  if (id == B_CEIL) return floatV(Math.ceil(f));
  return floatV(Math.floor(f));
}

function setDiff(a: SetV, b: SetV): SetV {
  let out = new SetV();
  let items = a.items;
  for (let i = 0; i < items.length; i++) if (!b.has(items[i])) out.add(items[i]);
  return out;
}

function setAnd(a: SetV, b: SetV): SetV {
  let out = new SetV();
  let items = a.items;
  for (let i = 0; i < items.length; i++) if (b.has(items[i])) out.add(items[i]);
  return out;
}

function setOr(a: SetV, b: SetV): SetV {
  let out = new SetV();
  let x = a.items;
  for (let i = 0; i < x.length; i++) out.add(x[i]);
  let y = b.items;
  for (let i = 0; i < y.length; i++) out.add(y[i]);
  return out;
}

function numbersRange(a: Value, b: Value, step: i64): Value | null {
  if (!isInteger(a) || !isInteger(b)) return null;
  if (step <= 0) return null;
  let x = toI64(a);
  let y = toI64(b);
  let out = new Array<Value>();
  if (x <= y) {
    for (let i = x; i <= y; i += step) out.push(intV(i));
  } else {
    for (let i = x; i >= y; i -= step) out.push(intV(i));
  }
  return arrOf(out);
}

function toNumber(v: Value): Value | null {
  switch (v.kind) {
    case K_NULL:
      return intV(0);
    case K_BOOL:
      return intV(changetype<BoolV>(v).b ? 1 : 0);
    case K_NUM:
      return v;
    case K_STR: {
      let s = str(v);
      if (!validNumberText(s)) return null;
      return numberFromText(s);
    }
  }
  return null;
}

/** Decimal number syntax accepted by to_number (Go's ParseFloat minus inf/nan/hex). */
function validNumberText(s: string): bool {
  let i = 0;
  let n = s.length;
  if (n == 0) return false;
  let c = s.charCodeAt(0);
  if (c == 0x2d || c == 0x2b) i++;
  let digits = 0;
  while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) == 0x2e) {
    i++;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
      i++;
      digits++;
    }
  }
  if (digits == 0) return false;
  if (i < n && (s.charCodeAt(i) == 0x65 || s.charCodeAt(i) == 0x45)) {
    i++;
    if (i < n && (s.charCodeAt(i) == 0x2d || s.charCodeAt(i) == 0x2b)) i++;
    let e = 0;
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
      i++;
      e++;
    }
    if (e == 0) return false;
  }
  return i == n;
}

// ---------------------------------------------------------------- aggregates

function aggregate(id: i32, v: Value): Value | null {
  if (id == B_COUNT) {
    switch (v.kind) {
      case K_ARR:
        return intV(changetype<ArrV>(v).items.length);
      case K_SET:
        return intV(changetype<SetV>(v).size);
      case K_OBJ:
        return intV(changetype<ObjV>(v).size);
      case K_STR:
        return intV(codePointLength(str(v)));
    }
    return null;
  }
  let items = elements(v);
  if (items === null) return null;
  switch (id) {
    case B_SUM:
    case B_PRODUCT: {
      let acc: Value = intV(id == B_SUM ? 0 : 1);
      for (let i = 0; i < items.length; i++) {
        let x = items[i];
        if (!isNum(x)) return null;
        acc = id == B_SUM ? addNum(num(acc), num(x), 1) : mulNum(num(acc), num(x));
      }
      return acc;
    }
    case B_MAX:
    case B_MIN: {
      if (items.length == 0) return null;
      let best = items[0];
      for (let i = 1; i < items.length; i++) {
        let c = compare(items[i], best);
        if ((id == B_MAX && c > 0) || (id == B_MIN && c < 0)) best = items[i];
      }
      return best;
    }
    case B_SORT:
      return arrOf(sortedValues(items));
    case B_ALL:
    case B_ANY: {
      let all = true;
      let any = false;
      for (let i = 0; i < items.length; i++) {
        let x = items[i];
        let t = x.kind == K_BOOL && changetype<BoolV>(x).b;
        if (t) any = true;
        else all = false;
      }
      return boolV(id == B_ALL ? all : any);
    }
  }
  return null;
}

// ---------------------------------------------------------------- objects

function objectGet(o: Value, key: Value, dflt: Value): Value | null {
  if (o.kind != K_OBJ) return null;
  if (key.kind == K_ARR) {
    let path = changetype<ArrV>(key).items;
    let cur: Value = o;
    for (let i = 0; i < path.length; i++) {
      let next: Value | null = null;
      if (cur.kind == K_OBJ) next = changetype<ObjV>(cur).get(path[i]);
      else if (cur.kind == K_ARR) {
        if (isInteger(path[i])) {
          let idx = toI64(path[i]);
          let items = changetype<ArrV>(cur).items;
          if (idx >= 0 && idx < <i64>items.length) next = items[<i32>idx];
        }
      } else if (cur.kind == K_SET) {
        if (changetype<SetV>(cur).has(path[i])) next = path[i];
      }
      if (next === null) return dflt;
      cur = next;
    }
    return cur;
  }
  let v = changetype<ObjV>(o).get(key);
  return v === null ? dflt : v;
}

/** Keys named by an array, set or object (its keys). */
function keyCollection(v: Value): Array<Value> | null {
  if (v.kind == K_OBJ) return changetype<ObjV>(v).keys;
  return elements(v);
}

function objectRemove(o: Value, keys: Value, keep: bool): Value | null {
  if (o.kind != K_OBJ) return null;
  let ks = keyCollection(keys);
  if (ks === null) return null;
  let named = new SetV();
  for (let i = 0; i < ks.length; i++) named.add(ks[i]);
  let obj = changetype<ObjV>(o);
  let out = new ObjV();
  let okeys = obj.keys;
  for (let i = 0; i < okeys.length; i++) {
    if (named.has(okeys[i]) == keep) out.set(okeys[i], obj.vals[i]);
  }
  return out;
}

function objectUnion(a: ObjV, b: ObjV): ObjV {
  let out = a.copy();
  let keys = b.keys;
  for (let i = 0; i < keys.length; i++) {
    let k = keys[i];
    let bv = b.vals[i];
    let av = out.get(k);
    if (av !== null && av.kind == K_OBJ && bv.kind == K_OBJ) out.set(k, objectUnion(changetype<ObjV>(av), changetype<ObjV>(bv)));
    else out.set(k, bv);
  }
  return out;
}

// ---------------------------------------------------------------- json.filter / json.remove

/** Paths given as "a/b/c" strings or arrays of keys -> arrays of key Values. */
function jsonPaths(v: Value): Array<Array<Value>> | null {
  let items = elements(v);
  if (items === null) return null;
  let out = new Array<Array<Value>>();
  for (let i = 0; i < items.length; i++) {
    let p = items[i];
    if (p.kind == K_STR) {
      let s = str(p);
      while (s.startsWith("/")) s = s.substring(1);
      let segs = new Array<Value>();
      if (s.length > 0) {
        let parts = s.split("/");
        for (let j = 0; j < parts.length; j++) segs.push(new StrV(parts[j].replaceAll("~1", "/").replaceAll("~0", "~")));
      }
      out.push(segs);
    } else if (p.kind == K_ARR) {
      out.push(changetype<ArrV>(p).items);
    } else return null;
  }
  return out;
}

class PathTrie {
  children: ObjV = new ObjV(); // key -> index into nodes
  nodes: Array<PathTrie> = new Array<PathTrie>();
  terminal: bool = false;
  child(k: Value): PathTrie | null {
    let i = this.children.get(k);
    return i === null ? null : this.nodes[<i32>toI64(i)];
  }
  add(path: Array<Value>): void {
    let node: PathTrie = this;
    for (let i = 0; i < path.length; i++) {
      if (node.terminal) return;
      let c = node.child(path[i]);
      if (c === null) {
        c = new PathTrie();
        node.children.set(path[i], intV(node.nodes.length));
        node.nodes.push(c);
      }
      node = c;
    }
    node.terminal = true;
  }
}

/** Key of a child for matching: array indexes match by number or numeric string. */
function trieChild(t: PathTrie, key: Value): PathTrie | null {
  let c = t.child(key);
  if (c !== null) return c;
  if (key.kind == K_NUM) return t.child(new StrV(toI64(key).toString()));
  return null;
}

function jsonFilter(v: Value, t: PathTrie): Value {
  if (t.terminal) return v;
  if (v.kind == K_OBJ) {
    let o = changetype<ObjV>(v);
    let out = new ObjV();
    for (let i = 0; i < o.keys.length; i++) {
      let c = trieChild(t, o.keys[i]);
      if (c !== null) out.set(o.keys[i], jsonFilter(o.vals[i], c));
    }
    return out;
  }
  if (v.kind == K_ARR) {
    let items = changetype<ArrV>(v).items;
    let out = new Array<Value>();
    for (let i = 0; i < items.length; i++) {
      let c = trieChild(t, intV(i));
      if (c !== null) out.push(jsonFilter(items[i], c));
    }
    return arrOf(out);
  }
  if (v.kind == K_SET) {
    let items = changetype<SetV>(v).items;
    let out = new SetV();
    for (let i = 0; i < items.length; i++) {
      let c = t.child(items[i]);
      if (c !== null) out.add(jsonFilter(items[i], c));
    }
    return out;
  }
  return v;
}

function jsonRemove(v: Value, t: PathTrie): Value | null {
  if (t.terminal) return null;
  if (v.kind == K_OBJ) {
    let o = changetype<ObjV>(v);
    let out = new ObjV();
    for (let i = 0; i < o.keys.length; i++) {
      let c = trieChild(t, o.keys[i]);
      if (c === null) out.set(o.keys[i], o.vals[i]);
      else {
        let r = jsonRemove(o.vals[i], c);
        if (r !== null) out.set(o.keys[i], r);
      }
    }
    return out;
  }
  if (v.kind == K_ARR) {
    let items = changetype<ArrV>(v).items;
    let out = new Array<Value>();
    for (let i = 0; i < items.length; i++) {
      let c = trieChild(t, intV(i));
      if (c === null) out.push(items[i]);
      else {
        let r = jsonRemove(items[i], c);
        if (r !== null) out.push(r);
      }
    }
    return arrOf(out);
  }
  if (v.kind == K_SET) {
    let items = changetype<SetV>(v).items;
    let out = new SetV();
    for (let i = 0; i < items.length; i++) {
      let c = t.child(items[i]);
      if (c === null) out.add(items[i]);
      else {
        let r = jsonRemove(items[i], c);
        if (r !== null) out.add(r);
      }
    }
    return out;
  }
  return v;
}

// ---------------------------------------------------------------- strings

function concat(delim: Value, coll: Value): Value | null {
  if (!isStr(delim)) return null;
  let items: Array<Value> | null = null;
  if (coll.kind == K_ARR) items = changetype<ArrV>(coll).items;
  else if (coll.kind == K_SET) items = sortedValues(changetype<SetV>(coll).items);
  if (items === null) return null;
  let parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    if (!isStr(items[i])) return null;
    parts[i] = str(items[i]);
  }
  return new StrV(parts.join(str(delim)));
}

function indexOfN(s: string, sub: string): ArrV {
  let out = new Array<Value>();
  let from = 0;
  while (true) {
    let u = s.indexOf(sub, from);
    if (u < 0) break;
    out.push(intV(cpIndexOf(s, u)));
    from = u + 1;
    if (from > s.length) break;
  }
  return arrOf(out);
}

function goSplit(s: string, sep: string): ArrV {
  if (sep.length == 0) {
    let cps = toCodePoints(s);
    let out = new Array<Value>(cps.length);
    for (let i = 0; i < cps.length; i++) out[i] = new StrV(String.fromCodePoint(cps[i]));
    return arrOf(out);
  }
  return strArr(s.split(sep));
}

function goReplaceAll(s: string, old: string, nw: string): string {
  if (old.length == 0) {
    let cps = toCodePoints(s);
    let parts = new Array<string>();
    parts.push(nw);
    for (let i = 0; i < cps.length; i++) {
      parts.push(String.fromCodePoint(cps[i]));
      parts.push(nw);
    }
    return parts.join("");
  }
  return s.replaceAll(old, nw);
}

function replaceN(patterns: Value, s: Value): Value | null {
  if (patterns.kind != K_OBJ || !isStr(s)) return null;
  let o = changetype<ObjV>(patterns);
  let order = sortedKeyOrder(o.keys);
  let olds = new Array<string>();
  let news = new Array<string>();
  for (let i = 0; i < order.length; i++) {
    let k = o.keys[order[i]];
    let v = o.vals[order[i]];
    if (!isStr(k) || !isStr(v)) return null;
    olds.push(str(k));
    news.push(str(v));
  }
  let text = str(s);
  let out = new Array<string>();
  let i = 0;
  let runStart = 0;
  let n = text.length;
  while (i <= n) {
    let matched = -1;
    for (let j = 0; j < olds.length; j++) {
      let p = olds[j];
      if (p.length == 0) continue;
      if (i + p.length <= n && text.substr(i, p.length) == p) {
        matched = j;
        break;
      }
    }
    if (matched >= 0) {
      out.push(text.substring(runStart, i));
      out.push(news[matched]);
      i += olds[matched].length;
      runStart = i;
    } else {
      i++;
    }
  }
  out.push(text.substring(runStart));
  return new StrV(out.join(""));
}

function substring(s: Value, start: Value, len: Value): Value | null {
  if (!isStr(s) || !isInteger(start) || !isInteger(len)) return null;
  let st = toI64(start);
  if (st < 0) return null; // negative offset
  let cps = toCodePoints(str(s));
  let n = <i64>cps.length;
  if (st >= n) return new StrV("");
  let l = toI64(len);
  let end = l < 0 || st + l > n ? n : st + l;
  return new StrV(fromCodePoints(cps, <i32>st, <i32>end));
}

function trimCut(s: string, cutset: string, left: bool, right: bool): string {
  let cps = toCodePoints(s);
  let cut = toCodePoints(cutset);
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && cut.includes(cps[a])) a++;
  if (right) while (b > a && cut.includes(cps[b - 1])) b--;
  return fromCodePoints(cps, a, b);
}

function trimSpace(s: string): string {
  let cps = toCodePoints(s);
  let a = 0;
  let b = cps.length;
  while (a < b && isSpace(cps[a])) a++;
  while (b > a && isSpace(cps[b - 1])) b--;
  return fromCodePoints(cps, a, b);
}

function formatInt(v: Value, base: Value): Value | null {
  if (!isNum(v) || !isInteger(base)) return null;
  let b = toI64(base);
  if (b != 2 && b != 8 && b != 10 && b != 16) return null;
  let n = num(v);
  let i: i64 = n.isInt ? n.i : <i64>Math.trunc(n.f);
  let neg = i < 0;
  let u: u64 = neg ? <u64>(-i) : <u64>i;
  if (u == 0) return new StrV("0");
  let digits = "";
  while (u > 0) {
    digits = "0123456789abcdef".charAt(<i32>(u % <u64>b)) + digits;
    u /= <u64>b;
  }
  return new StrV(neg ? "-" + digits : digits);
}

function countSub(s: string, sub: string): i32 {
  if (sub.length == 0) return codePointLength(s) + 1;
  let n = 0;
  let from = 0;
  while (true) {
    let i = s.indexOf(sub, from);
    if (i < 0) break;
    n++;
    from = i + sub.length;
  }
  return n;
}

// ---------------------------------------------------------------- encodings

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function b64encode(bytes: Uint8Array, alphabet: string, pad: bool): string {
  let w = new Writer();
  let n = bytes.length;
  let i = 0;
  while (i + 2 < n) {
    let x = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    w.byte(alphabet.charCodeAt((x >> 18) & 63));
    w.byte(alphabet.charCodeAt((x >> 12) & 63));
    w.byte(alphabet.charCodeAt((x >> 6) & 63));
    w.byte(alphabet.charCodeAt(x & 63));
    i += 3;
  }
  let rest = n - i;
  if (rest == 1) {
    let x = <u32>bytes[i] << 16;
    w.byte(alphabet.charCodeAt((x >> 18) & 63));
    w.byte(alphabet.charCodeAt((x >> 12) & 63));
    if (pad) w.ascii("==");
  } else if (rest == 2) {
    let x = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8);
    w.byte(alphabet.charCodeAt((x >> 18) & 63));
    w.byte(alphabet.charCodeAt((x >> 12) & 63));
    w.byte(alphabet.charCodeAt((x >> 6) & 63));
    if (pad) w.byte(0x3d);
  }
  return w.toString();
}

/** Strict decode (Go's Encoding.DecodeString): padding required iff `padded`. */
function b64decode(s: string, alphabet: string, padded: bool): Uint8Array | null {
  let n = s.length;
  if (padded && n % 4 != 0) return null;
  let out = new Array<u8>();
  let acc: u32 = 0;
  let bits = 0;
  let i = 0;
  let end = n;
  if (padded) {
    while (end > 0 && s.charCodeAt(end - 1) == 0x3d && n - end < 2) end--;
  }
  for (i = 0; i < end; i++) {
    let v = alphabet.indexOf(s.charAt(i));
    if (v < 0) return null;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push(<u8>((acc >> bits) & 0xff));
    }
  }
  if (!padded && end % 4 == 1) return null;
  if (padded && (end % 4 == 1)) return null;
  let r = new Uint8Array(out.length);
  for (let j = 0; j < out.length; j++) r[j] = out[j];
  return r;
}

function hexEncode(bytes: Uint8Array): string {
  let w = new Writer();
  for (let i = 0; i < bytes.length; i++) {
    w.byte("0123456789abcdef".charCodeAt(bytes[i] >> 4));
    w.byte("0123456789abcdef".charCodeAt(bytes[i] & 15));
  }
  return w.toString();
}

function hexNibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function hexDecode(s: string): Uint8Array | null {
  if (s.length % 2 != 0) return null;
  let out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    let h = hexNibble(s.charCodeAt(2 * i));
    let l = hexNibble(s.charCodeAt(2 * i + 1));
    if (h < 0 || l < 0) return null;
    out[i] = <u8>((h << 4) | l);
  }
  return out;
}

// ---------------------------------------------------------------- walk / membership

function walkInto(v: Value, path: Array<Value>, out: Array<Value>): void {
  let pair = new Array<Value>(2);
  pair[0] = arrOf(path.slice(0));
  pair[1] = v;
  out.push(arrOf(pair));
  if (v.kind == K_ARR) {
    let items = changetype<ArrV>(v).items;
    for (let i = 0; i < items.length; i++) {
      path.push(intV(i));
      walkInto(items[i], path, out);
      path.pop();
    }
  } else if (v.kind == K_OBJ) {
    let o = changetype<ObjV>(v);
    let order = sortedKeyOrder(o.keys);
    for (let i = 0; i < order.length; i++) {
      path.push(o.keys[order[i]]);
      walkInto(o.vals[order[i]], path, out);
      path.pop();
    }
  } else if (v.kind == K_SET) {
    let items = sortedValues(changetype<SetV>(v).items);
    for (let i = 0; i < items.length; i++) {
      path.push(items[i]);
      walkInto(items[i], path, out);
      path.pop();
    }
  }
}

function member2(x: Value, coll: Value): Value | null {
  switch (coll.kind) {
    case K_SET:
      return boolV(changetype<SetV>(coll).has(x));
    case K_ARR: {
      let items = changetype<ArrV>(coll).items;
      for (let i = 0; i < items.length; i++) if (equal(items[i], x)) return TRUE;
      return FALSE;
    }
    case K_OBJ: {
      let vals = changetype<ObjV>(coll).vals;
      for (let i = 0; i < vals.length; i++) if (equal(vals[i], x)) return TRUE;
      return FALSE;
    }
  }
  return FALSE;
}

function member3(k: Value, x: Value, coll: Value): Value | null {
  switch (coll.kind) {
    case K_ARR: {
      if (!isInteger(k)) return FALSE;
      let i = toI64(k);
      let items = changetype<ArrV>(coll).items;
      if (i < 0 || i >= <i64>items.length) return FALSE;
      return boolV(equal(items[<i32>i], x));
    }
    case K_OBJ: {
      let v = changetype<ObjV>(coll).get(k);
      return boolV(v !== null && equal(v, x));
    }
    case K_SET:
      return boolV(equal(k, x) && changetype<SetV>(coll).has(x));
  }
  return FALSE;
}

// ---------------------------------------------------------------- bits

function bits(id: i32, a: Value, b: Value | null): Value | null {
  if (!isInteger(a)) return null;
  let x = toI64(a);
  if (id == B_BITS_NEGATE) return intV(~x);
  if (b === null || !isInteger(b)) return null;
  let y = toI64(b);
  switch (id) {
    case B_BITS_OR:
      return intV(x | y);
    case B_BITS_AND:
      return intV(x & y);
    case B_BITS_XOR:
      return intV(x ^ y);
    case B_BITS_LSH: {
      if (y < 0) return null;
      if (y >= 63) return x == 0 ? intV(0) : floatV(<f64>x * Math.pow(2, <f64>y));
      let r = x << y;
      if ((r >> y) != x) return floatV(<f64>x * Math.pow(2, <f64>y));
      return intV(r);
    }
    case B_BITS_RSH:
      if (y < 0) return null;
      return intV(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
  }
  return null;
}

// ---------------------------------------------------------------- subset / flatten / any_*_match

/** A string, or an array/set of strings -> the strings; else null (type error). */
function stringsOf(v: Value): Array<string> | null {
  if (v.kind == K_STR) {
    let one = new Array<string>(1);
    one[0] = str(v);
    return one;
  }
  let items = elements(v);
  if (items === null) return null;
  let out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    if (!isStr(items[i])) return null;
    out[i] = str(items[i]);
  }
  return out;
}

/** object.subset: objects recurse, sets by membership, arrays contiguously, array vs set by membership. */
function isSubset(sup: Value, sub: Value): bool {
  if (sup.kind == K_OBJ && sub.kind == K_OBJ) {
    let so = changetype<ObjV>(sub);
    let po = changetype<ObjV>(sup);
    for (let i = 0; i < so.keys.length; i++) {
      let pv = po.get(so.keys[i]);
      if (pv === null) return false;
      let sv = so.vals[i];
      let nested = (pv.kind == K_OBJ && sv.kind == K_OBJ) || (pv.kind == K_SET && sv.kind == K_SET) || (pv.kind == K_ARR && sv.kind == K_ARR);
      if (nested ? !isSubset(pv, sv) : !equal(pv, sv)) return false;
    }
    return true;
  }
  if (sub.kind == K_SET && (sup.kind == K_SET || sup.kind == K_ARR)) {
    let items = changetype<SetV>(sub).items;
    for (let i = 0; i < items.length; i++) {
      if (sup.kind == K_SET ? !changetype<SetV>(sup).has(items[i]) : member2(items[i], sup) !== TRUE) return false;
    }
    return true;
  }
  if (sup.kind == K_ARR && sub.kind == K_ARR) {
    let p = changetype<ArrV>(sup).items;
    let q = changetype<ArrV>(sub).items;
    if (q.length == 0) return true;
    for (let i = 0; i + q.length <= p.length; i++) {
      let all = true;
      for (let j = 0; j < q.length; j++) {
        if (!equal(p[i + j], q[j])) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
  return equal(sup, sub);
}

/** array.flatten removes one level of nesting. */
function flattenInto(items: Array<Value>, out: Array<Value>): void {
  for (let i = 0; i < items.length; i++) {
    let v = items[i];
    if (v.kind == K_ARR) {
      let inner = changetype<ArrV>(v).items;
      for (let j = 0; j < inner.length; j++) out.push(inner[j]);
    } else out.push(v);
  }
}

function marshalWithOptions(v: Value, opts: Value): Value | null {
  if (opts.kind != K_OBJ) return null;
  let o = changetype<ObjV>(opts);
  let pretty = false;
  let prettySet = false;
  let prefix = "";
  let indent = "\t";
  let custom = false;
  for (let i = 0; i < o.keys.length; i++) {
    let k = o.keys[i];
    let val = o.vals[i];
    if (!isStr(k)) return null;
    let name = str(k);
    if (name == "pretty") {
      if (val.kind != K_BOOL) return null;
      pretty = changetype<BoolV>(val).b;
      prettySet = true;
    } else if (name == "prefix") {
      if (!isStr(val)) return null;
      prefix = str(val);
      custom = true;
    } else if (name == "indent") {
      if (!isStr(val)) return null;
      indent = str(val);
      custom = true;
    } else return null; // unknown key
  }
  if (!prettySet) pretty = custom;
  let w = new Writer();
  if (!pretty) {
    writeValue(w, v, false, true);
  } else {
    w.utf8(prefix);
    writePretty(w, v, prefix, indent, 0);
  }
  return new StrV(w.toString());
}

// ---------------------------------------------------------------- dispatch

const B_EQUAL = 0, B_NEQ = 1, B_LT = 2, B_LTE = 3, B_GT = 4, B_GTE = 5;
const B_PLUS = 6, B_MINUS = 7, B_MUL = 8, B_DIV = 9, B_REM = 10, B_ABS = 11, B_ROUND = 12, B_CEIL = 13, B_FLOOR = 14;
const B_RANGE = 15, B_RANGE_STEP = 16, B_TO_NUMBER = 17;
const B_IS_NUMBER = 18, B_IS_STRING = 19, B_IS_BOOLEAN = 20, B_IS_ARRAY = 21, B_IS_SET = 22, B_IS_OBJECT = 23, B_IS_NULL = 24, B_TYPE_NAME = 25;
const B_AND = 26, B_OR = 27, B_INTERSECTION = 28, B_UNION = 29, B_SET_DIFF = 30;
const B_COUNT = 31, B_SUM = 32, B_PRODUCT = 33, B_MAX = 34, B_MIN = 35, B_SORT = 36, B_ALL = 37, B_ANY = 38;
const B_ARRAY_CONCAT = 39, B_ARRAY_SLICE = 40, B_ARRAY_REVERSE = 41;
const B_OBJECT_GET = 42, B_OBJECT_KEYS = 43, B_OBJECT_REMOVE = 44, B_OBJECT_UNION = 45, B_OBJECT_UNION_N = 46, B_OBJECT_FILTER = 47;
const B_JSON_MARSHAL = 48, B_JSON_UNMARSHAL = 49, B_JSON_IS_VALID = 50, B_JSON_FILTER = 51, B_JSON_REMOVE = 52;
const B_CONCAT = 53, B_CONTAINS = 54, B_STARTSWITH = 55, B_ENDSWITH = 56, B_INDEXOF = 57, B_INDEXOF_N = 58, B_LOWER = 59, B_UPPER = 60, B_SPLIT = 61;
const B_REPLACE = 62, B_REPLACE_N = 63, B_SUBSTRING = 64, B_TRIM = 65, B_TRIM_LEFT = 66, B_TRIM_RIGHT = 67, B_TRIM_PREFIX = 68;
const B_TRIM_SUFFIX = 69, B_TRIM_SPACE = 70, B_FORMAT_INT = 71, B_STRINGS_REVERSE = 72, B_STRINGS_COUNT = 73;
const B_B64_ENCODE = 74, B_B64_DECODE = 75, B_B64_IS_VALID = 76, B_B64URL_ENCODE = 77, B_B64URL_ENCODE_NO_PAD = 78;
const B_B64URL_DECODE = 79, B_HEX_ENCODE = 80, B_HEX_DECODE = 81;
const B_BITS_OR = 82, B_BITS_AND = 83, B_BITS_XOR = 84, B_BITS_NEGATE = 85, B_BITS_LSH = 86, B_BITS_RSH = 87;
const B_WALK = 88, B_MEMBER_2 = 89, B_MEMBER_3 = 90, B_GLOB_MATCH = 91, B_CIDR_CONTAINS = 92;
const B_ANY_PREFIX = 93, B_ANY_SUFFIX = 94, B_OBJECT_SUBSET = 95, B_ARRAY_FLATTEN = 96, B_JSON_MARSHAL_OPTS = 97;

export function callNative(id: i32, args: Array<Value>): Value | null {
  let n = args.length;
  let a: Value = n > 0 ? unchecked(args[0]) : NULL;
  let b: Value = n > 1 ? unchecked(args[1]) : NULL;
  let c: Value = n > 2 ? unchecked(args[2]) : NULL;
  switch (id) {
    case B_EQUAL:
      return boolV(equal(a, b));
    case B_NEQ:
      return boolV(!equal(a, b));
    case B_LT:
      return boolV(compare(a, b) < 0);
    case B_LTE:
      return boolV(compare(a, b) <= 0);
    case B_GT:
      return boolV(compare(a, b) > 0);
    case B_GTE:
      return boolV(compare(a, b) >= 0);
    case B_PLUS:
      if (!isNum(a) || !isNum(b)) return null;
      return addNum(num(a), num(b), 1);
    case B_MINUS:
      if (isNum(a) && isNum(b)) return addNum(num(a), num(b), -1);
      if (a.kind == K_SET && b.kind == K_SET) return setDiff(changetype<SetV>(a), changetype<SetV>(b));
      return null;
    case B_MUL:
      if (!isNum(a) || !isNum(b)) return null;
      return mulNum(num(a), num(b));
    case B_DIV:
      if (!isNum(a) || !isNum(b)) return null;
      return divNum(num(a), num(b));
    case B_REM:
      if (!isNum(a) || !isNum(b)) return null;
      return remNum(num(a), num(b));
    case B_ABS:
    case B_ROUND:
    case B_CEIL:
    case B_FLOOR:
      return unaryNum(id, a);
    case B_RANGE:
      return numbersRange(a, b, 1);
    case B_RANGE_STEP:
      if (!isInteger(c)) return null;
      return numbersRange(a, b, toI64(c));
    case B_TO_NUMBER:
      return toNumber(a);
    case B_IS_NUMBER:
      return boolV(a.kind == K_NUM);
    case B_IS_STRING:
      return boolV(a.kind == K_STR);
    case B_IS_BOOLEAN:
      return boolV(a.kind == K_BOOL);
    case B_IS_ARRAY:
      return boolV(a.kind == K_ARR);
    case B_IS_SET:
      return boolV(a.kind == K_SET);
    case B_IS_OBJECT:
      return boolV(a.kind == K_OBJ);
    case B_IS_NULL:
      return boolV(a.kind == K_NULL);
    case B_TYPE_NAME:
      return new StrV(typeName(a));
    case B_AND:
      if (a.kind != K_SET || b.kind != K_SET) return null;
      return setAnd(changetype<SetV>(a), changetype<SetV>(b));
    case B_OR:
      if (a.kind != K_SET || b.kind != K_SET) return null;
      return setOr(changetype<SetV>(a), changetype<SetV>(b));
    case B_SET_DIFF:
      if (a.kind != K_SET || b.kind != K_SET) return null;
      return setDiff(changetype<SetV>(a), changetype<SetV>(b));
    case B_INTERSECTION:
    case B_UNION: {
      if (a.kind != K_SET) return null;
      let sets = changetype<SetV>(a).items;
      for (let i = 0; i < sets.length; i++) if (sets[i].kind != K_SET) return null;
      if (id == B_UNION) {
        let out = new SetV();
        for (let i = 0; i < sets.length; i++) out = setOr(out, changetype<SetV>(sets[i]));
        return out;
      }
      if (sets.length == 0) return new SetV();
      let acc = changetype<SetV>(sets[0]);
      for (let i = 1; i < sets.length; i++) acc = setAnd(acc, changetype<SetV>(sets[i]));
      return acc;
    }
    case B_COUNT:
    case B_SUM:
    case B_PRODUCT:
    case B_MAX:
    case B_MIN:
    case B_SORT:
    case B_ALL:
    case B_ANY:
      return aggregate(id, a);
    case B_ARRAY_CONCAT: {
      if (a.kind != K_ARR || b.kind != K_ARR) return null;
      return arrOf(changetype<ArrV>(a).items.concat(changetype<ArrV>(b).items));
    }
    case B_ARRAY_SLICE: {
      if (a.kind != K_ARR || !isInteger(b) || !isInteger(c)) return null;
      let items = changetype<ArrV>(a).items;
      let len = <i64>items.length;
      let st = toI64(b);
      let en = toI64(c);
      if (st < 0) st = 0;
      if (en > len) en = len;
      if (st >= en) return arrOf(new Array<Value>());
      return arrOf(items.slice(<i32>st, <i32>en));
    }
    case B_ARRAY_REVERSE: {
      if (a.kind != K_ARR) return null;
      let r = changetype<ArrV>(a).items.slice(0);
      r.reverse();
      return arrOf(r);
    }
    case B_OBJECT_GET:
      return objectGet(a, b, c);
    case B_OBJECT_KEYS: {
      if (a.kind != K_OBJ) return null;
      let out = new SetV();
      let keys = changetype<ObjV>(a).keys;
      for (let i = 0; i < keys.length; i++) out.add(keys[i]);
      return out;
    }
    case B_OBJECT_REMOVE:
      return objectRemove(a, b, false);
    case B_OBJECT_FILTER:
      return objectRemove(a, b, true);
    case B_OBJECT_UNION:
      if (a.kind != K_OBJ || b.kind != K_OBJ) return null;
      return objectUnion(changetype<ObjV>(a), changetype<ObjV>(b));
    case B_OBJECT_UNION_N: {
      if (a.kind != K_ARR) return null;
      let items = changetype<ArrV>(a).items;
      let acc = new ObjV();
      for (let i = 0; i < items.length; i++) {
        if (items[i].kind != K_OBJ) return null;
        acc = objectUnion(acc, changetype<ObjV>(items[i]));
      }
      return acc;
    }
    case B_JSON_MARSHAL: {
      let w = new Writer();
      writeValue(w, a, false, true);
      return new StrV(w.toString());
    }
    case B_JSON_UNMARSHAL:
      if (!isStr(a)) return null;
      return parseJsonString(str(a));
    case B_JSON_IS_VALID:
      if (!isStr(a)) return FALSE;
      return boolV(parseJsonString(str(a)) !== null);
    case B_JSON_FILTER:
    case B_JSON_REMOVE: {
      if (a.kind != K_OBJ) return null;
      let paths = jsonPaths(b);
      if (paths === null) return null;
      let t = new PathTrie();
      for (let i = 0; i < paths.length; i++) t.add(paths[i]);
      if (id == B_JSON_FILTER) return jsonFilter(a, t);
      let r = jsonRemove(a, t);
      return r === null ? new ObjV() : r;
    }
    case B_CONCAT:
      return concat(a, b);
    case B_CONTAINS:
      if (!isStr(a) || !isStr(b)) return null;
      return boolV(str(a).includes(str(b)));
    case B_STARTSWITH:
      if (!isStr(a) || !isStr(b)) return null;
      return boolV(str(a).startsWith(str(b)));
    case B_ENDSWITH:
      if (!isStr(a) || !isStr(b)) return null;
      return boolV(str(a).endsWith(str(b)));
    case B_INDEXOF: {
      if (!isStr(a) || !isStr(b)) return null;
      let u = str(a).indexOf(str(b));
      return intV(u < 0 ? -1 : cpIndexOf(str(a), u));
    }
    case B_INDEXOF_N:
      if (!isStr(a) || !isStr(b)) return null;
      return indexOfN(str(a), str(b));
    case B_LOWER:
      if (!isStr(a)) return null;
      return new StrV(str(a).toLowerCase());
    case B_UPPER:
      if (!isStr(a)) return null;
      return new StrV(str(a).toUpperCase());
    case B_SPLIT:
      if (!isStr(a) || !isStr(b)) return null;
      return goSplit(str(a), str(b));
    case B_REPLACE:
      if (!isStr(a) || !isStr(b) || !isStr(c)) return null;
      return new StrV(goReplaceAll(str(a), str(b), str(c)));
    case B_REPLACE_N:
      return replaceN(a, b);
    case B_SUBSTRING:
      return substring(a, b, c);
    case B_TRIM:
    case B_TRIM_LEFT:
    case B_TRIM_RIGHT:
      if (!isStr(a) || !isStr(b)) return null;
      return new StrV(trimCut(str(a), str(b), id != B_TRIM_RIGHT, id != B_TRIM_LEFT));
    case B_TRIM_PREFIX:
      if (!isStr(a) || !isStr(b)) return null;
      return str(a).startsWith(str(b)) ? new StrV(str(a).substring(str(b).length)) : a;
    case B_TRIM_SUFFIX:
      if (!isStr(a) || !isStr(b)) return null;
      return str(a).endsWith(str(b)) ? new StrV(str(a).substring(0, str(a).length - str(b).length)) : a;
    case B_TRIM_SPACE:
      if (!isStr(a)) return null;
      return new StrV(trimSpace(str(a)));
    case B_FORMAT_INT:
      return formatInt(a, b);
    case B_STRINGS_REVERSE: {
      if (!isStr(a)) return null;
      let cps = toCodePoints(str(a));
      cps.reverse();
      return new StrV(fromCodePoints(cps));
    }
    case B_STRINGS_COUNT:
      if (!isStr(a) || !isStr(b)) return null;
      return intV(countSub(str(a), str(b)));
    case B_B64_ENCODE:
      if (!isStr(a)) return null;
      return new StrV(b64encode(utf8Bytes(str(a)), B64, true));
    case B_B64URL_ENCODE:
      if (!isStr(a)) return null;
      return new StrV(b64encode(utf8Bytes(str(a)), B64URL, true));
    case B_B64URL_ENCODE_NO_PAD:
      if (!isStr(a)) return null;
      return new StrV(b64encode(utf8Bytes(str(a)), B64URL, false));
    case B_B64_DECODE: {
      if (!isStr(a)) return null;
      let r = b64decode(str(a), B64, true);
      return r === null ? null : new StrV(bytesToString(r));
    }
    case B_B64_IS_VALID:
      if (!isStr(a)) return null;
      return boolV(b64decode(str(a), B64, true) !== null);
    case B_B64URL_DECODE: {
      if (!isStr(a)) return null;
      let s = str(a);
      // OPA accepts both padded and unpadded input.
      let r = s.endsWith("=") || s.length % 4 == 0 ? b64decode(s, B64URL, true) : b64decode(s, B64URL, false);
      return r === null ? null : new StrV(bytesToString(r));
    }
    case B_HEX_ENCODE:
      if (!isStr(a)) return null;
      return new StrV(hexEncode(utf8Bytes(str(a))));
    case B_HEX_DECODE: {
      if (!isStr(a)) return null;
      let r = hexDecode(str(a));
      return r === null ? null : new StrV(bytesToString(r));
    }
    case B_BITS_OR:
    case B_BITS_AND:
    case B_BITS_XOR:
    case B_BITS_LSH:
    case B_BITS_RSH:
      return bits(id, a, b);
    case B_BITS_NEGATE:
      return bits(id, a, null);
    case B_WALK: {
      let out = new Array<Value>();
      walkInto(a, new Array<Value>(), out);
      return arrOf(out);
    }
    case B_MEMBER_2:
      return member2(a, b);
    case B_MEMBER_3:
      return member3(a, b, c);
    case B_GLOB_MATCH: {
      if (!isStr(a) || !isStr(c)) return null;
      let delims = new Array<i32>();
      if (b.kind == K_ARR) {
        let items = changetype<ArrV>(b).items;
        for (let i = 0; i < items.length; i++) {
          if (!isStr(items[i])) return null;
          let cps = toCodePoints(str(items[i]));
          if (cps.length > 0) delims.push(cps[0]);
        }
        if (items.length == 0) delims.push(0x2e);
      } else if (b.kind != K_NULL) return null;
      let r = globMatch(str(a), delims, str(c));
      return r < 0 ? null : boolV(r == 1);
    }
    case B_ANY_PREFIX:
    case B_ANY_SUFFIX: {
      let xs = stringsOf(a);
      let ys = stringsOf(b);
      if (xs === null || ys === null) return null;
      for (let i = 0; i < xs.length; i++) {
        for (let j = 0; j < ys.length; j++) {
          if (id == B_ANY_PREFIX ? xs[i].startsWith(ys[j]) : xs[i].endsWith(ys[j])) return TRUE;
        }
      }
      return FALSE;
    }
    case B_OBJECT_SUBSET: {
      let ok = (a.kind == K_OBJ && b.kind == K_OBJ) || (a.kind == K_SET && b.kind == K_SET) ||
        (a.kind == K_ARR && (b.kind == K_ARR || b.kind == K_SET));
      if (!ok) return null;
      return boolV(isSubset(a, b));
    }
    case B_ARRAY_FLATTEN: {
      if (a.kind != K_ARR) return null;
      let out = new Array<Value>();
      flattenInto(changetype<ArrV>(a).items, out);
      return arrOf(out);
    }
    case B_JSON_MARSHAL_OPTS:
      return marshalWithOptions(a, b);
    case B_CIDR_CONTAINS: {
      if (!isStr(a) || !isStr(b)) return null;
      let r = cidrContains(str(a), str(b));
      return r < 0 ? null : boolV(r == 1);
    }
  }
  return null;
}
