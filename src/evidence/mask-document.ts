// What of a snapshot document the evidence store may keep. Secret fields are already sealed by
// the pipeline; what is left is free text where people paste credentials ("vendor key AKIA…").
// Every string with whitespace in it (prose, never an id, enum or address) goes through the same
// pattern masking as findings; identifiers and configuration values stay as they are, so the kept
// document still shows what the configuration was.
import type { Json } from '../model/findings.ts';
import type { RedactionRules } from '../redact/rules.ts';
import { maskString } from '../redact/mask-text.ts';

export function maskFreeText(doc: Json, rules: RedactionRules): Json {
  if (typeof doc === 'string') return /\s/.test(doc) ? maskString(doc, rules) : doc;
  if (doc === null || typeof doc !== 'object') return doc;
  if (Array.isArray(doc)) return doc.map((x) => maskFreeText(x, rules));
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(doc as Record<string, Json>)) out[k] = maskFreeText(v, rules);
  return out;
}
