// The plain rule data normalization needs. Mirrors the surface catalog's `ArrayKeyRule` shape
// (src/genesys/surfaces.ts) without importing it, so this stage depends on data, not on the client.

/** `path` is a dotted pattern inside the surface document: `*` matches one object key (or a
 *  glob like `date*` inside one segment), `[]` an array element. `key` names the field that
 *  identifies an element, several fields joined by '+' whose values together identify it
 *  ('domain+entityName'), or `$value` for arrays of scalars compared as sets. */
export type ArrayKeyRuleData = { readonly path: string; readonly key: string };

export type NormalizeRules = {
  /** A plain key name (`selfUri`) is removed at any depth; a dotted pattern
   *  (`entities[].permissionPolicies[].id`, `a.*.b`) is removed only where it matches. The
   *  caller concatenates the global, per-surface and configured lists. */
  readonly volatileFields: readonly string[];
  readonly arrayKeys: readonly ArrayKeyRuleData[];
};

/** Array key meaning "the elements are scalars; compare them as a sorted, de-duplicated set". */
export const SET_KEY = '$value';
