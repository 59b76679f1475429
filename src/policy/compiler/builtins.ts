// The builtin catalog: every builtin name the checker knows, its arity, and where it runs.
// `check/` uses it for "unknown function" and arity diagnostics; `plan/` uses ALIASES to rename
// builtins whose opa-wasm SDK JavaScript implementation is wrong (the SDK's own JS builtins
// cannot be overridden, so we call them by another name and supply them as customBuiltins).

/** native = implemented inside our AssemblyScript runtime; host = TypeScript host builtin
 *  (HOST_BUILTINS) or one of the SDK's six JS builtins; unsupported = known to OPA but not
 *  implemented by driftwarden (a call compiles to a clear DW3120 error). */
export const BUILTIN_PLACES = ['native', 'host', 'unsupported'] as const;
export type BuiltinPlace = (typeof BUILTIN_PLACES)[number];

export type BuiltinInfo = {
  readonly name: string;
  /** Number of arguments; -1 for variadic builtins (`print`), which have no output form. */
  readonly arity: number;
  readonly place: BuiltinPlace;
  readonly relation?: boolean;
};

const N = 'native', H = 'host', U = 'unsupported';
type Row = readonly [name: string, arity: number, place: BuiltinPlace];

const ROWS: readonly Row[] = [
  // comparison
  ['equal', 2, N], ['neq', 2, N], ['lt', 2, N], ['lte', 2, N], ['gt', 2, N], ['gte', 2, N],
  // arithmetic
  ['plus', 2, N], ['minus', 2, N], ['mul', 2, N], ['div', 2, N], ['rem', 2, N],
  ['abs', 1, N], ['round', 1, N], ['ceil', 1, N], ['floor', 1, N], ['numbers.range', 2, N],
  ['numbers.range_step', 3, N], ['to_number', 1, N], ['rand.intn', 2, U],
  // types
  ['is_number', 1, N], ['is_string', 1, N], ['is_boolean', 1, N], ['is_array', 1, N],
  ['is_set', 1, N], ['is_object', 1, N], ['is_null', 1, N], ['type_name', 1, N],
  // sets
  ['and', 2, N], ['or', 2, N], ['intersection', 1, N], ['union', 1, N],
  // aggregates
  ['count', 1, N], ['sum', 1, N], ['product', 1, N], ['max', 1, N], ['min', 1, N],
  ['sort', 1, N], ['all', 1, N], ['any', 1, N],
  // arrays
  ['array.concat', 2, N], ['array.slice', 3, N], ['array.reverse', 1, N], ['array.flatten', 1, N],
  // objects
  ['object.get', 3, N], ['object.keys', 1, N], ['object.remove', 2, N], ['object.union', 2, N],
  ['object.union_n', 1, N], ['object.filter', 2, N], ['object.subset', 2, N],
  // json / yaml
  ['json.marshal', 1, N], ['json.unmarshal', 1, N], ['json.filter', 2, N], ['json.remove', 2, N],
  ['json.patch', 2, U], ['json.is_valid', 1, N], ['json.marshal_with_options', 2, N],
  ['json.match_schema', 2, U], ['json.verify_schema', 1, U],
  ['yaml.marshal', 1, H], ['yaml.unmarshal', 1, H], ['yaml.is_valid', 1, H],
  // strings
  ['concat', 2, N], ['contains', 2, N], ['startswith', 2, N], ['endswith', 2, N],
  ['indexof', 2, N], ['indexof_n', 2, N], ['lower', 1, N], ['upper', 1, N], ['split', 2, N],
  ['replace', 3, N], ['strings.replace_n', 2, N], ['substring', 3, N], ['trim', 2, N],
  ['trim_left', 2, N], ['trim_right', 2, N], ['trim_prefix', 2, N], ['trim_suffix', 2, N],
  ['trim_space', 1, N], ['format_int', 2, N], ['strings.reverse', 1, N], ['strings.count', 2, N],
  ['sprintf', 2, H], ['strings.any_prefix_match', 2, N], ['strings.any_suffix_match', 2, N],
  ['strings.render_template', 2, U],
  // encodings
  ['base64.encode', 1, N], ['base64.decode', 1, N], ['base64.is_valid', 1, N],
  ['base64url.encode', 1, N], ['base64url.encode_no_pad', 1, N], ['base64url.decode', 1, N],
  ['hex.encode', 1, N], ['hex.decode', 1, N], ['urlquery.encode', 1, U], ['urlquery.decode', 1, U],
  ['urlquery.encode_object', 1, U], ['urlquery.decode_object', 1, U],
  // bits
  ['bits.and', 2, N], ['bits.or', 2, N], ['bits.xor', 2, N], ['bits.negate', 1, N],
  ['bits.lsh', 2, N], ['bits.rsh', 2, N],
  // misc natives
  ['walk', 1, N], ['internal.member_2', 2, N], ['internal.member_3', 3, N], ['glob.match', 3, N],
  ['glob.quote_meta', 1, U], ['net.cidr_contains', 2, N], ['graph.reachable', 2, U],
  ['graph.reachable_paths', 2, U],
  // regex (host)
  ['regex.match', 2, H], ['re_match', 2, H], ['regex.is_valid', 1, H], ['regex.find_n', 3, H],
  ['regex.find_all_string_submatch_n', 3, H], ['regex.replace', 3, H], ['regex.split', 2, H],
  ['regex.template_match', 4, H], ['regex.globs_match', 2, U],
  // time (host)
  ['time.now_ns', 0, H], ['time.parse_rfc3339_ns', 1, H], ['time.parse_ns', 2, H],
  ['time.parse_duration_ns', 1, H], ['time.date', 1, H], ['time.clock', 1, H],
  ['time.weekday', 1, H], ['time.add_date', 4, H], ['time.diff', 2, H], ['time.format', 1, H],
  // semver / units / net / crypto (host)
  ['semver.compare', 2, H], ['semver.is_valid', 1, H], ['units.parse', 1, H],
  ['units.parse_bytes', 1, H], ['net.cidr_intersects', 2, H], ['net.cidr_overlap', 2, H],
  ['net.cidr_expand', 1, H], ['net.cidr_is_valid', 1, H], ['net.cidr_merge', 1, U],
  ['net.lookup_ip_addr', 1, U], ['io.jwt.decode', 1, H], ['io.jwt.decode_verify', 2, U],
  ['io.jwt.verify_hs256', 2, U], ['io.jwt.verify_rs256', 2, U], ['io.jwt.encode_sign', 3, U],
  ['crypto.sha256', 1, H], ['crypto.md5', 1, H], ['crypto.sha1', 1, H],
  ['crypto.hmac.sha256', 2, H], ['crypto.hmac.sha1', 2, H], ['crypto.hmac.sha512', 2, H],
  ['crypto.hmac.md5', 2, H], ['crypto.hmac.equal', 2, H], ['crypto.x509.parse_certificates', 1, U],
  ['crypto.x509.parse_and_verify_certificates', 1, U], ['crypto.x509.parse_and_verify_certificates_with_options', 2, U],
  ['crypto.x509.parse_certificate_request', 1, U], ['crypto.x509.parse_keypair', 2, U],
  ['crypto.x509.parse_rsa_private_key', 1, U], ['crypto.parse_private_keys', 1, U],
  ['io.jwt.verify_es256', 2, U], ['io.jwt.verify_es384', 2, U], ['io.jwt.verify_es512', 2, U],
  ['io.jwt.verify_hs384', 2, U], ['io.jwt.verify_hs512', 2, U], ['io.jwt.verify_ps256', 2, U],
  ['io.jwt.verify_ps384', 2, U], ['io.jwt.verify_ps512', 2, U], ['io.jwt.verify_rs384', 2, U],
  ['io.jwt.verify_rs512', 2, U], ['io.jwt.verify_eddsa', 2, U], ['io.jwt.encode_sign_raw', 3, U],
  ['uuid.parse', 1, H], ['uuid.rfc4122', 1, U],
  // not available in a sandboxed policy
  ['http.send', 1, U], ['opa.runtime', 0, H], ['trace', 1, U], ['print', -1, U],
  ['rego.parse_module', 2, U], ['rego.metadata.rule', 0, U], ['rego.metadata.chain', 0, U],
  ['providers.aws.sign_req', 3, U], ['net.cidr_contains_matches', 2, U],
  ['graphql.is_valid', 2, U], ['graphql.parse', 2, U], ['graphql.parse_and_verify', 2, U],
  ['graphql.parse_query', 1, U], ['graphql.parse_schema', 1, U], ['graphql.schema_is_valid', 1, U],
  // deprecated names OPA still accepts
  ['set_diff', 2, N], ['cast_array', 1, U], ['cast_set', 1, U], ['cast_string', 1, U],
  ['cast_boolean', 1, U], ['cast_null', 1, U], ['cast_object', 1, U],
];

/** Builtins whose SDK JavaScript implementation differs from OPA: renamed to `dw.<name>` in
 *  the IR so the SDK falls through to driftwarden's customBuiltins. */
export const ALIASES: Readonly<Record<string, string>> = { sprintf: 'dw.sprintf', 'yaml.is_valid': 'dw.yaml.is_valid' };

/** Relations: the builtin yields many outputs (the runtime returns them as an array) and a
 *  call with an output argument iterates over them (`walk(x, [path, value])`). */
const RELATIONS = new Set(['walk']);

export const BUILTINS: ReadonlyMap<string, BuiltinInfo> = new Map(
  ROWS.map(([name, arity, place]) => [name, { name, arity, place, ...(RELATIONS.has(name) ? { relation: true } : {}) }] as const),
);

export function lookupBuiltin(name: string): BuiltinInfo | undefined {
  return BUILTINS.get(name);
}

/** Fixed arity of a builtin, undefined when unknown or variadic. */
export function builtinArity(name: string): number | undefined {
  const a = BUILTINS.get(name)?.arity;
  return a === undefined || a < 0 ? undefined : a;
}

/** The name a builtin gets in the IR (after the alias table). */
export function irBuiltinName(name: string): string {
  return ALIASES[name] ?? name;
}
