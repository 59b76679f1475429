// Stable diagnostic codes of the parser (DW3000-DW3099). Host builtins (DW3400-DW3499) never
// raise errors: OPA's non-strict mode makes a failing builtin undefined.
export const PARSE_CODES = {
  /** Unexpected token / malformed expression, term, body or query. */
  DW3001: 'syntax error',
  /** Illegal character or malformed number (e.g. leading zeros, `1e`). */
  DW3002: 'lexical error',
  /** String or raw string without its closing quote. */
  DW3003: 'unterminated string',
  /** Invalid escape sequence in a string. */
  DW3004: 'invalid escape',
  /** Rule body without `if` (Rego v0 syntax). */
  DW3005: 'rego v1 requires if',
  /** Invalid default rule (body, else, non-constant value, bad parameters). */
  DW3006: 'invalid default rule',
  /** `else` or `contains` used where OPA forbids it. */
  DW3007: 'invalid else/contains',
  /** Rule head without value, contains or body; function without parameters. */
  DW3008: 'invalid rule head',
  /** Import of something other than data/input (or an unknown rego/future import). */
  DW3009: 'invalid import',
  /** Missing or repeated package declaration. */
  DW3010: 'invalid package',
  /** METADATA block: invalid YAML, unknown key, wrong type, wrong scope, nothing below it. */
  DW3020: 'invalid METADATA annotation',
} as const;
export type ParseCode = keyof typeof PARSE_CODES;
