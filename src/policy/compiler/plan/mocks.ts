// `with` replacements that planning must see at compile time: data paths replaced through a
// With statement (rule sets under them read the data document instead of being called) and
// functions/builtins replaced by another function or a value. Rule sets whose evaluation
// reaches a mocked path or function are planned again as specialised copies.
import type { Term } from '../ast.ts';

export type FnReplacement = { readonly kind: 'op'; readonly op: string } | { readonly kind: 'term'; readonly term: Term };

export type Mocks = {
  /** Data paths (without `data`) replaced by `with data.<path> as ...`. */
  readonly data: readonly (readonly string[])[];
  /** Call op (builtin name or `data...` key) -> replacement. */
  readonly fns: ReadonlyMap<string, FnReplacement>;
};

export const NO_MOCKS: Mocks = { data: [], fns: new Map() };

export const hasMocks = (m: Mocks): boolean => m.data.length > 0 || m.fns.size > 0;

export function isMockedDataPath(m: Mocks, path: readonly string[]): boolean {
  return m.data.some((p) => p.length === path.length && p.every((s, i) => s === path[i]));
}

export function extendMocks(m: Mocks, data: readonly (readonly string[])[], fns: ReadonlyMap<string, FnReplacement>): Mocks {
  const merged = new Map(m.fns);
  for (const [k, v] of fns) merged.set(k, v);
  return { data: [...m.data, ...data], fns: merged };
}

/** A stable text identity of a mock context, for naming specialised functions. */
export function mocksKey(m: Mocks): string {
  const fns = [...m.fns].map(([k, v]) => `${k}=${v.kind === 'op' ? v.op : JSON.stringify(stripPos(v.term))}`).sort();
  const data = m.data.map((p) => p.join('.')).sort();
  return JSON.stringify({ data, fns });
}

function stripPos(t: unknown): unknown {
  if (Array.isArray(t)) return t.map(stripPos);
  if (t && typeof t === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) if (k !== 'pos' && k !== 'opPos') out[k] = stripPos(v);
    return out;
  }
  return t;
}

/** Whether a rule set whose transitive reads are `reads` sees any mock of `m`. */
export function readsMocked(reads: ReadonlySet<string>, m: Mocks): boolean {
  for (const r of reads) {
    if (r.startsWith('call:')) { if (m.fns.has(r.slice(5))) return true; continue; }
    const rp = r.split('.').slice(1);
    for (const p of m.data) {
      const n = Math.min(p.length, rp.length);
      let overlap = true;
      for (let i = 0; i < n; i++) if (p[i] !== rp[i]) { overlap = false; break; }
      if (overlap) return true;
    }
  }
  return false;
}
