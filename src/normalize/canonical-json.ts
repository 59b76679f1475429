// Deterministic JSON text: keys sorted by code unit at every level (JS objects enumerate
// integer-like keys first, so insertion order alone is not enough), no insignificant whitespace,
// or a 2-space pretty form ending in a newline for files kept in git.
import type { Json } from '../model/findings.ts';

export type CanonicalJsonOptions = { readonly pretty?: boolean };

export function canonicalJson(doc: Json, options: CanonicalJsonOptions = {}): string {
  return options.pretty ? writePretty(doc, '') + '\n' : writeCompact(doc);
}

function writeScalar(v: null | boolean | number | string): string {
  // JSON.stringify already writes -0 as 0 and escapes strings per RFC 8259.
  return JSON.stringify(v);
}

function writeCompact(v: Json): string {
  if (v === null || typeof v !== 'object') return writeScalar(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + writeCompact(v[i]);
    return out + ']';
  }
  const o = v as { readonly [k: string]: Json };
  const keys = Object.keys(o).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + writeCompact(o[keys[i]]);
  return out + '}';
}

function writePretty(v: Json, indent: string): string {
  if (v === null || typeof v !== 'object') return writeScalar(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    let out = '[\n';
    for (let i = 0; i < v.length; i++) out += (i ? ',\n' : '') + inner + writePretty(v[i], inner);
    return out + '\n' + indent + ']';
  }
  const o = v as { readonly [k: string]: Json };
  const keys = Object.keys(o).sort();
  if (keys.length === 0) return '{}';
  let out = '{\n';
  for (let i = 0; i < keys.length; i++) {
    out += (i ? ',\n' : '') + inner + JSON.stringify(keys[i]) + ': ' + writePretty(o[keys[i]], inner);
  }
  return out + '\n' + indent + '}';
}
