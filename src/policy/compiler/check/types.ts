// What `check/` hands to `plan/`: rules grouped into rule sets by data path, with every
// term resolved (rule names and import aliases -> `data...` refs, calls -> builtin names or
// `data...` function paths), every local renamed to a name unique within its rule, and every
// body reordered so each variable is bound before it is used.
import type { Body, Pos, Rule, Term } from '../ast.ts';

/**
 * complete     all rules define the value at exactly `path` (with else chains / default)
 * function     `f(x) := y` definitions of one arity
 * partial-set  `p contains x` at exactly `path`
 * tree         rules whose head ref continues past `path` with non-constant segments
 *              (`p[k] := v`, `p[q].r := v`, `p[q] contains r`): the value is an object built
 *              by inserting at those nested keys, merged with the rule sets below `path`.
 */
export const RULE_SET_KINDS = ['complete', 'function', 'partial-set', 'tree'] as const;
export type RuleSetKind = (typeof RULE_SET_KINDS)[number];

export type CheckedBody = { readonly value?: Term; readonly body: Body; readonly pos: Pos };

export type CheckedRule = {
  readonly source: Rule;
  /** Head ref segments after the rule set path (tree rules only; resolved terms). */
  readonly rel: readonly Term[];
  /** `contains` rules: the element. */
  readonly key?: Term;
  /** Function parameters (patterns). */
  readonly args: readonly Term[];
  /** Whether the rule adds to a set (`contains`) rather than defining a value. */
  readonly isSet: boolean;
  readonly isDefault: boolean;
  /** The rule's body then each else branch, in order. */
  readonly bodies: readonly CheckedBody[];
  readonly pos: Pos;
};

export type RuleSet = {
  /** Data path, e.g. ['a', 'b', 'p']. */
  readonly path: readonly string[];
  /** `data.a.b.p` — also the key of CheckedPolicy.ruleSets and the call op of functions. */
  readonly key: string;
  readonly kind: RuleSetKind;
  readonly rules: readonly CheckedRule[];
  /** Function arity (0 for other kinds). */
  readonly arity: number;
  readonly pos: Pos;
};

export type TrieNode = {
  readonly path: readonly string[];
  readonly children: Map<string, TrieNode>;
  ruleSet?: RuleSet;
  /** A package path (exists, possibly empty, even without rules: `data.<pkg>` is `{}`). */
  isPackage?: boolean;
};

export type CheckedPolicy = {
  readonly ruleSets: ReadonlyMap<string, RuleSet>;
  readonly root: TrieNode;
  /** Rule set key -> rule set keys it depends on (refs and calls), for `with` specialisation. */
  readonly deps: ReadonlyMap<string, ReadonlySet<string>>;
  /** Rule set key -> static data path prefixes it reads (refs into `data`, up to the first
   *  non-constant segment) and builtin/function names it calls (prefixed `call:`). */
  readonly reads: ReadonlyMap<string, readonly string[]>;
};

/** A data ref with a run-time key at a trie node branches per rule-bearing child up to this
 *  many children; above it the planner evaluates the whole node (check/ must agree, so its
 *  dependency graph then counts every rule set below the node). */
export const MAX_DISPATCH = 16;

export const dataKey = (path: readonly string[]): string => ['data', ...path].join('.');
