// The Rego v1 abstract syntax tree produced by `parse/` and consumed by `check/` and `plan/`.
// Every node carries its source position so every later diagnostic can name file:line:col.
// The tree stays close to the source: sugar (`some x in xs`, `every`, `x in xs`, infix
// operators) is represented explicitly and lowered by later stages, not by the parser.

export type Pos = { readonly file: string; readonly line: number; readonly col: number };

// ---------------------------------------------------------------- terms
export type NullTerm = { readonly type: 'null'; readonly pos: Pos };
export type BooleanTerm = { readonly type: 'boolean'; readonly value: boolean; readonly pos: Pos };
/** Numbers keep their source text so int64 values and big literals survive exactly. */
export type NumberTerm = { readonly type: 'number'; readonly value: string; readonly pos: Pos };
export type StringTerm = { readonly type: 'string'; readonly value: string; readonly pos: Pos };
/** `_` is a wildcard: the parser renames each occurrence to a fresh `$_N` so no two unify. */
export type VarTerm = { readonly type: 'var'; readonly name: string; readonly pos: Pos };
/** `head.path[0][x]`: head is a var (`input`, `data`, a local, an import alias) or a
 *  composite/call term (`[1,2][0]`, `f(x).y`); each dotted segment becomes a StringTerm. */
export type RefTerm = { readonly type: 'ref'; readonly head: Term; readonly path: readonly Term[]; readonly pos: Pos };
export type ArrayTerm = { readonly type: 'array'; readonly items: readonly Term[]; readonly pos: Pos };
export type ObjectTerm = { readonly type: 'object'; readonly items: readonly (readonly [Term, Term])[]; readonly pos: Pos };
export type SetTerm = { readonly type: 'set'; readonly items: readonly Term[]; readonly pos: Pos };
export type ArrayComprehension = { readonly type: 'arraycompr'; readonly term: Term; readonly body: Body; readonly pos: Pos };
export type SetComprehension = { readonly type: 'setcompr'; readonly term: Term; readonly body: Body; readonly pos: Pos };
export type ObjectComprehension = { readonly type: 'objectcompr'; readonly key: Term; readonly value: Term; readonly body: Body; readonly pos: Pos };
/** A call: builtin or user function. `op` is the dotted name (`count`, `object.get`,
 *  `data.lib.f`, `lib.f` through an import). Infix operators become calls with OPA's builtin
 *  names: `+` plus, `-` minus, `*` mul, `/` div, `%` rem, `&` and, `|` or, `==` equal,
 *  `!=` neq, `<` lt, `<=` lte, `>` gt, `>=` gte. `x in xs` becomes `internal.member_2(x, xs)`,
 *  `k, v in xs` becomes `internal.member_3(k, v, xs)`. Unary minus on a non-literal is
 *  `minus(0, x)`; on a number literal the parser folds it into the NumberTerm. */
export type CallTerm = { readonly type: 'call'; readonly op: string; readonly opPos: Pos; readonly args: readonly Term[]; readonly pos: Pos };

export type Term =
  | NullTerm | BooleanTerm | NumberTerm | StringTerm | VarTerm | RefTerm
  | ArrayTerm | ObjectTerm | SetTerm
  | ArrayComprehension | SetComprehension | ObjectComprehension
  | CallTerm;

// ---------------------------------------------------------------- expressions
export type WithModifier = { readonly target: Term /* ref: input..., data..., or a builtin/function name */; readonly value: Term; readonly pos: Pos };

export type ExprKind =
  /** A bare term: true unless undefined or `false`. A CallTerm here is a call statement
   *  (`f(x)`, or `count(x, n)` with an output argument). */
  | { readonly type: 'term'; readonly term: Term }
  /** `a = b`: unification. */
  | { readonly type: 'unify'; readonly left: Term; readonly right: Term }
  /** `a := b`: declares the vars of the left side (error if already declared). */
  | { readonly type: 'assign'; readonly left: Term; readonly right: Term }
  /** `some x, y`: declares locals. */
  | { readonly type: 'some-decl'; readonly vars: readonly VarTerm[] }
  /** `some x in xs`, `some k, v in xs`: declares the vars in key/value (which may be
   *  patterns, e.g. `some [a, b] in pairs`) and iterates. */
  | { readonly type: 'some-in'; readonly key?: Term; readonly value: Term; readonly collection: Term }
  /** `every x in xs { body }`, `every k, v in xs { body }`. */
  | { readonly type: 'every'; readonly key?: VarTerm; readonly value: VarTerm; readonly domain: Term; readonly body: Body };

export type Expr = {
  readonly kind: ExprKind;
  readonly negated: boolean;
  readonly with: readonly WithModifier[];
  readonly pos: Pos;
};
export type Body = readonly Expr[];

// ---------------------------------------------------------------- rules
export const RULE_KINDS = ['complete', 'partial-set', 'partial-object', 'function'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export type RuleHead = {
  /** The rule's reference relative to the package: `p` -> [p]; `a.b.c` -> [a, b, c];
   *  `p[k]` -> [p, k] (k any term, usually a var or string). First element is always a
   *  StringTerm naming the rule; later ones may be StringTerms or other terms (ref heads). */
  readonly ref: readonly Term[];
  readonly kind: RuleKind;
  /** Function parameters (patterns allowed). */
  readonly args?: readonly Term[];
  /** partial-set: the element (`p contains x`). */
  readonly key?: Term;
  /** complete / partial-object / function: the value; `true` BooleanTerm when omitted. */
  readonly value?: Term;
  /** `:=` (true) vs `=` (false) in the head. */
  readonly assign: boolean;
  readonly pos: Pos;
};

export type Rule = {
  readonly head: RuleHead;
  /** Empty body = unconditional (`p := 1`). */
  readonly body: Body;
  readonly isDefault: boolean;
  /** The `else` chain: each entry has its own value (or `true`) and body. */
  readonly elses: readonly { readonly value?: Term; readonly body: Body; readonly pos: Pos }[];
  /** METADATA blocks that attach to this rule (scope rule or document). */
  readonly annotations: readonly Annotation[];
  readonly pos: Pos;
};

// ---------------------------------------------------------------- modules
export type Import = { readonly path: RefTerm | VarTerm; readonly alias?: string; readonly pos: Pos };

export const ANNOTATION_SCOPES = ['rule', 'document', 'package', 'subpackages'] as const;
export type AnnotationScope = (typeof ANNOTATION_SCOPES)[number];
export type Annotation = {
  readonly scope: AnnotationScope;
  readonly title?: string;
  readonly description?: string;
  readonly entrypoint?: boolean;
  readonly organizations?: readonly string[];
  readonly relatedResources?: readonly { readonly ref: string; readonly description?: string }[];
  readonly authors?: readonly { readonly name?: string; readonly email?: string }[];
  readonly schemas?: readonly unknown[];
  /** `custom:` block as parsed YAML (severity, sensitivity, frameworks, ...). */
  readonly custom?: Readonly<Record<string, unknown>>;
  readonly pos: Pos;
  /** The package path plus rule ref the annotation attaches to, e.g. `data.dw.drift.mfa`. */
  readonly path: string;
};

export type Module = {
  readonly file: string;
  /** Package path without the leading `data`, e.g. ['driftwarden', 'drift']. */
  readonly package: readonly string[];
  readonly packagePos: Pos;
  readonly imports: readonly Import[];
  readonly rules: readonly Rule[];
  /** All METADATA blocks of the module (package-scoped ones included). */
  readonly annotations: readonly Annotation[];
};
