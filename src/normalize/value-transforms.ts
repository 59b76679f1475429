// Canonical forms of values the API returns in several spellings for the same thing
// (reference §8): a certificate comes bare or PEM-wrapped with line breaks. Applied before
// normalization so every later stage sees one spelling.
import type { Json } from '../model/findings.ts';
import { parseRulePattern, type Step } from './compile-rules.ts';

export const VALUE_TRANSFORMS = ['certificate'] as const;
export type ValueTransformKind = (typeof VALUE_TRANSFORMS)[number];
export type ValueTransform = { readonly path: string; readonly as: ValueTransformKind };

const TRANSFORMS: Record<ValueTransformKind, (v: Json) => Json> = {
  // Base64 body only: PEM armour lines and all whitespace removed.
  certificate: (v) => (typeof v === 'string' ? v.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '') : v),
};

export function applyValueTransforms(doc: Json, transforms: readonly ValueTransform[]): Json {
  let out = doc;
  for (const t of transforms) out = applyAt(out, parseRulePattern(t.path), 0, TRANSFORMS[t.as]);
  return out;
}

function applyAt(v: Json, steps: readonly Step[], i: number, fn: (v: Json) => Json): Json {
  if (i === steps.length) return fn(v);
  const step = steps[i]!;
  if (step.kind === 'elem') return Array.isArray(v) ? v.map((x) => applyAt(x, steps, i + 1, fn)) : v;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const [k, child] of Object.entries(o)) {
    const hit = step.kind === 'any' || (step.kind === 'key' && step.name === k) || (step.kind === 'glob' && step.re.test(k));
    out[k] = hit ? applyAt(child, steps, i + 1, fn) : child;
  }
  return out;
}
