// Turns the rule lists into a small automaton walked alongside the document, so matching a
// pattern costs one map lookup per object key instead of building and testing a path per node.
//
// Patterns: steps separated by '.', where a step is a key name, '*' (any one key), a glob such
// as 'date*' (within one key), and any step may be followed by '[]' (each array element).
// A pattern may start with '[]' when the document itself is an array.
import { fail } from '../model/errors.ts';
import { SET_KEY, type NormalizeRules } from './types.ts';

export type Step =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'glob'; readonly re: RegExp; readonly source: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'elem' };

/** Parses one pattern; DW2300 on a malformed one. */
export function parseRulePattern(pattern: string): readonly Step[] {
  const steps: Step[] = [];
  let i = 0;
  let needName = false; // true right after a '.'
  const bad = (why: string): never =>
    fail('DW2300', 'bad-input', `rule pattern '${pattern}' is malformed at offset ${i}: ${why}; use dotted keys, '*' and '[]', e.g. 'entities[].permissionPolicies'`);
  while (i < pattern.length) {
    if (pattern.startsWith('[]', i)) {
      if (needName) bad("expected a key name after '.'");
      steps.push({ kind: 'elem' });
      i += 2;
      continue;
    }
    const c = pattern[i];
    if (c === '.') {
      if (steps.length === 0 || needName) bad("unexpected '.'");
      needName = true;
      i++;
      continue;
    }
    if (!needName && steps.length > 0) bad("expected '.' or '[]'");
    let j = i;
    while (j < pattern.length && pattern[j] !== '.' && pattern[j] !== '[') {
      if (pattern[j] === ']') { i = j; bad("unexpected ']'"); }
      j++;
    }
    if (j === i) bad('empty key name');
    const name = pattern.slice(i, j);
    if (name === '*') steps.push({ kind: 'any' });
    else if (name.includes('*')) steps.push({ kind: 'glob', re: globToRegExp(name), source: name });
    else steps.push({ kind: 'key', name });
    needName = false;
    i = j;
  }
  if (steps.length === 0) bad('empty pattern');
  if (needName) bad("pattern ends with '.'");
  return steps;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/** A node of the pattern tree (one per distinct pattern prefix). */
class PatternNode {
  readonly keys = new Map<string, PatternNode>();
  readonly globs: { readonly source: string; readonly re: RegExp; readonly node: PatternNode }[] = [];
  any: PatternNode | null = null;
  elem: PatternNode | null = null;
  volatile = false;
  arrayKey: string | undefined = undefined;

  step(s: Step): PatternNode {
    switch (s.kind) {
      case 'key': {
        let n = this.keys.get(s.name);
        if (!n) this.keys.set(s.name, (n = new PatternNode()));
        return n;
      }
      case 'glob': {
        let g = this.globs.find((x) => x.source === s.source);
        if (!g) this.globs.push((g = { source: s.source, re: s.re, node: new PatternNode() }));
        return g.node;
      }
      case 'any': return (this.any ??= new PatternNode());
      case 'elem': return (this.elem ??= new PatternNode());
    }
  }
}

// Key memo tables stop growing past this size so maps keyed by data (ids) cannot grow forever.
const MEMO_LIMIT = 4096;

/**
 * The rules that apply at one position of a document: the set of pattern nodes reached there,
 * determinised lazily and memoised, so a given path shape is resolved once per rule set.
 */
export class RuleState {
  /** The value at this position is removed (it is an object member matched by a volatile pattern). */
  readonly volatile: boolean;
  /** If the value here is an array: the field identifying its elements, or '$value' for a set. */
  readonly arrayKey: string | undefined;
  /** For a composite key such as 'domain+entityName': its fields, whose values together
   *  identify an element. Undefined for single-field keys and sets. */
  readonly keyFields: readonly string[] | undefined;
  readonly #nodes: readonly PatternNode[];
  readonly #byKey = new Map<string, RuleState | null>();
  #elem: RuleState | null | undefined = undefined;

  constructor(nodes: readonly PatternNode[]) {
    this.#nodes = nodes;
    this.volatile = nodes.some((n) => n.volatile);
    // A literal segment wins over a glob, a glob over '*'; ties go to the earlier rule.
    this.arrayKey = nodes.find((n) => n.arrayKey !== undefined)?.arrayKey;
    this.keyFields = this.arrayKey !== undefined && this.arrayKey !== SET_KEY && this.arrayKey.includes('+') ? this.arrayKey.split('+') : undefined;
  }

  /** Rules for the member `key` of an object at this position; null when none apply below. */
  child(key: string): RuleState | null {
    const memo = this.#byKey.get(key);
    if (memo !== undefined) return memo;
    const next: PatternNode[] = [];
    for (const n of this.#nodes) {
      const exact = n.keys.get(key);
      if (exact) next.push(exact);
    }
    for (const n of this.#nodes) for (const g of n.globs) if (g.re.test(key)) next.push(g.node);
    for (const n of this.#nodes) if (n.any) next.push(n.any);
    const state = next.length ? new RuleState(next) : null;
    if (this.#byKey.size < MEMO_LIMIT) this.#byKey.set(key, state);
    return state;
  }

  /** Rules for the elements of an array at this position; null when none apply below. */
  elem(): RuleState | null {
    if (this.#elem === undefined) {
      const next = this.#nodes.flatMap((n) => (n.elem ? [n.elem] : []));
      this.#elem = next.length ? new RuleState(next) : null;
    }
    return this.#elem;
  }
}

export type CompiledRules = {
  /** Rules at the document root; null when no pattern rule exists. */
  readonly root: RuleState | null;
  /** Plain key names removed at any depth. */
  readonly volatileNames: ReadonlySet<string>;
  /** Single-segment globs (`date*`) removed at any depth. */
  readonly volatileGlobs: readonly RegExp[];
};

const compiledCache = new WeakMap<NormalizeRules, CompiledRules>();

/** Compiles (and caches per rules object) the rule lists; DW2300-DW2303 on invalid rules. */
export function compileRules(rules: NormalizeRules): CompiledRules {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const rootNode = new PatternNode();
  let hasPatterns = false;
  const volatileNames = new Set<string>();
  const volatileGlobs: RegExp[] = [];
  for (const field of rules.volatileFields) {
    const steps = parseRulePattern(field);
    const last = steps[steps.length - 1];
    if (last.kind === 'elem' || (steps.length === 1 && last.kind === 'any')) {
      fail('DW2301', 'bad-input', `volatile field '${field}' must end in a key name or glob (it names object members to remove), not '[]' or a bare '*'`);
    }
    if (steps.length === 1) {
      if (last.kind === 'key') volatileNames.add(last.name);
      else if (last.kind === 'glob') volatileGlobs.push(last.re);
      continue;
    }
    let node = rootNode;
    for (const s of steps) node = node.step(s);
    node.volatile = true;
    hasPatterns = true;
  }
  const keyByPath = new Map<string, string>();
  for (const rule of rules.arrayKeys) {
    if (rule.key === '' || rule.key.split('+').includes('')) {
      fail('DW2303', 'bad-input', `array key rule for '${rule.path}' has an empty key '${rule.key}'; name the identifying field ('id'), several joined by '+' ('domain+entityName'), or use '${SET_KEY}'`);
    }
    const earlier = keyByPath.get(rule.path);
    if (earlier !== undefined && earlier !== rule.key) {
      fail('DW2302', 'bad-input', `array '${rule.path}' has two key rules ('${earlier}' and '${rule.key}'); keep one`);
    }
    keyByPath.set(rule.path, rule.key);
    let node = rootNode;
    for (const s of parseRulePattern(rule.path)) node = node.step(s);
    node.arrayKey ??= rule.key;
    hasPatterns = true;
  }
  const compiled: CompiledRules = { root: hasPatterns ? new RuleState([rootNode]) : null, volatileNames, volatileGlobs };
  compiledCache.set(rules, compiled);
  return compiled;
}

/** Is object member `key` removed, given the rules for its position (`state`, from `child(key)`)? */
export function isVolatileKey(c: CompiledRules, key: string, state: RuleState | null): boolean {
  if (state !== null && state.volatile) return true;
  if (c.volatileNames.has(key)) return true;
  for (let i = 0; i < c.volatileGlobs.length; i++) if (c.volatileGlobs[i].test(key)) return true;
  return false;
}
