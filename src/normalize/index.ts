// Public surface of the normalize stage.
export type { NormalizeRules, ArrayKeyRuleData } from './types.ts';
export { SET_KEY } from './types.ts';
export { normalizeDocument, normalizeScalar } from './normalize-document.ts';
export { canonicalJson, type CanonicalJsonOptions } from './canonical-json.ts';
export { canonicalNumberOf } from './numeric-string.ts';
export { compareJson } from './compare-json.ts';
export { compileRules, parseRulePattern } from './compile-rules.ts';
export { applyValueTransforms, VALUE_TRANSFORMS, type ValueTransform, type ValueTransformKind } from './value-transforms.ts';
