// Derives per-surface stage rules from the catalog and the config (data in, data out).
import { GLOBAL_VOLATILE_FIELDS, type SurfaceDef } from '../genesys/surfaces.ts';
import type { NormalizeRules } from '../normalize/index.ts';
import { compileSecretField, isSecretPath, parsePathText } from '../redact/secret-names.ts';
import { secretFieldsFromCatalog, type RedactionRules } from '../redact/rules.ts';
import { applyValueTransforms, normalizeDocument } from '../normalize/index.ts';
import { sealSecrets, type SealedSecret } from '../redact/seal-secrets.ts';
import type { Json, SurfaceSnapshot } from '../model/findings.ts';

const NO_SURFACE: NormalizeRules = { volatileFields: GLOBAL_VOLATILE_FIELDS, arrayKeys: [] };

/** Global + per-surface + configured volatile fields, and the surface's array keys. */
export function rulesForSurface(surfaces: readonly SurfaceDef[], extraVolatile: readonly string[]): (surface: string) => NormalizeRules {
  const table = new Map<string, NormalizeRules>(surfaces.map((s) => [s.id, {
    volatileFields: [...GLOBAL_VOLATILE_FIELDS, ...s.volatileFields, ...extraVolatile],
    arrayKeys: s.arrayKeys,
  }]));
  return (surface) => table.get(surface) ?? { ...NO_SURFACE, volatileFields: [...GLOBAL_VOLATILE_FIELDS, ...extraVolatile] };
}

/** True when a drift path holds a secret: catalog secret fields or a secret-sounding key name. */
export function isSecretPathFor(surfaces: readonly SurfaceDef[]): (surface: string, pathText: string) => boolean {
  const fields = secretFieldsFromCatalog(surfaces).map(compileSecretField);
  return (surface, pathText) => isSecretPath(parsePathText(pathText), surface, fields);
}

/** Normalizes each readable surface and seals its secrets: what is diffed, stored and shown. */
export function prepareSurfaces(surfaces: readonly SurfaceSnapshot[], catalog: readonly SurfaceDef[], rulesFor: (surface: string) => NormalizeRules, redaction: RedactionRules): { readonly docs: Record<string, Json>; readonly secrets: readonly SealedSecret[] } {
  const docs: Record<string, Json> = {};
  const secrets: SealedSecret[] = [];
  for (const s of surfaces) {
    const sealed = prepareDocument(s.surface, s.data ?? null, catalog, rulesFor, redaction);
    docs[s.surface] = sealed.doc;
    secrets.push(...sealed.secrets);
  }
  return { docs, secrets };
}

/** One surface document as every stage compares it: canonical values, normalized, secrets sealed. */
export function prepareDocument(surface: string, doc: Json, catalog: readonly SurfaceDef[], rulesFor: (surface: string) => NormalizeRules, redaction: RedactionRules): { readonly doc: Json; readonly secrets: readonly SealedSecret[] } {
  const transforms = catalog.find((c) => c.id === surface)?.valueTransforms ?? [];
  return sealSecrets(surface, normalizeDocument(applyValueTransforms(doc, transforms), rulesFor(surface)), redaction);
}
