// emitWasm: splices a policy's IR (as JSON text) into the prebuilt runtime as one more data
// segment after the runtime's static data, and patches the runtime's globals that say where
// the IR is (dw_ir_addr/dw_ir_len) and where the heap starts (dw_heap_start), then removes
// those three exports. No asc or binaryen at policy-compile time. Deterministic.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { IrPolicy } from '../ir/types.ts';
import {
  SECTION, EXPORT_KIND, readSections, writeSections, readImports, writeImports, readGlobals,
  writeGlobals, readExports, writeExports, readData, writeData, i32ConstExpr, Writer,
  type Section, type DataSegment,
} from './wasm-binary.ts';

const PAGE = 65536;
/** The SDK's default memory size; modules declaring more need `initial` passed. */
export const SDK_DEFAULT_PAGES = 5;

const RUNTIME_URL = new URL('../../runtime-wasm/runtime.wasm', import.meta.url);
let runtimeCache: Uint8Array<ArrayBuffer> | undefined;

export function runtimeWasm(): Uint8Array<ArrayBuffer> {
  runtimeCache ??= new Uint8Array(readFileSync(fileURLToPath(RUNTIME_URL)));
  return runtimeCache;
}

let fingerprintCache: string | undefined;

/** sha256 of runtime.wasm: part of any cache key for compiled policies (the emitted module
 *  changes whenever the runtime does). */
export function runtimeFingerprint(): string {
  fingerprintCache ??= createHash('sha256').update(runtimeWasm()).digest('hex');
  return fingerprintCache;
}

const PATCHED_EXPORTS = ['dw_ir_addr', 'dw_ir_len', 'dw_heap_start'] as const;

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Splices `irJson` (UTF-8) into `runtime`. Exposed separately for tests. */
export function spliceIr(runtime: Uint8Array, irJson: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = readSections(runtime);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const importSec = find(SECTION.import);
  const globalSec = find(SECTION.global);
  const exportSec = find(SECTION.export);
  const dataSec = find(SECTION.data);
  if (!importSec || !globalSec || !exportSec) throw new Error('emit: runtime.wasm lacks imports, globals or exports');

  const imports = readImports(importSec.payload);
  const importedGlobals = 0 + imports.filter((i) => i.kind === 'other' && i.raw[0] === 3).length;
  const exports = readExports(exportSec.payload);
  const globalIndex = (name: string): number => {
    const e = exports.find((x) => x.name === name && x.kind === EXPORT_KIND.global);
    if (!e) throw new Error(`emit: runtime.wasm does not export global ${name}`);
    return e.index - importedGlobals;
  };
  const [irAddrIdx, irLenIdx, heapIdx] = PATCHED_EXPORTS.map(globalIndex);

  const segments: DataSegment[] = dataSec ? readData(dataSec.payload) : [];
  let dataEnd = 0;
  for (const s of segments) if (s.mode === 'active') dataEnd = Math.max(dataEnd, s.offset + s.bytes.length);
  const irAddr = align(dataEnd, 16);
  const irEnd = irAddr + irJson.length;
  const heapStart = align(irEnd, 16);

  const globals = readGlobals(globalSec.payload).map((g, i) => {
    if (i === irAddrIdx) return { ...g, init: i32ConstExpr(irAddr) };
    if (i === irLenIdx) return { ...g, init: i32ConstExpr(irJson.length) };
    if (i === heapIdx) return { ...g, init: i32ConstExpr(heapStart) };
    return g;
  });
  const neededPages = Math.ceil(heapStart / PAGE);
  const newImports = imports.map((imp) =>
    imp.kind === 'memory' && imp.limits.min < neededPages ? { ...imp, limits: { ...imp.limits, min: neededPages } } : imp,
  );
  const newSegments: DataSegment[] = [...segments, { mode: 'active', offset: irAddr, bytes: irJson }];
  const newExports = exports.filter((e) => !(PATCHED_EXPORTS as readonly string[]).includes(e.name));

  const out: Section[] = [];
  let dataWritten = false;
  for (const s of sections) {
    switch (s.id) {
      case SECTION.import:
        out.push({ id: s.id, payload: writeImports(newImports) });
        break;
      case SECTION.global:
        out.push({ id: s.id, payload: writeGlobals(globals) });
        break;
      case SECTION.export:
        out.push({ id: s.id, payload: writeExports(newExports) });
        break;
      case SECTION.dataCount:
        out.push({ id: s.id, payload: new Writer().u32(newSegments.length).finish() });
        break;
      case SECTION.data:
        out.push({ id: s.id, payload: writeData(newSegments) });
        dataWritten = true;
        break;
      case SECTION.custom:
        if (!dataWritten && !sections.some((x) => x.id === SECTION.data)) {
          // Custom sections may trail; the data section goes before them.
          out.push({ id: SECTION.data, payload: writeData(newSegments) });
          dataWritten = true;
        }
        out.push(s);
        break;
      default:
        out.push(s);
    }
  }
  if (!dataWritten) out.push({ id: SECTION.data, payload: writeData(newSegments) });
  return writeSections(out);
}

/** The compiled policy module for `ir`: the runtime with the IR spliced in. */
export function emitWasm(ir: IrPolicy): Uint8Array<ArrayBuffer> {
  return spliceIr(runtimeWasm(), new TextEncoder().encode(JSON.stringify(ir)));
}

/** Minimum pages the module's memory import declares (pass as `initial` if above 5). */
export function requiredMemoryPages(wasm: Uint8Array): number {
  const sec = readSections(wasm).find((s) => s.id === SECTION.import);
  if (!sec) return 0;
  const mem = readImports(sec.payload).find((i) => i.kind === 'memory');
  return mem && mem.kind === 'memory' ? mem.limits.min : 0;
}
