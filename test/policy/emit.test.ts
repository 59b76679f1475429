// The Wasm emitter (IR spliced into the prebuilt runtime) and the runtime binary itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { emitWasm, spliceIr, requiredMemoryPages, runtimeWasm } from '../../src/policy/compiler/emit/index.ts';
import { Reader, Writer, readSections, SECTION, readData } from '../../src/policy/compiler/emit/wasm-binary.ts';
import { runtimeSourceHash, RUNTIME_META_PATH, BUILD_FLAGS } from '../../src/policy/runtime-wasm/build.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';
import { policy, resultOf } from './runtime-ir.ts';
import { createHash } from 'node:crypto';

const ABI_IMPORTS = new Set(['memory', 'opa_abort', 'opa_println', 'opa_builtin0', 'opa_builtin1', 'opa_builtin2', 'opa_builtin3', 'opa_builtin4']);

const constPolicy = (value: string) =>
  policy({ consts: [value], plans: [{ name: 'e/c', blocks: [[{ op: 'MakeConst', index: 0, target: 2 }, ...resultOf(2)]] }] });

test('runtime.wasm is up to date with its sources (run `npm run build:runtime` otherwise)', () => {
  const meta = JSON.parse(readFileSync(RUNTIME_META_PATH, 'utf8')) as { sourceHash: string; wasmSha256: string; flags: string[] };
  assert.is(meta.sourceHash, runtimeSourceHash(), 'assembly sources changed since runtime.wasm was built');
  assert.equal(meta.flags, [...BUILD_FLAGS]);
  assert.is(meta.wasmSha256, createHash('sha256').update(runtimeWasm()).digest('hex'), 'runtime.wasm differs from the build record');
});

test('imports are a subset of the ABI env entries; memory imported without maximum', () => {
  for (const bytes of [runtimeWasm(), emitWasm(constPolicy('1'))]) {
    const mod = new WebAssembly.Module(bytes);
    for (const imp of WebAssembly.Module.imports(mod)) {
      assert.is(imp.module, 'env');
      assert.ok(ABI_IMPORTS.has(imp.name), `unexpected import ${imp.name}`);
    }
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const name of ['opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'builtins', 'entrypoints', 'opa_malloc', 'opa_free',
      'opa_json_parse', 'opa_value_parse', 'opa_json_dump', 'opa_value_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set', 'opa_eval',
      'opa_eval_ctx_new', 'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data', 'opa_eval_ctx_set_entrypoint', 'opa_eval_ctx_get_result', 'eval', 'memory']) {
      assert.ok(exports.includes(name), `missing export ${name}`);
    }
  }
  const emitted = WebAssembly.Module.exports(new WebAssembly.Module(emitWasm(constPolicy('1')))).map((e) => e.name);
  for (const patched of ['dw_ir_addr', 'dw_ir_len', 'dw_heap_start']) assert.not.ok(emitted.includes(patched));
  assert.ok(requiredMemoryPages(emitWasm(constPolicy('1'))) <= 5);
});

test('emitting is deterministic and places the IR after the static data', () => {
  const ir = constPolicy('{"a":"é"}');
  const a = emitWasm(ir);
  const b = emitWasm(JSON.parse(JSON.stringify(ir)));
  assert.equal(Buffer.from(a).equals(Buffer.from(b)), true);
  const data = readData(readSections(a).find((s) => s.id === SECTION.data)!.payload);
  const last = data[data.length - 1];
  assert.is(last.mode, 'active');
  if (last.mode !== 'active') return;
  assert.is(new TextDecoder().decode(last.bytes), JSON.stringify(ir));
  for (const s of data.slice(0, -1)) if (s.mode === 'active') assert.ok(s.offset + s.bytes.length <= last.offset);
  assert.is(last.offset % 16, 0);
});

test('a large IR raises the memory minimum and still loads (wrapper passes initial)', async () => {
  const big = 'x'.repeat(400_000);
  const wasm = emitWasm(constPolicy(JSON.stringify(big)));
  assert.ok(requiredMemoryPages(wasm) > 5);
  const p = await loadCompiledPolicy(wasm, { hostBuiltins: {} });
  const rs = p.evaluate();
  assert.is((rs[0].result as string).length, 400_000);
});

test('LEB128 round trip', () => {
  for (const v of [0, 1, 63, 64, 127, 128, 255, 16384, 2 ** 31 - 1, 2 ** 32 - 1]) {
    assert.is(new Reader(new Writer().u32(v).finish()).u32(), v);
  }
  for (const v of [0, 1, -1, 63, -64, 64, -65, 2 ** 31 - 1, -(2 ** 31)]) {
    assert.is(new Reader(new Writer().s32(v).finish()).s32(), v);
  }
});

test('spliceIr rejects something that is not a Wasm binary', () => {
  assert.throws(() => spliceIr(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), new Uint8Array()), /not a WebAssembly/);
});

/** Drives the module's ABI directly (no SDK): value syntax, context API. */
function rawInstance(wasm: Uint8Array<ArrayBuffer>) {
  const memory = new WebAssembly.Memory({ initial: 5 });
  const text = (addr: number) => {
    const b = new Uint8Array(memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(addr, end));
  };
  const env: Record<string, unknown> = { memory, opa_abort: (a: number) => { throw new Error(text(a)); }, opa_println: () => {} };
  for (let i = 0; i <= 4; i++) env[`opa_builtin${i}`] = () => 0;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: env as WebAssembly.ModuleImports });
  const x = inst.exports as Record<string, (...a: number[]) => number>;
  const put = (s: string) => {
    const bytes = new TextEncoder().encode(s);
    const addr = x.opa_malloc(bytes.length);
    new Uint8Array(memory.buffer).set(bytes, addr);
    return [addr, bytes.length] as const;
  };
  return { x, put, text };
}

test('opa_value_parse/dump handle Rego set syntax; JSON dump turns sets into arrays', () => {
  const { x, put, text } = rawInstance(emitWasm(constPolicy('1')));
  const v = x.opa_value_parse(...put('{"b", 1, set(), {2: [true]}}'));
  assert.ok(v !== 0);
  assert.is(text(x.opa_value_dump(v)), '{1,"b",{2:[true]},set()}');
  assert.is(text(x.opa_json_dump(v)), '[1,"b",{"2":[true]},[]]');
  assert.is(x.opa_json_parse(...put('{1: 2}')), 0);
  assert.is(x.opa_json_parse(...put('[1,')), 0);
  assert.is(text(x.opa_json_dump(x.builtins())), '{}');
});

test('ABI version 1.3; opa_value_add_path / opa_value_remove_path edit objects in place', () => {
  const wasm = emitWasm(constPolicy('1'));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    env: { memory: new WebAssembly.Memory({ initial: 5 }), opa_abort: () => {}, opa_builtin0: () => 0, opa_builtin1: () => 0, opa_builtin2: () => 0, opa_builtin3: () => 0, opa_builtin4: () => 0 },
  });
  assert.is((inst.exports.opa_wasm_abi_version as WebAssembly.Global).value, 1);
  assert.is((inst.exports.opa_wasm_abi_minor_version as WebAssembly.Global).value, 3);
  const { x, put, text } = rawInstance(wasm);
  const base = x.opa_json_parse(...put('{"a":{"b":1},"c":2}'));
  assert.is(x.opa_value_add_path(base, x.opa_json_parse(...put('["a","x","y"]')), x.opa_json_parse(...put('[true]'))), 0);
  assert.is(x.opa_value_remove_path(base, x.opa_json_parse(...put('["c"]'))), 0);
  assert.is(x.opa_value_remove_path(base, x.opa_json_parse(...put('["nope"]'))), 3);
  assert.is(x.opa_value_add_path(base, x.opa_json_parse(...put('["a","b","z"]')), base), 3);
  assert.is(text(x.opa_json_dump(base)), '{"a":{"b":1,"x":{"y":[true]}}}');
});

test('ABI 1.1 context API evaluates too; builtins() publishes only host builtins', () => {
  const ir = policy({
    strings: ['x'],
    builtins: [{ name: 'count', arity: 1 }, { name: 'regex.match', arity: 2 }, { name: 'dw.sprintf', arity: 2 }],
    plans: [{ name: 'e/x', blocks: [[{ op: 'Dot', source: { local: 0 }, key: { str: 1 }, target: 2 }, ...resultOf(2)]] }],
  });
  const { x, put, text } = rawInstance(emitWasm(ir));
  assert.is(text(x.opa_json_dump(x.builtins())), '{"dw.sprintf":2,"regex.match":1}');
  const ctx = x.opa_eval_ctx_new();
  x.opa_eval_ctx_set_input(ctx, x.opa_json_parse(...put('{"x":[1,2]}')));
  x.opa_eval_ctx_set_entrypoint(ctx, 0);
  x.eval(ctx);
  assert.is(text(x.opa_json_dump(x.opa_eval_ctx_get_result(ctx))), '[{"result":[1,2]}]');
  assert.throws(() => x.opa_eval(1, 0, 0, 0, 0, x.opa_heap_ptr_get(), 0), /invalid reserved argument/);
  assert.throws(() => x.opa_eval(0, 9, 0, 0, 0, x.opa_heap_ptr_get(), 0), /illegal entrypoint id/);
});

test.run();
