// A policy bundle: every .rego of the configured folders (tests excluded) plus the data files,
// compiled into one Wasm module with a digest that pins the exact policy set in run records.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compilePolicies, COMPILER_VERSION, type CompiledModule, type PolicySource } from './compiler/index.ts';
import { fail } from '../model/errors.ts';
import { locate } from '../model/errors.ts';

export type PolicyBundle = {
  readonly sources: readonly PolicySource[];
  /** Merged data files, mounted at `data.config`. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly module: CompiledModule;
  /** sha256 over compiler version, sources and data: what a run record pins. */
  readonly digest: string;
};

/** All `.rego` files under the folders, sorted, `*_test.rego` only when asked for. */
export function collectRegoFiles(dirs: readonly string[], opts: { tests?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch (e) { return fail('DW3401', 'bad-input', `cannot read policy folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
    for (const name of entries.sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.rego') && (opts.tests || !name.endsWith('_test.rego'))) out.push(p);
    }
  };
  for (const d of dirs) {
    if (statSync(d, { throwIfNoEntry: false })?.isFile()) out.push(d);
    else walk(d);
  }
  return out;
}

export function readSources(files: readonly string[], base: string): PolicySource[] {
  return files.map((f) => ({ file: relative(base, f) || f, text: readFileSync(f, 'utf8') }));
}

/** Reads JSON or YAML data files and deep-merges them (later files win on scalar conflicts). */
export function loadDataFiles(files: readonly string[]): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    let value: unknown;
    try {
      value = extname(f) === '.json' ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      const offset = /position (\d+)/.exec(String((e as Error).message))?.[1];
      const where = offset !== undefined ? locate(text, Number(offset)) : undefined;
      return fail('DW3402', 'bad-input', `policy data file is not valid ${extname(f) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`,
        where ? { file: f, line: where.line, col: where.col } : undefined, where?.sourceLine);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('DW3403', 'bad-input', `policy data file ${f} must hold an object`, { file: f, line: 1, col: 1 });
    merged = deepMerge(merged, value as Record<string, unknown>);
  }
  return merged;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v)
      ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export function bundleDigest(sources: readonly PolicySource[], data: unknown, entrypoints: readonly string[]): string {
  const h = createHash('sha256').update(COMPILER_VERSION).update('\0');
  for (const s of [...sources].sort((x, y) => (x.file < y.file ? -1 : 1))) h.update(s.file).update('\0').update(s.text).update('\0');
  h.update(JSON.stringify(data)).update('\0').update(entrypoints.join(','));
  return `sha256:${h.digest('hex')}`;
}

export function buildBundle(opts: { dirs: readonly string[]; dataFiles: readonly string[]; entrypoints: readonly string[]; base: string; cacheDir?: string | false }): PolicyBundle {
  const sources = readSources(collectRegoFiles(opts.dirs), opts.base);
  const data = loadDataFiles(opts.dataFiles);
  const module = compilePolicies(sources, { entrypoints: opts.entrypoints, ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}) });
  return { sources, data, module, digest: bundleDigest(sources, data, opts.entrypoints) };
}
