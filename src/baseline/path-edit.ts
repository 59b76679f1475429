// Reads and edits one path of a JSON document without mutating it (structural sharing).
// Failures are values so the caller can name the surface and path in its error.
import type { Json, KeyedSegment } from '../model/findings.ts';
import { canonicalJson } from '../normalize/canonical-json.ts';
import { normalizeScalar } from '../normalize/normalize-document.ts';
import { isKeyed, SET_KEY, type EditSegment } from './path-text.ts';

type JsonRecord = { readonly [k: string]: Json };
export type Lookup = { readonly found: true; readonly value: Json } | { readonly found: false };
export type Edit = { readonly ok: true; readonly doc: Json } | { readonly ok: false; readonly message: string; readonly depth: number };

const isRecord = (v: Json | undefined): v is JsonRecord => v !== null && typeof v === 'object' && !Array.isArray(v);
const isArray = (v: Json | undefined): v is readonly Json[] => Array.isArray(v);

/** Identity as the diff sees it: scalars normalized (numeric strings, -0), anything else by
 *  canonical JSON. The baseline may hold raw or normalized documents; both match. */
function sameIdentity(a: Json | undefined, b: Json): boolean {
  if (a === undefined) return false;
  const scalar = (v: Json) => v === null || typeof v !== 'object';
  if (scalar(a) && scalar(b)) return normalizeScalar(a as null | boolean | number | string) === normalizeScalar(b as null | boolean | number | string);
  return !scalar(a) && !scalar(b) && canonicalJson(a) === canonicalJson(b);
}

function keyedIndex(arr: readonly Json[], seg: KeyedSegment): number {
  if (seg.key === SET_KEY) return arr.findIndex((el) => sameIdentity(el, seg.value));
  return arr.findIndex((el) => isRecord(el) && Object.hasOwn(el, seg.key) && sameIdentity(el[seg.key], seg.value));
}

/** The child of `node` at `seg`, if any. */
function child(node: Json | undefined, seg: EditSegment): Lookup {
  if (typeof seg === 'string') return isRecord(node) && Object.hasOwn(node, seg) ? { found: true, value: node[seg]! } : { found: false };
  if (!isArray(node)) return { found: false };
  const i = typeof seg === 'number' ? seg : keyedIndex(node, seg);
  return i >= 0 && i < node.length ? { found: true, value: node[i]! } : { found: false };
}

export function getAt(doc: Json | undefined, path: readonly EditSegment[]): Lookup {
  let node: Lookup = doc === undefined ? { found: false } : { found: true, value: doc };
  for (const seg of path) {
    if (!node.found) return node;
    node = child(node.value, seg);
  }
  return node;
}

const describe = (seg: EditSegment) =>
  typeof seg === 'string' ? `key "${seg}"` : typeof seg === 'number' ? `index ${seg}` : `element [${seg.key === SET_KEY ? '' : seg.key}=${canonicalJson(seg.value)}]`;

/** `doc` with the value at `path` set to `value`. The parent must exist; a keyed element that is
 *  missing is appended, an index may be at most the array length (append). */
export function setAt(doc: Json, path: readonly EditSegment[], value: Json): Edit {
  return edit(doc, path, 0, { op: 'set', value });
}

/** `doc` without the value at `path` (array elements are spliced out). Absent already: unchanged. */
export function deleteAt(doc: Json, path: readonly EditSegment[]): Edit {
  return edit(doc, path, 0, { op: 'delete' });
}

type Op = { readonly op: 'set'; readonly value: Json } | { readonly op: 'delete' };

function edit(node: Json, path: readonly EditSegment[], depth: number, op: Op): Edit {
  if (depth === path.length) return op.op === 'set' ? { ok: true, doc: op.value } : { ok: false, message: 'cannot delete the whole document', depth };
  const seg = path[depth]!;
  const last = depth === path.length - 1;
  if (typeof seg === 'string') {
    if (!isRecord(node)) return { ok: false, message: `expected an object to hold ${describe(seg)}`, depth };
    if (last && op.op === 'delete') {
      if (!Object.hasOwn(node, seg)) return { ok: true, doc: node };
      const { [seg]: _gone, ...rest } = node;
      return { ok: true, doc: rest };
    }
    if (!last && !Object.hasOwn(node, seg)) return missing(node, seg, depth, op);
    const sub = edit(node[seg]!, path, depth + 1, op);
    return sub.ok ? { ok: true, doc: { ...node, [seg]: sub.doc } } : sub;
  }
  if (!isArray(node)) return { ok: false, message: `expected an array to hold ${describe(seg)}`, depth };
  let index = isKeyed(seg) ? keyedIndex(node, seg) : seg;
  if (index < 0 || index >= node.length) {
    if (op.op === 'delete' || !last) return missing(node, seg, depth, op);
    if (isKeyed(seg)) index = node.length;
    else if (index > node.length) return { ok: false, message: `cannot set ${describe(seg)}: the array has ${node.length} items; accept the items before it too`, depth };
  }
  if (last && op.op === 'delete') {
    // A set holds each value once, but a raw baseline may repeat it: remove every copy.
    const drop = isKeyed(seg) && seg.key === SET_KEY ? (el: Json, i: number) => i === index || sameIdentity(el, seg.value) : (_: Json, i: number) => i === index;
    return { ok: true, doc: node.filter((el, i) => !drop(el, i)) };
  }
  const sub = edit(node[index]!, path, depth + 1, op);
  if (!sub.ok) return sub;
  const copy = node.slice();
  copy[index] = sub.doc;
  return { ok: true, doc: copy };
}

/** A container on the way is missing: deleting is a no-op, setting below it is refused because
 *  the diff would have reported the container itself. */
function missing(node: Json, seg: EditSegment, depth: number, op: Op): Edit {
  if (op.op === 'delete') return { ok: true, doc: node };
  return { ok: false, message: `the baseline has no ${describe(seg)} here; accept the enclosing path instead`, depth };
}
