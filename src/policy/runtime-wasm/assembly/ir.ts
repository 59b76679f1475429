// Decodes the IR JSON (src/policy/compiler/ir/types.ts) once, at instantiation, into
// AS objects with integer opcodes and pre-resolved calls and constants.
import { Value, StrV, ObjV, ArrV, NumV, BoolV, K_STR, K_NUM, K_ARR, K_OBJ, K_BOOL, TRUE, FALSE, intV } from "./values";
import { parseJson, numberFromText } from "./json";
import { nativeBuiltinId } from "./builtins";
import { abortMsg } from "./env";
import { internPersistent, persistentTable } from "./intern";

export const OP_BLOCK: i32 = 1;
export const OP_BREAK: i32 = 2;
export const OP_NOT: i32 = 3;
export const OP_SCAN: i32 = 4;
export const OP_WITH: i32 = 5;
export const OP_NOP: i32 = 6;
export const OP_CALL: i32 = 7;
export const OP_CALL_DYNAMIC: i32 = 8;
export const OP_RETURN_LOCAL: i32 = 9;
export const OP_DOT: i32 = 10;
export const OP_LEN: i32 = 11;
export const OP_IS_ARRAY: i32 = 12;
export const OP_IS_OBJECT: i32 = 13;
export const OP_IS_SET: i32 = 14;
export const OP_IS_DEFINED: i32 = 15;
export const OP_IS_UNDEFINED: i32 = 16;
export const OP_EQUAL: i32 = 17;
export const OP_NOT_EQUAL: i32 = 18;
export const OP_ASSIGN_VAR: i32 = 19;
export const OP_ASSIGN_VAR_ONCE: i32 = 20;
export const OP_ASSIGN_INT: i32 = 21;
export const OP_RESET_LOCAL: i32 = 22;
export const OP_MAKE_NULL: i32 = 23;
export const OP_MAKE_NUMBER_INT: i32 = 24;
export const OP_MAKE_NUMBER_REF: i32 = 25;
export const OP_MAKE_CONST: i32 = 26;
export const OP_MAKE_ARRAY: i32 = 27;
export const OP_MAKE_OBJECT: i32 = 28;
export const OP_MAKE_SET: i32 = 29;
export const OP_ARRAY_APPEND: i32 = 30;
export const OP_OBJECT_INSERT: i32 = 31;
export const OP_OBJECT_INSERT_ONCE: i32 = 32;
export const OP_OBJECT_MERGE: i32 = 33;
export const OP_SET_ADD: i32 = 34;
export const OP_RESULT_SET_ADD: i32 = 35;
// Specialised forms chosen at decode time (same semantics as their general statement):
/** Dot whose key is a constant string (`input.x.y`): b holds the StrV. */
export const OP_DOT_STR: i32 = 36;
/** Equal / NotEqual with one constant operand (normalised into b; value in `konst`). */
export const OP_EQUAL_CONST: i32 = 37;
export const OP_NOT_EQUAL_CONST: i32 = 38;

/** Call targets. */
export const CALL_FUNC: i32 = 0;
export const CALL_NATIVE: i32 = 1;
export const CALL_HOST: i32 = 2;
export const CALL_UNKNOWN: i32 = 3;

export class Operand {
  /** -1 for a constant. */
  local: i32 = -1;
  value: Value | null = null;
}

export class Stmt {
  op: i32 = 0;
  file: i32 = 0;
  row: i32 = 0;
  col: i32 = 0;
  a: Operand | null = null; // source / a / value / key
  b: Operand | null = null; // key / b / value
  c: Operand | null = null; // value (ObjectInsert)
  target: i32 = -1; // target / result / array / object / set / local
  l1: i32 = -1; // Scan key, ObjectMerge a
  l2: i32 = -1; // Scan value, ObjectMerge b
  n: i32 = 0; // Break index, MakeArray capacity, OP_DOT_STR key-slot hint
  /** Local of operand a for the specialised ops (OP_DOT_STR, OP_*EQUAL_CONST). */
  la: i32 = -1;
  /** Scan whose body starts with `Dot value["k"] -> t; Equal/NotEqual t const` (a filter). */
  guard: bool = false;
  konst: Value | null = null; // MakeNumber*/MakeConst value
  block: Array<Stmt> | null = null;
  blocks: Array<Array<Stmt>> | null = null;
  args: Array<Operand> | null = null;
  /** Builtin calls: argument values, refilled on every execution (no per-call array). */
  scratch: Array<Value> | null = null;
  largs: Array<i32> | null = null;
  path: Array<Operand> | null = null; // CallDynamic
  withPath: Array<Value> | null = null;
  callKind: i32 = 0;
  callIndex: i32 = 0;
  name: string = "";
}

export class Func {
  name: string = "";
  params: Array<i32> = new Array<i32>();
  ret: i32 = 0;
  blocks: Array<Array<Stmt>> = new Array<Array<Stmt>>();
  nlocals: i32 = 2;
  memo: bool = false;
  /** Functions with parameters beyond input and data: memoised per evaluation by their
   *  scalar arguments (Rego functions are pure; see interp.ts callFunctionStmt). */
  argMemo: bool = false;
  index: i32 = 0;
}

export class Plan {
  name: string = "";
  blocks: Array<Array<Stmt>> = new Array<Array<Stmt>>();
  nlocals: i32 = 2;
}

export class Policy {
  strings: Array<StrV> = new Array<StrV>();
  files: Array<string> = new Array<string>();
  consts: Array<Value> = new Array<Value>();
  plans: Array<Plan> = new Array<Plan>();
  funcs: Array<Func> = new Array<Func>();
  funcByName: Map<string, i32> = new Map<string, i32>();
  funcByPath: Map<string, i32> = new Map<string, i32>();
  /** Builtin names published to the host with their ids (index in static.builtins). */
  hostNames: Array<string> = new Array<string>();
  hostIds: Array<i32> = new Array<i32>();
  hostArity: Map<i32, i32> = new Map<i32, i32>();
  hostByName: Map<string, i32> = new Map<string, i32>();
  builtinCount: i32 = 0;
  extraHost: i32 = 0;
}

function field(o: ObjV, name: string): Value | null {
  return o.getStr(name);
}

function must(o: ObjV, name: string): Value {
  let v = o.getStr(name);
  if (v === null) abortMsg("internal: malformed IR: missing " + name);
  return changetype<Value>(v);
}

function int(v: Value | null): i32 {
  if (v === null || v.kind != K_NUM) return 0;
  let n = changetype<NumV>(v);
  return n.isInt ? <i32>n.i : <i32>n.f;
}

function str(v: Value | null): string {
  if (v === null || v.kind != K_STR) return "";
  return changetype<StrV>(v).s;
}

function arr(v: Value | null): Array<Value> {
  if (v === null || v.kind != K_ARR) return new Array<Value>();
  return changetype<ArrV>(v).items;
}

/** Joins path segments with NUL (cannot appear in Rego identifiers of data paths... keys may
 *  contain anything else). */
export function pathKey(parts: Array<string>): string {
  return parts.join("\u0000");
}

class Decoder {
  maxLocal: i32 = 1;
  addsResults: bool = false;
  constructor(public policy: Policy) {}

  local(v: Value | null): i32 {
    let l = int(v);
    if (l > this.maxLocal) this.maxLocal = l;
    return l;
  }

  operand(v: Value | null): Operand {
    let op = new Operand();
    if (v === null || v.kind != K_OBJ) abortMsg("internal: malformed IR operand");
    let o = changetype<ObjV>(v);
    let l = o.getStr("local");
    if (l !== null) {
      op.local = this.local(l);
      return op;
    }
    let b = o.getStr("bool");
    if (b !== null) {
      op.value = b.kind == K_BOOL && changetype<BoolV>(b).b ? TRUE : FALSE;
      return op;
    }
    let s = o.getStr("str");
    if (s !== null) {
      op.value = this.policy.strings[int(s)];
      return op;
    }
    abortMsg("internal: malformed IR operand");
    return op;
  }

  block(v: Value | null): Array<Stmt> {
    let items = arr(v);
    let out = new Array<Stmt>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = this.stmt(items[i]);
    return out;
  }

  blocks(v: Value | null): Array<Array<Stmt>> {
    let items = arr(v);
    let out = new Array<Array<Stmt>>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = this.block(items[i]);
    return out;
  }

  stmt(v: Value): Stmt {
    if (v.kind != K_OBJ) abortMsg("internal: malformed IR statement");
    let o = changetype<ObjV>(v);
    let s = new Stmt();
    let op = str(o.getStr("op"));
    let loc = o.getStr("loc");
    if (loc !== null && loc.kind == K_ARR) {
      let l = changetype<ArrV>(loc).items;
      if (l.length >= 3) {
        s.file = int(l[0]);
        s.row = int(l[1]);
        s.col = int(l[2]);
      }
    }
    let p = this.policy;
    if (op == "Block") {
      s.op = OP_BLOCK;
      s.blocks = this.blocks(o.getStr("blocks"));
    } else if (op == "Break") {
      s.op = OP_BREAK;
      s.n = int(o.getStr("index"));
    } else if (op == "Not") {
      s.op = OP_NOT;
      s.block = this.block(o.getStr("block"));
    } else if (op == "Scan") {
      s.op = OP_SCAN;
      s.a = this.localOperand(o.getStr("source"));
      s.l1 = this.local(o.getStr("key"));
      s.l2 = this.local(o.getStr("value"));
      s.block = this.block(o.getStr("block"));
      let body = changetype<Array<Stmt>>(s.block);
      if (body.length >= 2) {
        let g0 = body[0];
        let g1 = body[1];
        s.guard = g0.op == OP_DOT_STR && g0.la == s.l2 &&
          (g1.op == OP_EQUAL_CONST || g1.op == OP_NOT_EQUAL_CONST) && g1.la == g0.target;
      }
    } else if (op == "With") {
      s.op = OP_WITH;
      s.target = this.local(o.getStr("local"));
      let parts = arr(o.getStr("path"));
      let wp = new Array<Value>(parts.length);
      for (let i = 0; i < parts.length; i++) wp[i] = p.strings[int(parts[i])];
      s.withPath = wp;
      s.a = this.operand(o.getStr("value"));
      s.block = this.block(o.getStr("block"));
    } else if (op == "Nop") {
      s.op = OP_NOP;
    } else if (op == "Call") {
      s.op = OP_CALL;
      let name = str(o.getStr("func"));
      s.name = name;
      let args = arr(o.getStr("args"));
      let ops = new Array<Operand>(args.length);
      for (let i = 0; i < args.length; i++) ops[i] = this.operand(args[i]);
      s.args = ops;
      s.scratch = new Array<Value>(args.length);
      s.target = this.local(o.getStr("result"));
      if (p.funcByName.has(name)) {
        s.callKind = CALL_FUNC;
        s.callIndex = p.funcByName.get(name);
      } else {
        let nid = nativeBuiltinId(name, args.length);
        if (nid >= 0) {
          s.callKind = CALL_NATIVE;
          s.callIndex = nid;
        } else {
          // Builtins missing from static.builtins are published to the host too (ids after
          // the listed ones), so a forgotten entry still reaches customBuiltins.
          if (!p.hostByName.has(name)) {
            let id = p.builtinCount + p.extraHost++;
            p.hostNames.push(name);
            p.hostIds.push(id);
            p.hostArity.set(id, args.length);
            p.hostByName.set(name, id);
          }
          s.callKind = CALL_HOST;
          s.callIndex = p.hostByName.get(name);
        }
      }
    } else if (op == "CallDynamic") {
      s.op = OP_CALL_DYNAMIC;
      let parts = arr(o.getStr("path"));
      let ops = new Array<Operand>(parts.length);
      for (let i = 0; i < parts.length; i++) ops[i] = this.operand(parts[i]);
      s.path = ops;
      let args = arr(o.getStr("args"));
      let ls = new Array<i32>(args.length);
      for (let i = 0; i < args.length; i++) ls[i] = this.local(args[i]);
      s.largs = ls;
      s.target = this.local(o.getStr("result"));
    } else if (op == "ReturnLocal") {
      s.op = OP_RETURN_LOCAL;
      s.target = this.local(o.getStr("source"));
    } else if (op == "Dot") {
      s.op = OP_DOT;
      s.a = this.operand(o.getStr("source"));
      s.b = this.operand(o.getStr("key"));
      s.target = this.local(o.getStr("target"));
      let kv = changetype<Operand>(s.b).value;
      if (changetype<Operand>(s.a).local >= 0 && kv !== null && kv.kind == K_STR) {
        s.op = OP_DOT_STR;
        s.konst = kv;
        s.la = changetype<Operand>(s.a).local;
      }
    } else if (op == "Len") {
      s.op = OP_LEN;
      s.a = this.operand(o.getStr("source"));
      s.target = this.local(o.getStr("target"));
    } else if (op == "IsArray") {
      s.op = OP_IS_ARRAY;
      s.a = this.operand(o.getStr("source"));
    } else if (op == "IsObject") {
      s.op = OP_IS_OBJECT;
      s.a = this.operand(o.getStr("source"));
    } else if (op == "IsSet") {
      s.op = OP_IS_SET;
      s.a = this.operand(o.getStr("source"));
    } else if (op == "IsDefined") {
      s.op = OP_IS_DEFINED;
      s.target = this.local(o.getStr("source"));
    } else if (op == "IsUndefined") {
      s.op = OP_IS_UNDEFINED;
      s.target = this.local(o.getStr("source"));
    } else if (op == "Equal" || op == "NotEqual") {
      s.op = op == "Equal" ? OP_EQUAL : OP_NOT_EQUAL;
      s.a = this.operand(o.getStr("a"));
      s.b = this.operand(o.getStr("b"));
      let x = changetype<Operand>(s.a);
      let y = changetype<Operand>(s.b);
      if ((x.local >= 0) != (y.local >= 0)) {
        // One side constant: keep the local in a, the constant in konst (equality is symmetric).
        if (x.local < 0) {
          s.a = y;
          s.b = x;
        }
        s.konst = changetype<Operand>(s.b).value;
        s.la = changetype<Operand>(s.a).local;
        s.op = op == "Equal" ? OP_EQUAL_CONST : OP_NOT_EQUAL_CONST;
      }
    } else if (op == "AssignVar" || op == "AssignVarOnce") {
      s.op = op == "AssignVar" ? OP_ASSIGN_VAR : OP_ASSIGN_VAR_ONCE;
      s.a = this.operand(o.getStr("source"));
      s.target = this.local(o.getStr("target"));
    } else if (op == "AssignInt" || op == "MakeNumberInt") {
      s.op = op == "AssignInt" ? OP_ASSIGN_INT : OP_MAKE_NUMBER_INT;
      let v = o.getStr("value");
      let k: Value = intV(0);
      if (v !== null && v.kind == K_NUM) k = v;
      s.konst = k;
      s.target = this.local(o.getStr("target"));
    } else if (op == "ResetLocal") {
      s.op = OP_RESET_LOCAL;
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeNull") {
      s.op = OP_MAKE_NULL;
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeNumberRef") {
      s.op = OP_MAKE_NUMBER_REF;
      s.konst = numberFromText(p.strings[int(o.getStr("index"))].s);
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeConst") {
      s.op = OP_MAKE_CONST;
      s.konst = p.consts[int(o.getStr("index"))];
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeArray") {
      s.op = OP_MAKE_ARRAY;
      s.n = int(o.getStr("capacity"));
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeObject") {
      s.op = OP_MAKE_OBJECT;
      s.target = this.local(o.getStr("target"));
    } else if (op == "MakeSet") {
      s.op = OP_MAKE_SET;
      s.target = this.local(o.getStr("target"));
    } else if (op == "ArrayAppend") {
      s.op = OP_ARRAY_APPEND;
      s.a = this.operand(o.getStr("value"));
      s.target = this.local(o.getStr("array"));
    } else if (op == "ObjectInsert" || op == "ObjectInsertOnce") {
      s.op = op == "ObjectInsert" ? OP_OBJECT_INSERT : OP_OBJECT_INSERT_ONCE;
      s.a = this.operand(o.getStr("key"));
      s.b = this.operand(o.getStr("value"));
      s.target = this.local(o.getStr("object"));
    } else if (op == "ObjectMerge") {
      s.op = OP_OBJECT_MERGE;
      s.l1 = this.local(o.getStr("a"));
      s.l2 = this.local(o.getStr("b"));
      s.target = this.local(o.getStr("target"));
    } else if (op == "SetAdd") {
      s.op = OP_SET_ADD;
      s.a = this.operand(o.getStr("value"));
      s.target = this.local(o.getStr("set"));
    } else if (op == "ResultSetAdd") {
      s.op = OP_RESULT_SET_ADD;
      this.addsResults = true;
      s.target = this.local(o.getStr("value"));
    } else {
      abortMsg("internal: unknown IR statement " + asciiOnly(op));
    }
    return s;
  }

  localOperand(v: Value | null): Operand {
    let op = new Operand();
    op.local = this.local(v);
    return op;
  }
}

export function asciiOnly(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "?";
  }
  return out;
}

export function decodePolicy(addr: usize, len: usize): Policy {
  let p = new Policy();
  if (len == 0) return p;
  let root = parseJson(addr, len);
  if (root === null || root.kind != K_OBJ) {
    abortMsg("internal: malformed IR");
    return p;
  }
  let o = changetype<ObjV>(root);
  let st = changetype<ObjV>(must(o, "static"));
  let strings = arr(st.getStr("strings"));
  // Interned: input keys equal to these constants become these very objects (intern.ts).
  for (let i = 0; i < strings.length; i++) p.strings.push(internPersistent(new StrV(str(strings[i]))));
  let files = arr(st.getStr("files"));
  for (let i = 0; i < files.length; i++) p.files.push(str(files[i]));
  let consts = arr(st.getStr("consts"));
  for (let i = 0; i < consts.length; i++) {
    let text = str(consts[i]);
    let buf = String.UTF8.encode(text, false);
    let v = parseJson(changetype<usize>(buf), <usize>buf.byteLength, persistentTable());
    if (v === null) abortMsg("internal: malformed IR constant");
    p.consts.push(changetype<Value>(v));
  }
  let builtins = arr(st.getStr("builtins"));
  p.builtinCount = builtins.length;
  for (let i = 0; i < builtins.length; i++) {
    let b = changetype<ObjV>(builtins[i]);
    let name = str(b.getStr("name"));
    let arity = int(b.getStr("arity"));
    if (nativeBuiltinId(name, arity) >= 0) continue;
    if (p.hostByName.has(name)) continue;
    p.hostNames.push(name);
    p.hostIds.push(i);
    p.hostArity.set(i, arity);
    p.hostByName.set(name, i);
  }
  // Functions first (names are needed to resolve calls).
  let funcs = arr(o.getStr("funcs"));
  for (let i = 0; i < funcs.length; i++) {
    let fo = changetype<ObjV>(funcs[i]);
    let f = new Func();
    f.index = i;
    f.name = str(fo.getStr("name"));
    let params = arr(fo.getStr("params"));
    for (let j = 0; j < params.length; j++) f.params.push(int(params[j]));
    f.ret = int(fo.getStr("return"));
    f.memo = params.length == 2 && int(params[0]) == 0 && int(params[1]) == 1;
    f.argMemo = params.length > 2 && int(params[0]) == 0 && int(params[1]) == 1;
    let path = arr(fo.getStr("path"));
    let parts = new Array<string>(path.length);
    for (let j = 0; j < path.length; j++) parts[j] = str(path[j]);
    p.funcs.push(f);
    p.funcByName.set(f.name, i);
    if (parts.length > 0) p.funcByPath.set(pathKey(parts), i);
  }
  for (let i = 0; i < funcs.length; i++) {
    let fo = changetype<ObjV>(funcs[i]);
    let f = p.funcs[i];
    let d = new Decoder(p);
    for (let j = 0; j < f.params.length; j++) if (f.params[j] > d.maxLocal) d.maxLocal = f.params[j];
    if (f.ret > d.maxLocal) d.maxLocal = f.ret;
    f.blocks = d.blocks(fo.getStr("blocks"));
    f.nlocals = d.maxLocal + 1;
    // A function that adds to the result set has an effect a memo hit would skip.
    if (d.addsResults) {
      f.memo = false;
      f.argMemo = false;
    }
  }
  let plans = arr(o.getStr("plans"));
  for (let i = 0; i < plans.length; i++) {
    let po = changetype<ObjV>(plans[i]);
    let pl = new Plan();
    pl.name = str(po.getStr("name"));
    let d = new Decoder(p);
    pl.blocks = d.blocks(po.getStr("blocks"));
    pl.nlocals = d.maxLocal + 1;
    p.plans.push(pl);
  }
  return p;
}
