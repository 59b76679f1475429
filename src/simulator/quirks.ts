// The read-side realism that makes naive drift detection fail (reference §8): set-like arrays
// in varying order, numbers sometimes sent as strings, empty optional fields sometimes left out,
// object keys in varying order. Every change here vanishes under sensible normalization.
import { chance, shuffled, type Rng } from './prng.ts';
import type { JsonObj, JsonValue } from './types.ts';

const STRINGIFY_NUMBER_P = 0.25;
const DROP_EMPTY_P = 0.5;

const isObj = (v: JsonValue | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applies fn to every array found at a dotted pattern ('[]' = each element, '*' = any key). */
export function mapArraysAt(root: JsonObj, pattern: string, fn: (arr: JsonValue[]) => JsonValue[]): void {
  const segments = pattern.split('.');
  const walk = (node: JsonValue | undefined, i: number, setter: (v: JsonValue) => void): void => {
    if (i === segments.length) {
      if (Array.isArray(node)) setter(fn(node));
      return;
    }
    let seg = segments[i];
    const eachElement = seg.endsWith('[]');
    if (eachElement) seg = seg.slice(0, -2);
    if (!isObj(node)) return;
    const keys = seg === '*' ? Object.keys(node) : [seg];
    for (const key of keys) {
      const child = node[key];
      if (eachElement) {
        if (!Array.isArray(child)) continue;
        child.forEach((el, idx) => walk(el, i + 1, (v) => { child[idx] = v; }));
      } else {
        walk(child, i + 1, (v) => { node[key] = v; });
      }
    }
  };
  walk(root, 0, () => undefined);
}

const isEmpty = (v: JsonValue): boolean =>
  v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);

function dropSomeEmpty(node: JsonValue, rng: Rng): JsonValue {
  if (Array.isArray(node)) return node.map((el) => dropSomeEmpty(el, rng));
  if (!isObj(node)) return node;
  const out: JsonObj = {};
  for (const [k, v] of Object.entries(node)) {
    if (isEmpty(v) && chance(rng, DROP_EMPTY_P)) continue;
    out[k] = dropSomeEmpty(v, rng);
  }
  return out;
}

function stringifySomeNumbers(node: JsonValue, rng: Rng): JsonValue {
  if (typeof node === 'number') return chance(rng, STRINGIFY_NUMBER_P) ? String(node) : node;
  if (Array.isArray(node)) return node.map((el) => stringifySomeNumbers(el, rng));
  if (!isObj(node)) return node;
  const out: JsonObj = {};
  for (const [k, v] of Object.entries(node)) out[k] = stringifySomeNumbers(v, rng);
  return out;
}

/** Key order carries no meaning in JSON, but text diffs and naive hashes see it. */
export function shuffleKeys(node: JsonValue, rng: Rng): JsonValue {
  if (Array.isArray(node)) return node.map((el) => shuffleKeys(el, rng));
  if (!isObj(node)) return node;
  const out: JsonObj = {};
  for (const k of shuffled(rng, Object.keys(node))) out[k] = shuffleKeys(node[k], rng);
  return out;
}

/** All read quirks for one entity or singleton body. `body` is a private copy and may be mutated. */
export function applyReadQuirks(body: JsonObj, unorderedArrays: readonly string[], rng: Rng): JsonObj {
  for (const pattern of unorderedArrays) mapArraysAt(body, pattern, (arr) => shuffled(rng, arr));
  const dropped = dropSomeEmpty(body, rng);
  const stringified = stringifySomeNumbers(dropped, rng);
  return shuffleKeys(stringified, rng) as JsonObj;
}
