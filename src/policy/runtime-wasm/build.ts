// Builds the AssemblyScript runtime into the committed `runtime.wasm` (+ `runtime.meta.json`
// with the sha256 of the sources and flags, so a test can detect a stale binary).
// Run: `npm run build:runtime`. asc is needed only here, never at policy-compile time.
//
// Custom runtime: asc's `--runtime <path>` treats any custom runtime as a GC runtime and
// instruments every function with a 32 KiB shadow stack. We instead substitute our bump
// allocator (assembly/heap.ts) for the stub runtime's source (`~lib/rt/stub`) through asc's
// library map and compile with `--runtime stub`: AS's allocator IS the OPA heap.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const RUNTIME_WASM_PATH = join(here, 'runtime.wasm');
export const RUNTIME_META_PATH = join(here, 'runtime.meta.json');
const ASSEMBLY_DIR = join(here, 'assembly');

export const BUILD_FLAGS: readonly string[] = [
  'assembly/index.ts',
  '--runtime', 'stub',
  '-O3',
  '--noAssert',
  '--importMemory',
  '--initialMemory', '1',
  '--use', 'abort=assembly/env/dwAbort',
];

/** sha256 over the runtime sources (sorted by name) and the build flags. */
export function runtimeSourceHash(): string {
  const h = createHash('sha256');
  for (const name of readdirSync(ASSEMBLY_DIR).filter((n) => n.endsWith('.ts')).sort()) {
    h.update(name);
    h.update('\0');
    h.update(readFileSync(join(ASSEMBLY_DIR, name)));
    h.update('\0');
  }
  h.update(BUILD_FLAGS.join(' '));
  return h.digest('hex');
}

export async function buildRuntime(): Promise<{ bytes: number; sha256: string }> {
  const asc = (await import('assemblyscript/asc')).default as unknown as {
    main(argv: string[], opts: Record<string, unknown>): Promise<{ error: Error | null; stderr: { toString(): string } }>;
    libraryFiles: Record<string, string>;
  };
  asc.libraryFiles['rt/stub'] = readFileSync(join(ASSEMBLY_DIR, 'heap.ts'), 'utf8');
  const outputs = new Map<string, Uint8Array | string>();
  const result = await asc.main([...BUILD_FLAGS, '--baseDir', here, '--outFile', 'runtime.out.wasm'], {
    writeFile: (name: string, contents: Uint8Array | string) => {
      outputs.set(name, contents);
    },
  });
  if (result.error) throw new Error(`asc failed: ${result.error.message}\n${result.stderr.toString()}`);
  const wasm = outputs.get('runtime.out.wasm');
  if (!(wasm instanceof Uint8Array)) throw new Error('asc produced no binary');
  writeFileSync(RUNTIME_WASM_PATH, wasm);
  const sha256 = createHash('sha256').update(wasm).digest('hex');
  const meta = { sourceHash: runtimeSourceHash(), flags: BUILD_FLAGS, wasmSha256: sha256, bytes: wasm.length };
  writeFileSync(RUNTIME_META_PATH, JSON.stringify(meta, null, 2) + '\n');
  return { bytes: wasm.length, sha256 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bytes } = await buildRuntime();
  console.log(`runtime.wasm: ${bytes} bytes`);
}
