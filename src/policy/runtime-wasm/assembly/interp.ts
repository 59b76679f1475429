// The IR interpreter: executes plans and functions exactly per the semantics documented in
// src/policy/compiler/ir/types.ts (break counts, Scan/Not/With/Block rules, conflicts,
// per-evaluation memo of plain rules cleared around With, CallDynamic by path). Fast paths
// (same results): specialised statements chosen by ir.ts (OP_DOT_STR, OP_*EQUAL_CONST, guarded
// Scans), a per-evaluation memo of functions by scalar arguments, shared Scan index numbers.
import {
  Value, ObjV, ArrV, SetV, StrV, NumV, NULL, K_NULL, K_OBJ, K_ARR, K_SET, K_STR, K_NUM, K_BOOL,
  intV, equal, strEq, setAt, codePointLength, isInteger, toI64,
} from "./values";
import {
  Policy, Func, Stmt, Operand, pathKey,
  OP_BLOCK, OP_BREAK, OP_NOT, OP_SCAN, OP_WITH, OP_NOP, OP_CALL, OP_CALL_DYNAMIC,
  OP_RETURN_LOCAL, OP_DOT, OP_LEN, OP_IS_ARRAY, OP_IS_OBJECT, OP_IS_SET, OP_IS_DEFINED,
  OP_IS_UNDEFINED, OP_EQUAL, OP_NOT_EQUAL, OP_ASSIGN_VAR, OP_ASSIGN_VAR_ONCE, OP_ASSIGN_INT,
  OP_RESET_LOCAL, OP_MAKE_NULL, OP_MAKE_NUMBER_INT, OP_MAKE_NUMBER_REF, OP_MAKE_CONST,
  OP_MAKE_ARRAY, OP_MAKE_OBJECT, OP_MAKE_SET, OP_ARRAY_APPEND, OP_OBJECT_INSERT,
  OP_OBJECT_INSERT_ONCE, OP_OBJECT_MERGE, OP_SET_ADD, OP_RESULT_SET_ADD,
  OP_DOT_STR, OP_EQUAL_CONST, OP_NOT_EQUAL_CONST,
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

/** Index numbers for Scans over arrays longer than the small-int cache, shared by every Scan
 *  of one evaluation (20 rules scanning the same 100k-element array allocate 100k numbers,
 *  not 2M). Re-created per evaluation: it lives on the evaluation heap. */
let indexCache: StaticArray<NumV | null> = new StaticArray<NumV | null>(0);

/** The index cache, grown to hold at least n entries. */
function indexCacheFor(n: i32): StaticArray<NumV | null> {
  let cache = indexCache;
  if (n > cache.length) {
    let bigger = new StaticArray<NumV | null>(n);
    memory.copy(changetype<usize>(bigger), changetype<usize>(cache), <usize>cache.length << alignof<usize>());
    indexCache = bigger;
    cache = bigger;
  }
  return cache;
}

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

/** equal(), with strings and booleans (singletons: TRUE/FALSE) decided inline. */
// @ts-ignore: decorator
@inline function equalFast(a: Value, b: Value): bool {
  let k = a.kind;
  if (k != b.kind) return false;
  if (k == K_STR) return strEq(changetype<StrV>(a), changetype<StrV>(b));
  if (k == K_BOOL) return a === b;
  return equal(a, b);
}

/** `Dot src["k"]` (OP_DOT_STR): a small object's keys are scanned by identity/strEq inline
 *  (input keys equal to a policy constant are that very StrV, see intern.ts), starting with
 *  the slot where the key was found last time (objects scanned in a loop usually share one
 *  key order; the hint is an int, harmless across evaluations). */
// @ts-ignore: decorator
@inline function dotStr(s: Stmt, src: Value): Value | null {
  let key = changetype<StrV>(s.konst);
  if (src.kind == K_OBJ && changetype<ObjV>(src).table === null) {
    let o = changetype<ObjV>(src);
    let keys = o.keys;
    let m = keys.length;
    let hint = s.n;
    if (hint < m && unchecked(keys[hint]) === key) return unchecked(o.vals[hint]);
    for (let j = 0; j < m; j++) {
      let k = unchecked(keys[j]);
      if (k === key || (k.kind == K_STR && strEq(changetype<StrV>(k), key))) {
        s.n = j;
        return unchecked(o.vals[j]);
      }
    }
    return null;
  }
  return dot(src, key);
}

/** Runs a guarded Scan body's first two statements (OP_DOT_STR on the element, then
 *  OP_EQUAL_CONST / OP_NOT_EQUAL_CONST on its target) with their exact effects; false when
 *  one of them fails (the body would have been left with r = 0). */
// @ts-ignore: decorator
@inline function guardPasses(locals: StaticArray<Value | null>, block: Array<Stmt>, elem: Value): bool {
  let g0 = unchecked(block[0]);
  let t = dotStr(g0, elem);
  if (t === null) return false;
  unchecked((locals[g0.target] = t));
  let g1 = unchecked(block[1]);
  let c = changetype<Value>(g1.konst);
  let same = t === c || equalFast(t, c);
  return g1.op == OP_EQUAL_CONST ? same : !same;
}

/** The hot loop of filters (`some i, x in arr; x.k == c; ...`): a guarded Scan over an
 *  array with the guard's operands held in locals. Same effects as guardPasses + execBlock;
 *  returns the body's break count > 0, else -1. */
function scanArrayGuarded(fr: Frame, s: Stmt, items: Array<Value>, block: Array<Stmt>): i32 {
  let locals = fr.locals;
  let cache = indexCacheFor(items.length);
  let g0 = unchecked(block[0]);
  let g1 = unchecked(block[1]);
  let key = changetype<StrV>(g0.konst);
  let target = g0.target;
  let c = changetype<Value>(g1.konst);
  let wantEqual = g1.op == OP_EQUAL_CONST;
  let l1 = s.l1;
  let l2 = s.l2;
  let hint = g0.n;
  for (let j = 0, n = items.length; j < n; j++) {
    let idx = unchecked(cache[j]);
    if (idx === null) {
      idx = intV(j);
      unchecked((cache[j] = idx));
    }
    let v = unchecked(items[j]);
    unchecked((locals[l1] = idx));
    unchecked((locals[l2] = v));
    // Dot v["k"]: the slot hint first (elements of one array usually share key order).
    let t: Value | null = null;
    if (v.kind == K_OBJ && changetype<ObjV>(v).table === null) {
      let keys = changetype<ObjV>(v).keys;
      let m = keys.length;
      if (hint < m && unchecked(keys[hint]) === key) {
        t = unchecked(changetype<ObjV>(v).vals[hint]);
      } else {
        for (let q = 0; q < m; q++) {
          let k = unchecked(keys[q]);
          if (k === key || (k.kind == K_STR && strEq(changetype<StrV>(k), key))) {
            hint = q;
            t = unchecked(changetype<ObjV>(v).vals[q]);
            break;
          }
        }
      }
    } else {
      t = dot(v, key);
    }
    if (t === null) continue;
    unchecked((locals[target] = t));
    let same = t === c || equalFast(t, c);
    if (same != wantEqual) continue;
    g0.n = hint;
    let r = execBlock(fr, block, 2);
    if (r > 0) return r;
    hint = g0.n;
  }
  g0.n = hint;
  return -1;
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

/** Memoised result of a plain rule, or null (not computed yet). */
// @ts-ignore: decorator
@inline function memoOf(f: Func): Value | null {
  return f.memo ? unchecked(memo[f.index]) : null;
}

function runFunc(f: Func, fr: Frame): Value | null {
  let blocks = f.blocks;
  for (let i = 0, nb = blocks.length; i < nb; i++) {
    execBlock(fr, unchecked(blocks[i]), 0);
    if (fr.returned) break;
  }
  let result = fr.returned ? fr.retVal : unchecked(fr.locals[f.ret]);
  if (f.memo) unchecked((memo[f.index] = result === null ? MEMO_UNDEFINED : result));
  return result;
}

/** Per-evaluation memo of one function with arguments: entries of (params..., result). */
class ArgMemo extends Value {
  entries: Array<StaticArray<Value | null>> = new Array<StaticArray<Value | null>>();
  constructor() {
    super(-2);
  }
}
/** Arguments the memo can key on: null, booleans, strings and exact integers (so a hit
 *  means the very same Rego value, not merely an equal one like 1 and 1.0). */
function isMemoKey(v: Value): bool {
  let k = v.kind;
  if (k == K_NUM) return changetype<NumV>(v).isInt;
  return k <= K_STR;
}

function sameMemoKey(a: Value, b: Value): bool {
  let k = a.kind;
  if (k != b.kind) return false;
  if (k == K_STR) return strEq(changetype<StrV>(a), changetype<StrV>(b));
  if (k == K_NUM) return changetype<NumV>(a).i == changetype<NumV>(b).i;
  return k == K_NULL || a === b; // null; booleans are singletons
}

/** Distinct argument lists remembered per function and evaluation. */
const ARG_MEMO_MAX: i32 = 64;

/** Calls f (params already in `callee`) through its argument memo: input and data must be
 *  the very same values, the other arguments scalars (null, boolean, number, string) equal
 *  to a remembered call's. Composite arguments skip the memo (comparing them could cost more
 *  than the call). The memo lives in `memo`, so With blocks clear it like the rule memo. */
function callMemoised(f: Func, callee: Frame): Value | null {
  let params = f.params;
  let np = params.length;
  let locals = callee.locals;
  for (let i = 2; i < np; i++) {
    let v = unchecked(locals[unchecked(params[i])]);
    if (v === null || !isMemoKey(v)) return runFunc(f, callee);
  }
  let slot = unchecked(memo[f.index]);
  let am: ArgMemo;
  if (slot === null) {
    am = new ArgMemo();
    unchecked((memo[f.index] = am));
  } else {
    am = changetype<ArgMemo>(slot);
  }
  let entries = am.entries;
  for (let e = 0, ne = entries.length; e < ne; e++) {
    let entry = unchecked(entries[e]);
    let hit = true;
    for (let i = 0; i < np; i++) {
      let a = unchecked(entry[i]);
      let b = unchecked(locals[unchecked(params[i])]);
      if (a === b) continue;
      if (i < 2 || a === null || b === null || !sameMemoKey(a, b)) {
        hit = false;
        break;
      }
    }
    if (hit) {
      let r = unchecked(entry[np]);
      return r === MEMO_UNDEFINED ? null : r;
    }
  }
  let entry = new StaticArray<Value | null>(np + 1);
  for (let i = 0; i < np; i++) unchecked((entry[i] = unchecked(locals[unchecked(params[i])])));
  let result = runFunc(f, callee);
  if (entries.length < ARG_MEMO_MAX) {
    unchecked((entry[np] = result === null ? MEMO_UNDEFINED : result));
    entries.push(entry);
  }
  return result;
}

export function callFunc(f: Func, args: Array<Value | null>): Value | null {
  let m = memoOf(f);
  if (m !== null) return m === MEMO_UNDEFINED ? null : m;
  let fr = new Frame(f.nlocals);
  let params = f.params;
  let n = min(params.length, args.length);
  for (let i = 0; i < n; i++) unchecked((fr.locals[unchecked(params[i])] = unchecked(args[i])));
  return runFunc(f, fr);
}

function call(fr: Frame, s: Stmt): Value | null {
  let ops = changetype<Array<Operand>>(s.args);
  let n = ops.length;
  if (s.callKind == CALL_FUNC) {
    // IR functions receive undefined arguments as undefined params (input may be absent);
    // arguments go straight into the callee's frame.
    let f = unchecked(policy.funcs[s.callIndex]);
    let m = memoOf(f);
    if (m !== null) return m === MEMO_UNDEFINED ? null : m;
    let callee = new Frame(f.nlocals);
    let params = f.params;
    let np = min(params.length, n);
    for (let i = 0; i < np; i++) {
      unchecked((callee.locals[unchecked(params[i])] = operand(fr, unchecked(ops[i]))));
    }
    if (f.argMemo && np == params.length) return callMemoised(f, callee);
    return runFunc(f, callee);
  }
  // Builtins: the statement's own argument array, filled afresh on every call (builtins
  // never run IR, so a statement cannot be re-entered while its arguments are in use).
  let args = changetype<Array<Value>>(s.scratch);
  for (let i = 0; i < n; i++) {
    let v = operand(fr, unchecked(ops[i]));
    if (v === null) return null;
    setAt(args, i, v);
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

export function execBlock(fr: Frame, stmts: Array<Stmt>, start: i32): i32 {
  let locals = fr.locals;
  for (let i = start, n = stmts.length; i < n; i++) {
    let s = unchecked(stmts[i]);
    switch (s.op) {
      case OP_BLOCK: {
        let blocks = changetype<Array<Array<Stmt>>>(s.blocks);
        for (let j = 0, m = blocks.length; j < m; j++) {
          let r = execBlock(fr, unchecked(blocks[j]), 0);
          if (r > 0) return r - 1;
        }
        break;
      }
      case OP_BREAK:
        return s.n;
      case OP_NOT: {
        let r = execBlock(fr, changetype<Array<Stmt>>(s.block), 0);
        if (r == -1) return 0;
        if (r > 0) return r - 1;
        break;
      }
      case OP_SCAN: {
        let src = unchecked(locals[changetype<Operand>(s.a).local]);
        if (src === null) break;
        let block = changetype<Array<Stmt>>(s.block);
        // Guarded Scan (see ir.ts): the body's leading `Dot value["k"]; Equal/NotEqual const`
        // runs inline here, so elements it rejects cost no block execution.
        let guarded = s.guard;
        let from = guarded ? 2 : 0;
        let kind = src.kind;
        if (kind == K_ARR && guarded) {
          let r = scanArrayGuarded(fr, s, changetype<ArrV>(src).items, block);
          if (r > 0) return r - 1;
        } else if (kind == K_ARR) {
          let items = changetype<ArrV>(src).items;
          let cache = indexCacheFor(items.length);
          for (let j = 0; j < items.length; j++) {
            let key = unchecked(cache[j]);
            if (key === null) {
              key = intV(j);
              unchecked((cache[j] = key));
            }
            let v = unchecked(items[j]);
            unchecked((locals[s.l1] = key));
            unchecked((locals[s.l2] = v));
            if (guarded && !guardPasses(locals, block, v)) continue;
            let r = execBlock(fr, block, from);
            if (r > 0) return r - 1;
          }
        } else if (kind == K_OBJ) {
          let o = changetype<ObjV>(src);
          let keys = o.keys;
          for (let j = 0; j < keys.length; j++) {
            let v = unchecked(o.vals[j]);
            unchecked((locals[s.l1] = unchecked(keys[j])));
            unchecked((locals[s.l2] = v));
            if (guarded && !guardPasses(locals, block, v)) continue;
            let r = execBlock(fr, block, from);
            if (r > 0) return r - 1;
          }
        } else if (kind == K_SET) {
          let items = changetype<SetV>(src).items;
          for (let j = 0; j < items.length; j++) {
            let v = unchecked(items[j]);
            unchecked((locals[s.l1] = v));
            unchecked((locals[s.l2] = v));
            if (guarded && !guardPasses(locals, block, v)) continue;
            let r = execBlock(fr, block, from);
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
        let r = execBlock(fr, changetype<Array<Stmt>>(s.block), 0);
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
      case OP_DOT_STR: {
        let src = unchecked(locals[s.la]);
        if (src === null) return 0;
        let v = dotStr(s, src);
        if (v === null) return 0;
        unchecked((locals[s.target] = v));
        break;
      }
      case OP_EQUAL_CONST: {
        let a = unchecked(locals[s.la]);
        if (a === null) return 0;
        let b = changetype<Value>(s.konst);
        if (a !== b && !equalFast(a, b)) return 0;
        break;
      }
      case OP_NOT_EQUAL_CONST: {
        let a = unchecked(locals[s.la]);
        if (a === null) return 0;
        let b = changetype<Value>(s.konst);
        if (a === b || equalFast(a, b)) return 0;
        break;
      }
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
        // One lookup for both the conflict check and the insertion.
        let at = obj.find(k);
        if (at < 0) {
          obj.pushKey(k);
          obj.vals.push(v);
        } else {
          if (s.op == OP_OBJECT_INSERT_ONCE && !equal(unchecked(obj.vals[at]), v)) runtimeError(s, "object insert conflict");
          setAt(obj.vals, at, v);
        }
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
  indexCache = new StaticArray<NumV | null>(0);
  results = new SetV();
  let plan = unchecked(p.plans[entrypoint]);
  let fr = new Frame(plan.nlocals);
  unchecked((fr.locals[0] = input));
  unchecked((fr.locals[1] = data !== null ? data : new ObjV()));
  let blocks = plan.blocks;
  for (let i = 0, n = blocks.length; i < n; i++) {
    execBlock(fr, unchecked(blocks[i]), 0);
    if (fr.returned) break;
  }
  return results;
}
