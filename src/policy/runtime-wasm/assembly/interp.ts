// The IR interpreter: executes plans and functions exactly per the semantics documented in
// src/policy/compiler/ir/types.ts (break counts, Scan/Not/With/Block rules, conflicts,
// per-evaluation memo of plain rules cleared around With, CallDynamic by path).
import {
  Value, ObjV, ArrV, SetV, StrV, NumV, NULL, K_OBJ, K_ARR, K_SET, K_STR, K_NUM,
  intV, equal, codePointLength, isInteger, toI64,
} from "./values";
import {
  Policy, Func, Stmt, Operand, pathKey,
  OP_BLOCK, OP_BREAK, OP_NOT, OP_SCAN, OP_WITH, OP_NOP, OP_CALL, OP_CALL_DYNAMIC,
  OP_RETURN_LOCAL, OP_DOT, OP_LEN, OP_IS_ARRAY, OP_IS_OBJECT, OP_IS_SET, OP_IS_DEFINED,
  OP_IS_UNDEFINED, OP_EQUAL, OP_NOT_EQUAL, OP_ASSIGN_VAR, OP_ASSIGN_VAR_ONCE, OP_ASSIGN_INT,
  OP_RESET_LOCAL, OP_MAKE_NULL, OP_MAKE_NUMBER_INT, OP_MAKE_NUMBER_REF, OP_MAKE_CONST,
  OP_MAKE_ARRAY, OP_MAKE_OBJECT, OP_MAKE_SET, OP_ARRAY_APPEND, OP_OBJECT_INSERT,
  OP_OBJECT_INSERT_ONCE, OP_OBJECT_MERGE, OP_SET_ADD, OP_RESULT_SET_ADD,
  CALL_FUNC, CALL_NATIVE, CALL_HOST, asciiOnly,
} from "./ir";
import { callNative } from "./builtins";
import { abortMsg, opa_builtin0, opa_builtin1, opa_builtin2, opa_builtin3, opa_builtin4 } from "./env";

/** Break count large enough to unwind every enclosing block of a function (ReturnLocal). */
const RETURN_BREAK: i32 = 0x3fffffff;

class Frame {
  locals: StaticArray<Value | null>;
  returned: bool = false;
  retVal: Value | null = null;
  constructor(n: i32) {
    this.locals = new StaticArray<Value | null>(n);
  }
}

/** Marks "memoised as undefined". */
class MemoUndefined extends Value {
  constructor() {
    super(-1);
  }
}
const MEMO_UNDEFINED: Value = new MemoUndefined();

// Per-evaluation state (re-created at the start of every evaluation: the heap is rewound).
let policy: Policy = new Policy();
let memo: StaticArray<Value | null> = new StaticArray<Value | null>(0);
let results: SetV = new SetV();

export function setPolicy(p: Policy): void {
  policy = p;
}

export function currentPolicy(): Policy {
  return policy;
}

function runtimeError(s: Stmt, msg: string): void {
  let file = s.file >= 0 && s.file < policy.files.length ? policy.files[s.file] : "";
  abortMsg(asciiOnly(file) + ":" + s.row.toString() + ":" + s.col.toString() + ": " + msg);
}

// @ts-ignore: decorator
@inline function operand(fr: Frame, op: Operand | null): Value | null {
  let o = changetype<Operand>(op);
  return o.local >= 0 ? unchecked(fr.locals[o.local]) : o.value;
}

/** Rego lookup: object by key, array by integral index, set by membership. */
export function dot(src: Value, key: Value): Value | null {
  let k = src.kind;
  if (k == K_OBJ) return changetype<ObjV>(src).get(key);
  if (k == K_ARR) {
    if (key.kind != K_NUM || !isInteger(key)) return null;
    let i = toI64(key);
    let items = changetype<ArrV>(src).items;
    if (i < 0 || i >= <i64>items.length) return null;
    return unchecked(items[<i32>i]);
  }
  if (k == K_SET) return changetype<SetV>(src).has(key) ? key : null;
  return null;
}

function upsertPath(cur: Value | null, path: Array<Value>, at: i32, val: Value): Value {
  if (at == path.length) return val;
  let obj: ObjV;
  if (cur !== null && cur.kind == K_OBJ) obj = changetype<ObjV>(cur).copy();
  else obj = new ObjV();
  let key = unchecked(path[at]);
  obj.set(key, upsertPath(obj.get(key), path, at + 1, val));
  return obj;
}

export function mergeObjects(a: ObjV, b: ObjV): ObjV {
  let out = a.copy();
  let keys = b.keys;
  for (let i = 0, n = keys.length; i < n; i++) {
    let k = unchecked(keys[i]);
    let bv = unchecked(b.vals[i]);
    let av = out.get(k);
    if (av === null) out.set(k, bv);
    else if (av.kind == K_OBJ && bv.kind == K_OBJ) out.set(k, mergeObjects(changetype<ObjV>(av), changetype<ObjV>(bv)));
  }
  return out;
}

function hostCall(id: i32, args: Array<Value>): Value | null {
  let r: usize = 0;
  switch (args.length) {
    case 0:
      r = opa_builtin0(id, 0);
      break;
    case 1:
      r = opa_builtin1(id, 0, changetype<usize>(args[0]));
      break;
    case 2:
      r = opa_builtin2(id, 0, changetype<usize>(args[0]), changetype<usize>(args[1]));
      break;
    case 3:
      r = opa_builtin3(id, 0, changetype<usize>(args[0]), changetype<usize>(args[1]), changetype<usize>(args[2]));
      break;
    case 4:
      r = opa_builtin4(
        id, 0, changetype<usize>(args[0]), changetype<usize>(args[1]), changetype<usize>(args[2]),
        changetype<usize>(args[3]),
      );
      break;
    default:
      abortMsg("internal: host builtin with more than 4 arguments");
  }
  return r == 0 ? null : changetype<Value>(r);
}

export function callFunc(f: Func, args: Array<Value | null>): Value | null {
  if (f.memo) {
    let m = unchecked(memo[f.index]);
    if (m !== null) return m === MEMO_UNDEFINED ? null : m;
  }
  let fr = new Frame(f.nlocals);
  let params = f.params;
  let n = min(params.length, args.length);
  for (let i = 0; i < n; i++) unchecked((fr.locals[unchecked(params[i])] = unchecked(args[i])));
  let blocks = f.blocks;
  for (let i = 0, nb = blocks.length; i < nb; i++) {
    execBlock(fr, unchecked(blocks[i]));
    if (fr.returned) break;
  }
  let result = fr.returned ? fr.retVal : unchecked(fr.locals[f.ret]);
  if (f.memo) unchecked((memo[f.index] = result === null ? MEMO_UNDEFINED : result));
  return result;
}

function call(fr: Frame, s: Stmt): Value | null {
  let ops = changetype<Array<Operand>>(s.args);
  let n = ops.length;
  if (s.callKind == CALL_FUNC) {
    // IR functions receive undefined arguments as undefined params (input may be absent).
    let fargs = new Array<Value | null>(n);
    for (let i = 0; i < n; i++) unchecked((fargs[i] = operand(fr, unchecked(ops[i]))));
    return callFunc(unchecked(policy.funcs[s.callIndex]), fargs);
  }
  let args = new Array<Value>(n);
  for (let i = 0; i < n; i++) {
    let v = operand(fr, unchecked(ops[i]));
    if (v === null) return null;
    unchecked((args[i] = v));
  }
  switch (s.callKind) {
    case CALL_NATIVE:
      return callNative(s.callIndex, args);
    case CALL_HOST:
      return hostCall(s.callIndex, args);
  }
  abortMsg("internal: unknown function " + asciiOnly(s.name));
  return null;
}

function callDynamic(fr: Frame, s: Stmt): Value | null {
  let ops = changetype<Array<Operand>>(s.path);
  let parts = new Array<string>(ops.length);
  for (let i = 0; i < ops.length; i++) {
    let v = operand(fr, unchecked(ops[i]));
    if (v === null || v.kind != K_STR) return null;
    parts[i] = changetype<StrV>(v).s;
  }
  let key = pathKey(parts);
  if (!policy.funcByPath.has(key)) return null;
  let f = unchecked(policy.funcs[policy.funcByPath.get(key)]);
  let ls = changetype<Array<i32>>(s.largs);
  let args = new Array<Value | null>(ls.length);
  for (let i = 0; i < ls.length; i++) args[i] = unchecked(fr.locals[unchecked(ls[i])]);
  return callFunc(f, args);
}

export function execBlock(fr: Frame, stmts: Array<Stmt>): i32 {
  let locals = fr.locals;
  for (let i = 0, n = stmts.length; i < n; i++) {
    let s = unchecked(stmts[i]);
    switch (s.op) {
      case OP_BLOCK: {
        let blocks = changetype<Array<Array<Stmt>>>(s.blocks);
        for (let j = 0, m = blocks.length; j < m; j++) {
          let r = execBlock(fr, unchecked(blocks[j]));
          if (r > 0) return r - 1;
        }
        break;
      }
      case OP_BREAK:
        return s.n;
      case OP_NOT: {
        let r = execBlock(fr, changetype<Array<Stmt>>(s.block));
        if (r == -1) return 0;
        if (r > 0) return r - 1;
        break;
      }
      case OP_SCAN: {
        let src = unchecked(locals[changetype<Operand>(s.a).local]);
        if (src === null) break;
        let block = changetype<Array<Stmt>>(s.block);
        let kind = src.kind;
        if (kind == K_ARR) {
          let items = changetype<ArrV>(src).items;
          for (let j = 0; j < items.length; j++) {
            unchecked((locals[s.l1] = intV(j)));
            unchecked((locals[s.l2] = unchecked(items[j])));
            let r = execBlock(fr, block);
            if (r > 0) return r - 1;
          }
        } else if (kind == K_OBJ) {
          let o = changetype<ObjV>(src);
          let keys = o.keys;
          for (let j = 0; j < keys.length; j++) {
            unchecked((locals[s.l1] = unchecked(keys[j])));
            unchecked((locals[s.l2] = unchecked(o.vals[j])));
            let r = execBlock(fr, block);
            if (r > 0) return r - 1;
          }
        } else if (kind == K_SET) {
          let items = changetype<SetV>(src).items;
          for (let j = 0; j < items.length; j++) {
            let v = unchecked(items[j]);
            unchecked((locals[s.l1] = v));
            unchecked((locals[s.l2] = v));
            let r = execBlock(fr, block);
            if (r > 0) return r - 1;
          }
        }
        break;
      }
      case OP_WITH: {
        let val = operand(fr, s.a);
        let wpath = changetype<Array<Value>>(s.withPath);
        // An undefined value is allowed only for the whole document (restoring "no input").
        if (val === null && wpath.length > 0) return 0;
        let target = s.target;
        let saved = unchecked(locals[target]);
        unchecked((locals[target] = val === null ? null : upsertPath(saved, wpath, 0, changetype<Value>(val))));
        let savedMemo = memo;
        memo = new StaticArray<Value | null>(policy.funcs.length);
        let r = execBlock(fr, changetype<Array<Stmt>>(s.block));
        memo = savedMemo;
        unchecked((locals[target] = saved));
        if (r > 0) return r - 1;
        break;
      }
      case OP_NOP:
        break;
      case OP_CALL: {
        let r = call(fr, s);
        if (r === null) return 0;
        unchecked((locals[s.target] = r));
        break;
      }
      case OP_CALL_DYNAMIC: {
        let r = callDynamic(fr, s);
        if (r === null) return 0;
        unchecked((locals[s.target] = r));
        break;
      }
      case OP_RETURN_LOCAL:
        fr.returned = true;
        fr.retVal = unchecked(locals[s.target]);
        return RETURN_BREAK;
      case OP_DOT: {
        let src = operand(fr, s.a);
        let key = operand(fr, s.b);
        if (src === null || key === null) return 0;
        let v = dot(src, key);
        if (v === null) return 0;
        unchecked((locals[s.target] = v));
        break;
      }
      case OP_LEN: {
        let src = operand(fr, s.a);
        if (src === null) return 0;
        let k = src.kind;
        let len: i32 = 0;
        if (k == K_ARR) len = changetype<ArrV>(src).items.length;
        else if (k == K_OBJ) len = changetype<ObjV>(src).size;
        else if (k == K_SET) len = changetype<SetV>(src).size;
        else if (k == K_STR) len = codePointLength(changetype<StrV>(src).s);
        else return 0;
        unchecked((locals[s.target] = intV(len)));
        break;
      }
      case OP_IS_ARRAY: {
        let v = operand(fr, s.a);
        if (v === null || v.kind != K_ARR) return 0;
        break;
      }
      case OP_IS_OBJECT: {
        let v = operand(fr, s.a);
        if (v === null || v.kind != K_OBJ) return 0;
        break;
      }
      case OP_IS_SET: {
        let v = operand(fr, s.a);
        if (v === null || v.kind != K_SET) return 0;
        break;
      }
      case OP_IS_DEFINED:
        if (unchecked(locals[s.target]) === null) return 0;
        break;
      case OP_IS_UNDEFINED:
        if (unchecked(locals[s.target]) !== null) return 0;
        break;
      case OP_EQUAL: {
        let a = operand(fr, s.a);
        let b = operand(fr, s.b);
        if (a === null || b === null || !equal(a, b)) return 0;
        break;
      }
      case OP_NOT_EQUAL: {
        let a = operand(fr, s.a);
        let b = operand(fr, s.b);
        if (a === null || b === null || equal(a, b)) return 0;
        break;
      }
      case OP_ASSIGN_VAR: {
        let v = operand(fr, s.a);
        if (v === null) return 0;
        unchecked((locals[s.target] = v));
        break;
      }
      case OP_ASSIGN_VAR_ONCE: {
        let v = operand(fr, s.a);
        if (v === null) return 0;
        let cur = unchecked(locals[s.target]);
        if (cur !== null && !equal(cur, v)) runtimeError(s, "var assignment conflict");
        unchecked((locals[s.target] = v));
        break;
      }
      case OP_ASSIGN_INT:
      case OP_MAKE_NUMBER_INT:
      case OP_MAKE_NUMBER_REF:
      case OP_MAKE_CONST:
        unchecked((locals[s.target] = s.konst));
        break;
      case OP_RESET_LOCAL:
        unchecked((locals[s.target] = null));
        break;
      case OP_MAKE_NULL:
        unchecked((locals[s.target] = NULL));
        break;
      case OP_MAKE_ARRAY:
        unchecked((locals[s.target] = new ArrV(new Array<Value>(0))));
        break;
      case OP_MAKE_OBJECT:
        unchecked((locals[s.target] = new ObjV()));
        break;
      case OP_MAKE_SET:
        unchecked((locals[s.target] = new SetV()));
        break;
      case OP_ARRAY_APPEND: {
        let v = operand(fr, s.a);
        let a = unchecked(locals[s.target]);
        if (v === null || a === null || a.kind != K_ARR) return 0;
        changetype<ArrV>(a).items.push(v);
        break;
      }
      case OP_OBJECT_INSERT:
      case OP_OBJECT_INSERT_ONCE: {
        let k = operand(fr, s.a);
        let v = operand(fr, s.b);
        let o = unchecked(locals[s.target]);
        if (k === null || v === null || o === null || o.kind != K_OBJ) return 0;
        let obj = changetype<ObjV>(o);
        if (s.op == OP_OBJECT_INSERT_ONCE) {
          let cur = obj.get(k);
          if (cur !== null && !equal(cur, v)) runtimeError(s, "object insert conflict");
        }
        obj.set(k, v);
        break;
      }
      case OP_OBJECT_MERGE: {
        let a = unchecked(locals[s.l1]);
        let b = unchecked(locals[s.l2]);
        if (a === null || b === null || a.kind != K_OBJ || b.kind != K_OBJ) return 0;
        unchecked((locals[s.target] = mergeObjects(changetype<ObjV>(a), changetype<ObjV>(b))));
        break;
      }
      case OP_SET_ADD: {
        let v = operand(fr, s.a);
        let set = unchecked(locals[s.target]);
        if (v === null || set === null || set.kind != K_SET) return 0;
        changetype<SetV>(set).add(v);
        break;
      }
      case OP_RESULT_SET_ADD: {
        let v = unchecked(locals[s.target]);
        if (v === null) return 0;
        results.add(v);
        break;
      }
      default:
        abortMsg("internal: bad opcode");
    }
  }
  return -1;
}

/** Runs plan `entrypoint` and returns its result set. */
export function runPlan(entrypoint: i32, input: Value | null, data: Value | null): SetV {
  let p = policy;
  if (entrypoint < 0 || entrypoint >= p.plans.length) abortMsg("internal: illegal entrypoint id");
  memo = new StaticArray<Value | null>(p.funcs.length);
  results = new SetV();
  let plan = unchecked(p.plans[entrypoint]);
  let fr = new Frame(plan.nlocals);
  unchecked((fr.locals[0] = input));
  unchecked((fr.locals[1] = data !== null ? data : new ObjV()));
  let blocks = plan.blocks;
  for (let i = 0, n = blocks.length; i < n; i++) {
    execBlock(fr, unchecked(blocks[i]));
    if (fr.returned) break;
  }
  return results;
}
