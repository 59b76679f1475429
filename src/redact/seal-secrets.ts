// Secrets never enter a baseline, a diff or a report: before normalized data is compared or
// stored, every secret-bearing value is replaced by a keyed fingerprint ("sealed"). A changed
// secret then shows as a changed fingerprint — drift is detected, the value is not disclosed —
// and the clear values are handed back separately for the encrypted vault.
import { fingerprintJson } from './fingerprint.ts';
import { isSecretKeyName, matchesSecretField, type ParsedSegment } from './secret-names.ts';
import type { RedactionRules } from './rules.ts';
import { formatPath } from '../diff/format-path.ts';
import type { Json, PathSegment } from '../model/findings.ts';

export const SEALED_PREFIX = 'sealed:';
export type SealedSecret = { readonly surface: string; readonly pathText: string; readonly fingerprint: string; readonly value: Json };

export const isSealed = (v: Json | undefined): boolean => typeof v === 'string' && v.startsWith(SEALED_PREFIX);

export function sealSecrets(surface: string, doc: Json, rules: RedactionRules): { readonly doc: Json; readonly secrets: readonly SealedSecret[] } {
  const secrets: SealedSecret[] = [];
  const fields = rules.secretFields.filter((f) => f.surface === undefined || f.surface === surface);
  const parsed: ParsedSegment[] = [];
  const path: PathSegment[] = [];
  const seal = (value: Json): Json => {
    // Empty values hold no secret, and sealing them would turn "not set" into a fingerprint.
    if (value === null || value === '' || isSealed(value)) return value;
    const fingerprint = SEALED_PREFIX + fingerprintJson(value, rules.key);
    secrets.push({ surface, pathText: formatPath(path), fingerprint, value });
    return fingerprint;
  };
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) {
      return v.map((item, i) => {
        parsed.push({ kind: 'index', index: i }); path.push(i);
        try { return walk(item); } finally { parsed.pop(); path.pop(); }
      });
    }
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, Json> = {};
    for (const [k, child] of Object.entries(v as Record<string, Json>)) {
      parsed.push({ kind: 'key', name: k }); path.push(k);
      try {
        const secret = isSecretKeyName(k) || fields.some((f) => matchesSecretField(parsed, surface, f));
        out[k] = secret ? seal(child) : walk(child);
      } finally { parsed.pop(); path.pop(); }
    }
    return out;
  };
  return { doc: walk(doc), secrets };
}
