// Stable diagnostic codes of the checker, planner and compiler front door (DW3100-DW3299).
// Parser codes are DW30xx/DW34xx, runtime codes DW33xx.
export const COMPILER_CODES = {
  /** A variable no expression of the body can bind (after safety reordering). */
  unsafeVar: 'DW3101',
  /** `x := ...` (or `some x`) of a name already declared in the same scope. */
  redeclared: 'DW3102',
  /** Rules that depend on themselves (through refs or calls). */
  recursion: 'DW3103',
  /** Rules on one path that cannot coexist: complete vs partial, function arities, two defaults,
   *  a value rule with rules below it. */
  ruleConflict: 'DW3104',
  /** A call of a name that is neither a builtin nor a function of the compiled policies. */
  unknownFunction: 'DW3105',
  /** A builtin or function called with the wrong number of arguments. */
  arity: 'DW3106',
  /** An import that is not `data...`/`input...`. */
  badImport: 'DW3108',
  /** A type error visible in the source (arithmetic on a string literal, ...). */
  typeError: 'DW3109',
  /** A `with` target that is not input, data or a function. */
  badWithTarget: 'DW3110',
  /** compilePolicies without any entry point. */
  noEntrypoints: 'DW3121',
  /** An entry point that names no rule/package, or names a function. */
  badEntrypoint: 'DW3122',
  /** The planner met something the checker should have rejected (a compiler bug). */
  planInternal: 'DW3201',
} as const;
