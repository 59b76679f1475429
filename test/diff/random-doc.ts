// Seeded random surface documents, noise that must never be drift, and single mutations whose
// drift is known in advance, for the property tests of normalize + diff.
import type { Json, PathSegment } from '../../src/model/findings.ts';
import type { DriftKind } from '../../src/model/findings.ts';
import type { NormalizeRules } from '../../src/normalize/types.ts';
import { compileRules, type RuleState } from '../../src/normalize/compile-rules.ts';

type Obj = { [k: string]: Json };

export const RULES: NormalizeRules = {
  volatileFields: ['selfUri', 'dateModified', 'entities[].policies[].policyId'],
  arrayKeys: [
    { path: 'entities', key: 'id' },
    { path: 'entities[].tags', key: '$value' },
    { path: 'entities[].policies', key: 'name+scope' }, // composite, like the catalog's 'domain+entityName'
    { path: 'entities[].policies[].actionSet', key: '$value' },
  ],
};

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly r: () => number;
  #n = 0;
  constructor(seed: number) { this.r = rng(seed); }
  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  unique(prefix: string): string { return `${prefix}${++this.#n}`; }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) { const j = this.int(i + 1); [xs[i], xs[j]] = [xs[j], xs[i]]; }
    return xs;
  }
}

const KEYS = ['name', 'enabled', 'a.b', 'x[0]', 'q"uote', 'with space', 'weird]key', 'count', 'mode', '10', 'ünï', 'kind', 'limit'];
const STRINGS = ['alpha', 'beta', 'Gamma', '007', '+1', ' 5', '1.50', 'x=y', 'a]b', 'tab\t', 'null', 'true'];

function scalar(g: Gen): Json {
  switch (g.int(6)) {
    case 0: return g.pick(STRINGS);
    case 1: return g.int(1000) - 500;
    case 2: return g.r() < 0.5;
    case 3: return String(g.int(100)); // canonical numeric string: normalizes to a number
    case 4: return g.int(100) / 4;
    default: return g.unique('s');
  }
}

function freeValue(g: Gen, depth: number): Json {
  const roll = depth > 2 ? 0 : g.int(5);
  if (roll === 3) return freeObject(g, depth + 1);
  if (roll === 4) return Array.from({ length: 1 + g.int(3) }, () => freeValue(g, depth + 1));
  return scalar(g);
}

function freeObject(g: Gen, depth: number): Obj {
  const o: Obj = {};
  const n = 1 + g.int(4);
  for (let i = 0; i < n; i++) o[g.pick(KEYS)] = freeValue(g, depth);
  return o;
}

/** A document shaped like a paged surface, using every kind of rule in RULES. */
export function randomDocument(g: Gen): Obj {
  const entities: Json[] = [];
  const count = 2 + g.int(5);
  for (let i = 0; i < count; i++) {
    const policies: Json[] = [];
    const pc = 2 + g.int(3);
    for (let p = 0; p < pc; p++) {
      policies.push({
        name: g.pick(['routing', 'recording', 'telephony']), scope: g.unique('scope'), policyId: g.unique('pid'),
        actionSet: Array.from({ length: 2 + g.int(3) }, () => g.pick(['view', 'add', 'edit', 'delete', 'upload', '*'])),
        conditions: freeObject(g, 1),
      });
    }
    entities.push({
      id: g.r() < 0.2 ? String(100 + i) : g.unique('id-'), // some numeric-string ids
      name: g.unique('role '),
      tags: Array.from({ length: 2 + g.int(3) }, () => g.pick(['10.0.0.0/8', 'a', 'b', 'c', '42', 'x y'])),
      policies,
      settings: freeObject(g, 1),
      ordered: Array.from({ length: 2 + g.int(3) }, () => freeValue(g, 2)),
    });
  }
  return { entities, meta: freeObject(g, 0), total: count };
}

/** The same document as the API might send it again: noise that normalization must absorb. */
export function addNoise(g: Gen, doc: Json, state: RuleState | null = compileRules(RULES).root): Json {
  if (doc === null || typeof doc !== 'object') {
    if (typeof doc === 'number' && Number.isSafeInteger(doc) && g.r() < 0.5) return String(doc); // 30 -> "30"
    return doc;
  }
  if (Array.isArray(doc)) {
    const elemState = state?.elem() ?? null;
    const items = doc.map((x) => addNoise(g, x, elemState));
    if (state?.arrayKey !== undefined) {
      g.shuffle(items); // keyed arrays and sets: order is not data
      if (state.arrayKey === '$value' && items.length > 0 && g.r() < 0.5) items.push(items[0]); // duplicate member
    }
    return items;
  }
  const entries = Object.entries(doc as Obj).map(([k, v]) => [k, addNoise(g, v, state?.child(k) ?? null)] as const);
  g.shuffle(entries as [string, Json][]);
  const out: Obj = {};
  for (const [k, v] of entries) out[k] = v;
  if (g.r() < 0.3) out.selfUri = `/api/v2/${g.unique('u')}`;
  if (g.r() < 0.3) out.dateModified = new Date(1_700_000_000_000 + g.int(1e9)).toISOString();
  if (g.r() < 0.3) out[`optional${g.int(3)}`] = g.pick([null, '', [], {}, { selfUri: 'x' }] as Json[]);
  return out;
}

export type Mutation = { readonly path: readonly PathSegment[]; readonly kind: DriftKind; readonly old?: Json; readonly new?: Json };

/** An element's identity as the diff reports it: the field's value, or a tuple for 'a+b'. */
const idOf = (el: Obj, key: string): Json => (key.includes('+') ? key.split('+').map((f) => el[f]) : el[key]);

type Site = { readonly holder: Json; readonly path: readonly PathSegment[]; readonly state: RuleState | null; readonly parentIsMember: boolean };

/** Every container in a NORMALIZED document, with its path and rules. */
function sites(doc: Json, state: RuleState | null, path: PathSegment[], parentIsMember: boolean, out: Site[]): Site[] {
  if (doc === null || typeof doc !== 'object') return out;
  out.push({ holder: doc, path: [...path], state, parentIsMember });
  if (Array.isArray(doc)) {
    const key = state?.arrayKey;
    if (key === '$value') return out; // members are atoms
    const elemState = state?.elem() ?? null;
    doc.forEach((el, i) => {
      const seg: PathSegment = key === undefined ? i : { key, value: idOf(el as Obj, key) };
      sites(el, elemState, [...path, seg], false, out);
    });
  } else {
    for (const [k, v] of Object.entries(doc as Obj)) sites(v, state?.child(k) ?? null, [...path, k], true, out);
  }
  return out;
}

/**
 * Applies one random change, in place, to a NORMALIZED document and returns the single drift it
 * must produce. Changes that would cascade (emptying a member, touching an element's key) are
 * avoided, so exactly one DriftPath is expected.
 */
export function mutate(g: Gen, doc: Json): Mutation {
  const all = sites(doc, compileRules(RULES).root, [], false, []);
  for (;;) {
    const site = g.pick(all);
    const h = site.holder;
    if (Array.isArray(h)) {
      const arr = h as Json[];
      const key = site.state?.arrayKey;
      if (key === '$value') {
        if (g.r() < 0.5 && arr.length >= 2) {
          const [v] = arr.splice(g.int(arr.length), 1);
          return { path: [...site.path, { key, value: v }], kind: 'REMOVED', old: v };
        }
        const v = g.unique('member-');
        arr.push(v);
        return { path: [...site.path, { key, value: v }], kind: 'ADDED', new: v };
      }
      if (key !== undefined) {
        if (g.r() < 0.5 && arr.length >= 2) {
          const [v] = arr.splice(g.int(arr.length), 1);
          return { path: [...site.path, { key, value: idOf(v as Obj, key) }], kind: 'REMOVED', old: v };
        }
        const v: Obj = { note: 'added' };
        for (const field of key.split('+')) v[field] = g.unique('new-');
        arr.push(v);
        return { path: [...site.path, { key, value: idOf(v, key) }], kind: 'ADDED', new: v };
      }
      if (g.r() < 0.5 && arr.length >= 2) {
        const v = arr.pop()!;
        return { path: [...site.path, arr.length], kind: 'REMOVED', old: v };
      }
      const v = g.unique('tail-');
      arr.push(v);
      return { path: [...site.path, arr.length - 1], kind: 'ADDED', new: v };
    }
    const o = h as Obj;
    const keys = Object.keys(o);
    const roll = g.int(4);
    if (roll === 0) {
      const k = g.unique('newKey.');
      o[k] = 'fresh';
      return { path: [...site.path, k], kind: 'ADDED', new: 'fresh' };
    }
    // Never touch the identity field of a keyed element.
    const idFields = site.path.length > 0 && typeof site.path[site.path.length - 1] === 'object'
      ? (site.path[site.path.length - 1] as { key: string }).key.split('+') : [];
    const candidates = keys.filter((k) => !idFields.includes(k));
    if (candidates.length === 0) continue;
    const k = g.pick(candidates);
    const old = o[k];
    if (roll === 1) {
      if (keys.length < 2 && site.parentIsMember) continue; // would empty the parent member
      delete o[k];
      return { path: [...site.path, k], kind: 'REMOVED', old };
    }
    if (old !== null && typeof old === 'object') continue;
    const next: Json = roll === 2 ? g.unique('changed-') : { wrapped: g.unique('w') }; // 3: type change
    o[k] = next;
    return { path: [...site.path, k], kind: 'MODIFIED', old, new: next };
  }
}
