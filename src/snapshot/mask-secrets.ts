// Replaces the values of the catalog's secret fields with a fixed mask, so no secret reaches a
// snapshot file. Presence stays visible: a secret that appears or disappears still shows.
// (Baselines use the redact stage's keyed fingerprints instead, which also reveal rotations.)
import type { SurfaceDef } from '../genesys/surfaces.ts';
import type { Json, Snapshot } from '../model/findings.ts';

export const SECRET_MASK = '[secret]';

/**
 * Field patterns as used by the surface catalog: a bare key name matches that key at any depth;
 * a dotted pattern is rooted at the document, where '*' matches any object key and a segment
 * ending in '[]' steps into every element of that array ('entities[].properties.password').
 */
export function maskSecretFields(doc: Json, patterns: readonly string[]): Json {
  let out = doc;
  for (const p of patterns) out = isKeyName(p) ? maskKeyEverywhere(out, p) : maskPath(out, parsePattern(p));
  return out;
}

/** Every ok surface of `snapshot` with its catalog secret fields masked; unknown surfaces are
 *  masked with the union of all catalog secret fields (fail closed). */
export function maskSnapshotSecrets(snapshot: Snapshot, surfaces: readonly SurfaceDef[]): Snapshot {
  const allPatterns = [...new Set(surfaces.flatMap((s) => s.secretFields))];
  return {
    ...snapshot,
    surfaces: snapshot.surfaces.map((s) => {
      if (s.data === undefined) return s;
      const def = surfaces.find((d) => d.id === s.surface);
      return { ...s, data: maskSecretFields(s.data, def ? def.secretFields : allPatterns) };
    }),
  };
}

const isKeyName = (p: string) => !/[.[\]*]/.test(p);

type Step = { readonly key: string; readonly eachElement: boolean };

function parsePattern(p: string): readonly Step[] {
  return p.split('.').map((seg) => (seg.endsWith('[]') ? { key: seg.slice(0, -2), eachElement: true } : { key: seg, eachElement: false }));
}

/** Empty values carry no secret; keeping them shows "no secret set" honestly. */
const mask = (v: Json): Json => (v === null || v === '' ? v : SECRET_MASK);

function maskKeyEverywhere(v: Json, key: string): Json {
  if (Array.isArray(v)) return v.map((x) => maskKeyEverywhere(x, key));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v as Record<string, Json>)) out[k] = k === key ? mask(x) : maskKeyEverywhere(x, key);
  return out;
}

function maskPath(v: Json, steps: readonly Step[]): Json {
  if (steps.length === 0) return mask(v);
  // An array reached by a plain step (e.g. 'entities' then more) is walked element-wise for
  // leading '[]' steps only; other shapes simply do not match.
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const [step, ...rest] = steps as [Step, ...Step[]];
  const out: Record<string, Json> = { ...(v as Record<string, Json>) };
  for (const k of Object.keys(out)) {
    if (step.key !== '*' && step.key !== k) continue;
    const child = out[k]!;
    if (step.eachElement) {
      if (Array.isArray(child)) out[k] = child.map((el) => maskPath(el, rest));
    } else {
      out[k] = rest.length === 0 ? mask(child) : maskPath(child, rest);
    }
  }
  return out;
}
