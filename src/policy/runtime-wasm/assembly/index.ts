// driftwarden's OPA-ABI Wasm runtime: exports per /work/shared/reference/opa-wasm-abi.md
// (ABI 1.3: fast path opa_eval + the context API). The policy IR is spliced in as a data
// segment by src/policy/compiler/emit and decoded once here, at instantiation (start
// function), so it lives below the heap base the SDK records.
import { Value, ObjV, StrV, SetV, ArrV, intV, K_OBJ, K_ARR } from "./values";
import { parseJson, parseValue, dumpJson, dumpValue } from "./json";
import { decodePolicy, Policy } from "./ir";
import { runPlan, setPolicy } from "./interp";
import { abortMsg } from "./env";
import { newParseTable } from "./intern";

export { __dw_heap as dw_heap_start } from "~lib/rt/stub";

/** Where the emitter placed the IR JSON (patched by the emitter, then un-exported). */
export let dw_ir_addr: usize = 0;
export let dw_ir_len: usize = 0;

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

const POLICY: Policy = decodePolicy(dw_ir_addr, dw_ir_len);
setPolicy(POLICY);

export function builtins(): usize {
  let o = new ObjV();
  let p = POLICY;
  for (let i = 0; i < p.hostNames.length; i++) o.set(new StrV(p.hostNames[i]), intV(p.hostIds[i]));
  return changetype<usize>(o);
}

export function entrypoints(): usize {
  let o = new ObjV();
  let p = POLICY;
  for (let i = 0; i < p.plans.length; i++) o.set(new StrV(p.plans[i].name), intV(i));
  return changetype<usize>(o);
}

export function opa_malloc(size: usize): usize {
  return __alloc(size);
}

export function opa_free(addr: usize): void {
  // Bump allocator: memory is reclaimed by opa_heap_ptr_set.
}

export function opa_heap_ptr_get(): usize {
  let h = __dw_heap;
  return h < __heap_base ? __heap_base : h;
}

export function opa_heap_ptr_set(addr: usize): void {
  __dw_heap = addr;
}

export function opa_json_parse(addr: usize, len: usize): usize {
  let v = parseJson(addr, len, newParseTable(len));
  return v === null ? 0 : changetype<usize>(v);
}

export function opa_value_parse(addr: usize, len: usize): usize {
  let v = parseValue(addr, len, newParseTable(len));
  return v === null ? 0 : changetype<usize>(v);
}

export function opa_json_dump(addr: usize): usize {
  return dumpJson(changetype<Value>(addr));
}

export function opa_value_dump(addr: usize): usize {
  return dumpValue(changetype<Value>(addr));
}

// ---- ABI 1.1 path helpers and ABI 1.3 extras. Error codes as OPA's opa_errc.
const ERR_OK: i32 = 0;
const ERR_INVALID_TYPE: i32 = 2;
const ERR_INVALID_PATH: i32 = 3;

/** Upserts `value` at `path` (an array of keys) inside the object `base`, in place. */
export function opa_value_add_path(base: usize, path: usize, value: usize): i32 {
  let b = changetype<Value>(base);
  let p = changetype<Value>(path);
  if (b.kind != K_OBJ || p.kind != K_ARR) return ERR_INVALID_TYPE;
  let keys = changetype<ArrV>(p).items;
  if (keys.length == 0) return ERR_INVALID_PATH;
  let cur = changetype<ObjV>(b);
  for (let i = 0; i < keys.length - 1; i++) {
    let next = cur.get(keys[i]);
    if (next === null) {
      let fresh = new ObjV();
      cur.set(keys[i], fresh);
      cur = fresh;
    } else if (next.kind == K_OBJ) {
      cur = changetype<ObjV>(next);
    } else return ERR_INVALID_PATH;
  }
  cur.set(keys[keys.length - 1], changetype<Value>(value));
  return ERR_OK;
}

/** Removes the value at `path` inside the object `base`, in place. */
export function opa_value_remove_path(base: usize, path: usize): i32 {
  let b = changetype<Value>(base);
  let p = changetype<Value>(path);
  if (b.kind != K_OBJ || p.kind != K_ARR) return ERR_INVALID_TYPE;
  let keys = changetype<ArrV>(p).items;
  if (keys.length == 0) return ERR_INVALID_PATH;
  let cur = changetype<ObjV>(b);
  for (let i = 0; i < keys.length - 1; i++) {
    let next = cur.get(keys[i]);
    if (next === null || next.kind != K_OBJ) return ERR_INVALID_PATH;
    cur = changetype<ObjV>(next);
  }
  return cur.remove(keys[keys.length - 1]) ? ERR_OK : ERR_INVALID_PATH;
}

/** Bump allocator: values are freed only by rewinding the heap. */
export function opa_value_free(addr: usize): void {}

/** No free lists to stash with a bump allocator: the heap pointer is the whole state. */
export function opa_heap_blocks_stash(): void {}
export function opa_heap_blocks_restore(): void {}
export function opa_heap_stash_clear(): void {}

function resultRows(rs: SetV): Value {
  // The result set as an array of rows (already a set of distinct rows).
  return rs;
}

export function opa_eval(
  reserved: i32, entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize, format: i32,
): usize {
  if (reserved != 0) abortMsg("invalid reserved argument");
  __dw_heap = heapPtr;
  let inputValue: Value | null = null;
  if (input != 0 && inputLen != 0) {
    inputValue = parseValue(input, inputLen, newParseTable(inputLen));
    if (inputValue === null) abortMsg("internal: invalid input");
  }
  let dataValue: Value | null = data == 0 ? null : changetype<Value>(data);
  let rs = runPlan(entrypoint, inputValue, dataValue);
  return format == 1 ? dumpValue(resultRows(rs)) : dumpJson(resultRows(rs));
}

// ---- ABI 1.0/1.1 context API (older callers)

class EvalCtx {
  input: usize = 0;
  data: usize = 0;
  result: usize = 0;
  entrypoint: i32 = 0;
}

export function opa_eval_ctx_new(): usize {
  return changetype<usize>(new EvalCtx());
}

export function opa_eval_ctx_set_input(ctx: usize, input: usize): void {
  changetype<EvalCtx>(ctx).input = input;
}

export function opa_eval_ctx_set_data(ctx: usize, data: usize): void {
  changetype<EvalCtx>(ctx).data = data;
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, entrypoint: i32): void {
  changetype<EvalCtx>(ctx).entrypoint = entrypoint;
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return changetype<EvalCtx>(ctx).result;
}

export function eval(ctx: usize): i32 {
  let c = changetype<EvalCtx>(ctx);
  let input: Value | null = c.input == 0 ? null : changetype<Value>(c.input);
  let data: Value | null = c.data == 0 ? null : changetype<Value>(c.data);
  c.result = changetype<usize>(runPlan(c.entrypoint, input, data));
  return 0;
}

