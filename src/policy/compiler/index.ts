// Front door of the Rego -> Wasm compiler: parse -> check -> plan -> emit, with a content-hash
// cache of compiled modules under `.driftwarden/cache/policy/`.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Annotation, Module } from './ast.ts';
import type { Diagnostic } from './diagnostics.ts';
import { throwDiagnostics } from './diagnostics.ts';
import type { IrPolicy } from './ir/types.ts';
import { parseModule } from './parse/index.ts';
import { checkModules } from './check/index.ts';
import { planPolicy } from './plan/index.ts';
import { emitWasm, runtimeFingerprint } from './emit/index.ts';
import { fail } from '../../model/errors.ts';
import { COMPILER_CODES } from './codes.ts';

export type PolicySource = { readonly file: string; readonly text: string };

export type CompileOptions = {
  /** Entry points as data paths (`driftwarden/drift/findings`); METADATA `entrypoint: true`
   *  rules are added. */
  readonly entrypoints: readonly string[];
  /** Cache directory; `false` disables the cache. Default `.driftwarden/cache/policy` in cwd. */
  readonly cacheDir?: string | false;
};

export type CompiledModule = {
  readonly wasm: Uint8Array;
  readonly ir: IrPolicy;
  readonly annotations: readonly Annotation[];
  readonly entrypoints: readonly string[];
};

/** Bumped when the compiler's output format changes in a way the source hash cannot see. */
export const COMPILER_VERSION = 'dw-rego-wasm/1';

let compilerHash: string | undefined;
/** Hash of the compiler's own sources and runtime, so a changed compiler misses the cache. */
function compilerFingerprint(): string {
  if (compilerHash) return compilerHash;
  const h = createHash('sha256').update(COMPILER_VERSION);
  const here = dirname(fileURLToPath(import.meta.url));
  const walk = (dir: string): void => {
    let entries: string[];
    try { entries = readdirSync(dir).sort(); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e);
      if (e.endsWith('.ts') || e.endsWith('.wasm')) { try { h.update(e).update(readFileSync(p)); } catch { /* directory */ } }
      else if (!e.includes('.')) walk(p);
    }
  };
  walk(here);
  // The runtime binary the IR is spliced into (its sources are hashed by walking them too).
  h.update(runtimeFingerprint());
  walk(join(here, '..', 'runtime-wasm'));
  compilerHash = h.digest('hex');
  return compilerHash;
}

export function cacheKey(sources: readonly PolicySource[], entrypoints: readonly string[]): string {
  const h = createHash('sha256').update(compilerFingerprint());
  for (const s of [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    h.update('\0file\0').update(s.file).update('\0').update(s.text);
  }
  h.update('\0entry\0').update(entrypoints.join('\0'));
  return h.digest('hex');
}

/** Parses, checks and plans without emitting (for tests and `--debug` IR dumps). */
export function compileToIr(sources: readonly PolicySource[], entrypoints: readonly string[]): { ir: IrPolicy; modules: Module[]; annotations: Annotation[]; entrypoints: string[] } {
  const modules = sources.map((s) => parseModule(s.text, s.file));
  const annotations = modules.flatMap((m) => m.annotations);
  const eps = [...new Set(entrypoints.map(normaliseEntrypoint))];
  for (const a of annotations) {
    if (a.entrypoint && a.path) {
      const ep = normaliseEntrypoint(a.path);
      if (!eps.includes(ep)) eps.push(ep);
    }
  }
  if (eps.length === 0) fail(COMPILER_CODES.noEntrypoints, 'bad-input', 'no entry points: pass entrypoints or mark a rule `entrypoint: true` in METADATA');
  const sourceOf = (file: string) => sources.find((s) => s.file === file)?.text;
  const checked = checkModules(modules);
  if (checked.diagnostics.length > 0) throwDiagnostics(sortDiagnostics(checked.diagnostics), sourceOf);
  const planned = planPolicy(checked.policy, eps);
  if (planned.diagnostics.length > 0) throwDiagnostics(sortDiagnostics(planned.diagnostics), sourceOf);
  return { ir: planned.ir, modules, annotations, entrypoints: eps };
}

/** Compiles Rego sources to an OPA-ABI Wasm module. Throws DwFailure with formatted
 *  diagnostics (file:line:col CODE message + source line + caret). */
export function compilePolicies(sources: readonly PolicySource[], opts: CompileOptions): CompiledModule {
  const dir = opts.cacheDir === false ? undefined : resolve(opts.cacheDir ?? join('.driftwarden', 'cache', 'policy'));
  const key = dir ? cacheKey(sources, opts.entrypoints) : '';
  if (dir) {
    try {
      const wasm = readFileSync(join(dir, `${key}.wasm`));
      const meta = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Omit<CompiledModule, 'wasm'>;
      return { wasm: new Uint8Array(wasm), ir: meta.ir, annotations: meta.annotations, entrypoints: meta.entrypoints };
    } catch { /* miss */ }
  }
  const { ir, annotations, entrypoints } = compileToIr(sources, opts.entrypoints);
  const wasm = emitWasm(ir);
  if (dir) {
    try {
      mkdirSync(dir, { recursive: true });
      // Write then rename so a concurrent reader never sees half a file.
      const tmp = `.${process.pid}.${key}`;
      writeFileSync(join(dir, `${tmp}.json`), JSON.stringify({ ir, annotations, entrypoints }));
      renameSync(join(dir, `${tmp}.json`), join(dir, `${key}.json`));
      writeFileSync(join(dir, `${tmp}.wasm`), wasm);
      renameSync(join(dir, `${tmp}.wasm`), join(dir, `${key}.wasm`));
    } catch { /* the cache is an optimisation only */ }
  }
  return { wasm, ir, annotations, entrypoints };
}

/** `data.a.b.p` / `a.b.p` / `a/b/p` -> `a/b/p`. */
export function normaliseEntrypoint(e: string): string {
  const segs = e.split(/[/.]/).filter((s) => s !== '');
  return (segs[0] === 'data' ? segs.slice(1) : segs).join('/');
}

function sortDiagnostics(d: readonly Diagnostic[]): Diagnostic[] {
  return [...d].sort((a, b) => (a.pos.file < b.pos.file ? -1 : a.pos.file > b.pos.file ? 1 : a.pos.line - b.pos.line || a.pos.col - b.pos.col));
}
