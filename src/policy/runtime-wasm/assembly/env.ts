// Host imports of the OPA ABI (module `env`) and abort helpers. Only these imports may
// appear in the module: the SDK supplies nothing else.

// @ts-ignore: decorator
@external("env", "opa_abort")
export declare function opa_abort(addr: usize): void;
// @ts-ignore: decorator
@external("env", "opa_println")
export declare function opa_println(addr: usize): void;
// @ts-ignore: decorator
@external("env", "opa_builtin0")
export declare function opa_builtin0(id: i32, ctx: i32): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin1")
export declare function opa_builtin1(id: i32, ctx: i32, a: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin2")
export declare function opa_builtin2(id: i32, ctx: i32, a: usize, b: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin3")
export declare function opa_builtin3(id: i32, ctx: i32, a: usize, b: usize, c: usize): usize;
// @ts-ignore: decorator
@external("env", "opa_builtin4")
export declare function opa_builtin4(id: i32, ctx: i32, a: usize, b: usize, c: usize, d: usize): usize;

/** NUL-terminated ASCII copy of s (the SDK decodes abort text byte by byte). */
export function cString(s: string): usize {
  let n = s.length;
  let p = __alloc(<usize>n + 1);
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    store<u8>(p + <usize>i, <u8>(c < 0x80 ? c : 0x3f));
  }
  store<u8>(p + <usize>n, 0);
  return p;
}

/** Aborts the evaluation with an ASCII message (never returns). */
export function abortMsg(msg: string): void {
  opa_abort(cString(msg));
  unreachable();
}

/** Target of `--use abort=...`: AS-level aborts (assertions, bounds) become opa_abort. */
export function dwAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let m = message !== null ? message : "abort";
  let f = fileName !== null ? fileName : "runtime";
  abortMsg("internal: " + m + " (" + f + ":" + line.toString() + ":" + column.toString() + ")");
}
