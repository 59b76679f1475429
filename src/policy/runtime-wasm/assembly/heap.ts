// driftwarden's replacement for AssemblyScript's stub runtime (`~lib/rt/stub`).
// build.ts substitutes this file for the stub so that AS's bump allocator IS the OPA heap:
// its whole state is one pointer (`__dw_heap`), which `opa_heap_ptr_get/set` read and write,
// so rewinding it frees everything above (OPA ABI gotchas 4 and 5). Memory grows with
// memory.grow, reading memory.size() every time (the SDK may grow memory behind our back).
// Written against AS's own `./common` layout so managed objects (classes, arrays, strings)
// work unchanged; there is no GC and no shadow stack.
import { AL_MASK, OBJECT, OBJECT_OVERHEAD, BLOCK_MAXSIZE, BLOCK_OVERHEAD, BLOCK, OBJECT_MAXSIZE } from "./common";

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function dw_heap_abort(addr: usize): void;

/** Next free byte. 0 until first use; the policy emitter patches its initial value so the
 *  heap starts after the spliced IR (see src/policy/compiler/emit). Exported by the runtime. */
// @ts-ignore: decorator
@global export let __dw_heap: usize = 0;

// "opa_malloc: failed\0" as bytes: abort messages are C strings.
// @ts-ignore: decorator
@lazy const MALLOC_FAILED: usize = memory.data<u8>([
  0x6f, 0x70, 0x61, 0x5f, 0x6d, 0x61, 0x6c, 0x6c, 0x6f, 0x63, 0x3a, 0x20,
  0x66, 0x61, 0x69, 0x6c, 0x65, 0x64, 0x00,
]);

/** A lower bound of the memory size in bytes. Memory never shrinks, so a stale value is
 *  only ever too small: it lets the common case skip memory.size(), and whenever `end`
 *  passes it the real size is read again before deciding to grow (the SDK grows memory
 *  behind our back on its fast path). */
// @ts-ignore: decorator
@lazy let knownLimit: usize = 0;

// @ts-ignore: decorator
@inline function growTo(end: usize): void {
  if (end > knownLimit) growSlow(end);
}

function growSlow(end: usize): void {
  let pages = memory.size();
  let limit = <usize>pages << 16;
  if (end > limit) {
    let needed = <i32>((end - limit + 0xffff) >>> 16);
    // Grow generously (the heap is rewound on every evaluation, so pages get reused).
    let wanted = max(needed, pages >> 1);
    if (memory.grow(wanted) < 0) {
      if (memory.grow(needed) < 0) {
        dw_heap_abort(MALLOC_FAILED);
        unreachable();
      }
    }
  }
  knownLimit = <usize>memory.size() << 16;
}

/** Allocates `size` bytes with 16-byte aligned payload; heap pointer may be unaligned on entry
 *  (the SDK places it right after the input text). */
// @ts-ignore: decorator
@unsafe @global
export function __alloc(size: usize): usize {
  if (size > BLOCK_MAXSIZE) {
    dw_heap_abort(MALLOC_FAILED);
    unreachable();
  }
  let top = __dw_heap;
  if (top < __heap_base) top = __heap_base;
  let ptr = (top + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK;
  let payload = (size + AL_MASK) & ~AL_MASK;
  let end = ptr + payload;
  growTo(end);
  changetype<BLOCK>(ptr - BLOCK_OVERHEAD).mmInfo = payload;
  __dw_heap = end;
  return ptr;
}

// @ts-ignore: decorator
@unsafe @global
export function __realloc(ptr: usize, size: usize): usize {
  let block = changetype<BLOCK>(ptr - BLOCK_OVERHEAD);
  let actual = block.mmInfo;
  if (size <= actual) return ptr;
  let payload = (size + AL_MASK) & ~AL_MASK;
  if (ptr + actual == __dw_heap) {
    // Last block: extend in place.
    growTo(ptr + payload);
    block.mmInfo = payload;
    __dw_heap = ptr + payload;
    return ptr;
  }
  let fresh = __alloc(max<usize>(payload, actual << 1));
  memory.copy(fresh, ptr, actual);
  return fresh;
}

// @ts-ignore: decorator
@unsafe @global
export function __free(ptr: usize): void {
  // Bump allocator: memory comes back only when the heap pointer is rewound.
}

// @ts-ignore: decorator
@unsafe @global
export function __reset(): void {
  __dw_heap = __heap_base;
}

// @ts-ignore: decorator
@unsafe @global
export function __new(size: usize, id: u32): usize {
  if (size > OBJECT_MAXSIZE) {
    dw_heap_abort(MALLOC_FAILED);
    unreachable();
  }
  let ptr = __alloc(OBJECT_OVERHEAD + size);
  let object = changetype<OBJECT>(ptr - BLOCK_OVERHEAD);
  object.gcInfo = 0;
  object.gcInfo2 = 0;
  object.rtId = id;
  object.rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@unsafe @global
export function __renew(oldPtr: usize, size: usize): usize {
  if (size > OBJECT_MAXSIZE) {
    dw_heap_abort(MALLOC_FAILED);
    unreachable();
  }
  let newPtr = __realloc(oldPtr - OBJECT_OVERHEAD, OBJECT_OVERHEAD + size);
  changetype<OBJECT>(newPtr - BLOCK_OVERHEAD).rtSize = <u32>size;
  return newPtr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
export function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {}

// @ts-ignore: decorator
@global @unsafe
export function __pin(ptr: usize): usize {
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __unpin(ptr: usize): void {}

// @ts-ignore: decorator
@global @unsafe
function __visit(ptr: usize, cookie: u32): void {}

// @ts-ignore: decorator
@global @unsafe
export function __collect(): void {}
