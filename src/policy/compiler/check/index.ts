// check: groups rules by data path, reports static rule conflicts, rewrites every rule
// (names, scopes, safety order) and rejects recursion. Output feeds `plan/`.
import type { Module, Pos, Rule, Term } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { RuleRewriter, dottedName } from './rewrite.ts';
import type { ModuleEnv } from './rewrite.ts';
import { visitTermVars } from './safety.ts';
import { MAX_DISPATCH, dataKey } from './types.ts';
import type { CheckedBody, CheckedPolicy, CheckedRule, RuleSet, RuleSetKind, TrieNode } from './types.ts';
import { COMPILER_CODES } from '../codes.ts';

export type CheckResult = { readonly policy: CheckedPolicy; readonly diagnostics: readonly Diagnostic[] };

type Placed = { readonly rule: Rule; readonly module: Module; readonly path: string[]; readonly rel: readonly Term[]; readonly kind: RuleSetKind };

const TRUE = (pos: Pos): Term => ({ type: 'boolean', value: true, pos });

/** Where a rule lives: its ground path and the non-constant rest of its head ref. */
function placeRule(rule: Rule, module: Module): Placed {
  const h = rule.head;
  const path = [...module.package];
  let i = 0;
  for (; i < h.ref.length; i++) {
    const seg = h.ref[i]!;
    if (seg.type !== 'string') break;
    path.push(seg.value);
  }
  const rel = h.ref.slice(i);
  let kind: RuleSetKind;
  if (h.kind === 'function') kind = 'function';
  else if (rel.length > 0) kind = 'tree';
  else if (h.kind === 'partial-set') kind = 'partial-set';
  else kind = 'complete';
  return { rule, module, path, rel, kind };
}

export function checkModules(modules: readonly Module[]): CheckResult {
  const diags: Diagnostic[] = [];
  const placed = modules.flatMap((m) => m.rules.map((r) => placeRule(r, m)));

  // ---- group by path; static conflicts
  const groups = new Map<string, Placed[]>();
  for (const p of placed) {
    const key = dataKey(p.path);
    const g = groups.get(key);
    if (g) g.push(p); else groups.set(key, [p]);
  }
  const kinds = new Map<string, RuleSetKind>();
  const arities = new Map<string, number>();
  for (const [key, g] of groups) {
    const first = g[0]!;
    kinds.set(key, first.kind);
    for (const p of g) {
      if (p.kind !== first.kind) {
        diags.push({ code: COMPILER_CODES.ruleConflict, message: `conflicting rules ${key}: ${describe(first.kind)} and ${describe(p.kind)} definitions on one path`, pos: p.rule.pos });
      }
    }
    if (first.kind === 'function') {
      const n = first.rule.head.args?.length ?? 0;
      arities.set(key, n);
      for (const p of g) if ((p.rule.head.args?.length ?? 0) !== n) {
        diags.push({ code: COMPILER_CODES.ruleConflict, message: `function ${key} is defined with ${n} and ${p.rule.head.args?.length ?? 0} arguments`, pos: p.rule.pos });
      }
    }
    const defaults = g.filter((p) => p.rule.isDefault);
    if (defaults.length > 1) diags.push({ code: COMPILER_CODES.ruleConflict, message: `multiple default rules ${key} found`, pos: defaults[1]!.rule.pos });
  }

  // ---- trie; rule sets may not have rule sets below them unless they build objects
  const root: TrieNode = { path: [], children: new Map() };
  const nodeAt = (path: readonly string[]): TrieNode => {
    let n = root;
    for (const seg of path) {
      let c = n.children.get(seg);
      if (!c) { c = { path: [...n.path, seg], children: new Map() }; n.children.set(seg, c); }
      n = c;
    }
    return n;
  };
  for (const m of modules) nodeAt(m.package).isPackage = true;
  for (const g of groups.values()) nodeAt(g[0]!.path);
  for (const [key, g] of groups) {
    const kind = kinds.get(key)!;
    const node = nodeAt(g[0]!.path);
    if (kind !== 'tree' && node.children.size > 0) {
      diags.push({ code: COMPILER_CODES.ruleConflict, message: `rule ${key} conflicts with rules defined below it (${dataKey([...node.path, [...node.children.keys()][0]!])})`, pos: g[0]!.rule.pos });
    }
  }

  // ---- environments
  const pkgRuleNames = new Map<string, Set<string>>();
  for (const m of modules) {
    const k = m.package.join('.');
    const s = pkgRuleNames.get(k) ?? new Set<string>();
    for (const r of m.rules) { const f = r.head.ref[0]; if (f && f.type === 'string') s.add(f.value); }
    pkgRuleNames.set(k, s);
  }
  const functionArity = (key: string) => (kinds.get(key) === 'function' ? arities.get(key) : undefined);
  const isFunction = (key: string) => kinds.get(key) === 'function';

  const ruleSets = new Map<string, RuleSet>();
  const checkedByKey = new Map<string, CheckedRule[]>();
  for (const m of modules) {
    const env: ModuleEnv = {
      pkg: m.package,
      imports: resolveImports(m, diags),
      ruleNames: pkgRuleNames.get(m.package.join('.')) ?? new Set(),
      functionArity,
      isFunction,
    };
    for (const r of m.rules) {
      const p = placeRule(r, m);
      const checked = checkRule(p, env, diags);
      const key = dataKey(p.path);
      const list = checkedByKey.get(key) ?? [];
      list.push(checked);
      checkedByKey.set(key, list);
    }
  }
  for (const [key, rules] of checkedByKey) {
    const g = groups.get(key)!;
    const rs: RuleSet = { path: g[0]!.path, key, kind: kinds.get(key)!, rules, arity: arities.get(key) ?? 0, pos: g[0]!.rule.pos };
    ruleSets.set(key, rs);
    nodeAt(rs.path).ruleSet = rs;
  }

  // ---- dependencies and recursion
  const deps = new Map<string, Set<string>>();
  const reads = new Map<string, string[]>();
  for (const rs of ruleSets.values()) {
    const d = new Set<string>();
    const rd: string[] = [];
    const onRef = (pattern: readonly (string | null)[]) => {
      const prefix: string[] = [];
      for (const seg of pattern) { if (seg === null) break; prefix.push(seg); }
      rd.push(dataKey(prefix));
      for (const k of ruleSetsTouched(root, pattern)) d.add(k);
    };
    const onCall = (op: string) => {
      rd.push(`call:${op}`);
      if (op.startsWith('data.') && ruleSets.has(op)) d.add(op);
    };
    for (const r of rs.rules) visitRuleRefs(r, onRef, onCall);
    deps.set(rs.key, d);
    reads.set(rs.key, rd);
  }
  // A tree rule set also depends on the rule sets below it (it merges their values).
  for (const rs of ruleSets.values()) {
    if (rs.kind !== 'tree') continue;
    const d = deps.get(rs.key)!;
    const walk = (x: TrieNode) => { if (x.ruleSet && x.ruleSet.key !== rs.key) d.add(x.ruleSet.key); else x.children.forEach(walk); };
    nodeAtPath(root, rs.path)?.children.forEach(walk);
  }
  reportRecursion(ruleSets, deps, diags);

  return { policy: { ruleSets, root, deps, reads }, diagnostics: diags };
}

function describe(k: RuleSetKind): string {
  return k === 'tree' ? 'object (ref head)' : k === 'partial-set' ? 'partial set' : k;
}

function resolveImports(m: Module, diags: Diagnostic[]): Map<string, Term> {
  const out = new Map<string, Term>();
  for (const imp of m.imports) {
    const segs = dottedName(imp.path);
    if (!segs) { diags.push({ code: COMPILER_CODES.badImport, message: 'import path must be a plain reference', pos: imp.pos }); continue; }
    if (segs[0] === 'future' || segs[0] === 'rego') continue;
    if (segs[0] !== 'data' && segs[0] !== 'input') {
      diags.push({ code: COMPILER_CODES.badImport, message: `import ${segs.join('.')} must start with data or input`, pos: imp.pos });
      continue;
    }
    const alias = imp.alias ?? segs[segs.length - 1]!;
    if (segs.length === 1 && !imp.alias) continue;
    out.set(alias, imp.path);
  }
  return out;
}

function checkRule(p: Placed, env: ModuleEnv, diags: Diagnostic[]): CheckedRule {
  const rw = new RuleRewriter(env, diags);
  const r = p.rule;
  const ruleScope = rw.newScope(undefined, true);
  // Function args are patterns bound at the head.
  const rawArgs = r.head.args ?? [];
  rw.declareArgs(ruleScope, rawArgs);
  const args = rawArgs.map((a) => rw.term(ruleScope, a));
  const argVars: string[] = [];
  args.forEach((a) => visitTermVars(a, (v) => argVars.push(v.name)));

  const isSet = r.head.kind === 'partial-set';
  const bodies: CheckedBody[] = [];
  let rel: readonly Term[] = [];
  let key: Term | undefined;

  const mainHeadTerms: Term[] = [...p.rel];
  if (isSet && r.head.key) mainHeadTerms.push(r.head.key);
  const rawValue = isSet ? undefined : (r.head.value ?? TRUE(r.head.pos));
  if (rawValue) mainHeadTerms.push(rawValue);

  {
    const scope = rw.newScope(ruleScope);
    const b = rw.body(scope, r.body, mainHeadTerms, argVars);
    rel = p.rel.map((t) => rw.term(scope, t));
    key = isSet && r.head.key ? rw.term(scope, r.head.key) : undefined;
    const value = rawValue ? rw.term(scope, rawValue) : undefined;
    rw.checkHeadSafe(scope, [...rel, ...(key ? [key] : []), ...(value ? [value] : [])], b.safe);
    bodies.push({ ...(value ? { value } : {}), body: b.body, pos: r.pos });
  }
  for (const e of r.elses) {
    const scope = rw.newScope(ruleScope);
    const raw = e.value ?? TRUE(e.pos);
    const b = rw.body(scope, e.body, [raw], argVars);
    const value = rw.term(scope, raw);
    rw.checkHeadSafe(scope, [value], b.safe);
    bodies.push({ value, body: b.body, pos: e.pos });
  }
  return { source: r, rel, ...(key ? { key } : {}), args, isSet, isDefault: r.isDefault, bodies, pos: r.pos };
}

/** Visits every `data` ref (as a key pattern: a string per constant segment, null for a
 *  segment only known at run time) and every call op in a checked rule. */
export function visitRuleRefs(r: CheckedRule, onRef: (pattern: readonly (string | null)[]) => void, onCall: (op: string) => void): void {
  const term = (t: Term): void => {
    switch (t.type) {
      case 'var': if (t.name === 'data') onRef([]); return;
      case 'ref': {
        if (t.head.type === 'var' && t.head.name === 'data') {
          onRef(t.path.map((s) => (s.type === 'string' || s.type === 'number' ? s.value : null)));
          t.path.forEach((s) => { if (s.type !== 'string') term(s); });
        } else { term(t.head); t.path.forEach(term); }
        return;
      }
      case 'call': onCall(t.op); t.args.forEach(term); return;
      case 'array': case 'set': t.items.forEach(term); return;
      case 'object': t.items.forEach(([k, v]) => { term(k); term(v); }); return;
      case 'arraycompr': case 'setcompr': term(t.term); body(t.body); return;
      case 'objectcompr': term(t.key); term(t.value); body(t.body); return;
      default: return;
    }
  };
  const body = (b: readonly import('../ast.ts').Expr[]): void => {
    for (const e of b) {
      const k = e.kind;
      switch (k.type) {
        case 'term': term(k.term); break;
        case 'unify': case 'assign': term(k.left); term(k.right); break;
        case 'some-in': if (k.key) term(k.key); term(k.value); term(k.collection); break;
        case 'every': term(k.domain); body(k.body); break;
        default: break;
      }
      for (const w of e.with) {
        term(w.value);
        if (w.target.type === 'var' && w.target.name.startsWith('builtin:')) onCall(w.target.name.slice(8));
        else if (w.value.type === 'var' && w.value.name.startsWith('builtin:')) onCall(w.value.name.slice(8));
      }
    }
  };
  r.args.forEach(term);
  r.rel.forEach(term);
  if (r.key) term(r.key);
  for (const b of r.bodies) { if (b.value) term(b.value); body(b.body); }
}

function countRuleChildren(n: TrieNode): number {
  const has = (x: TrieNode): boolean => !!x.ruleSet || !!x.isPackage || [...x.children.values()].some(has);
  return [...n.children.values()].filter(has).length;
}

function nodeAtPath(root: TrieNode, path: readonly string[]): TrieNode | undefined {
  let n: TrieNode | undefined = root;
  for (const s of path) { n = n?.children.get(s); if (!n) return undefined; }
  return n;
}

/** Rule sets a data ref may evaluate: walking the key pattern through the trie, the first
 *  rule set met on each matching path; where the ref ends, every rule set below. */
export function ruleSetsTouched(root: TrieNode, pattern: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  const all = (x: TrieNode): void => { if (x.ruleSet) out.add(x.ruleSet.key); else x.children.forEach(all); };
  const walk = (n: TrieNode, i: number): void => {
    if (n.ruleSet) { out.add(n.ruleSet.key); return; }
    if (i >= pattern.length) { n.children.forEach(all); return; }
    const seg = pattern[i];
    if (seg === null) {
      // Mirrors the planner: too many children and the whole node is evaluated.
      if (countRuleChildren(n) > MAX_DISPATCH) { n.children.forEach(all); return; }
      n.children.forEach((c) => walk(c, i + 1));
      return;
    }
    const c = n.children.get(seg!);
    if (c) walk(c, i + 1);
  };
  walk(root, 0);
  return [...out];
}

function reportRecursion(ruleSets: ReadonlyMap<string, RuleSet>, deps: ReadonlyMap<string, ReadonlySet<string>>, diags: Diagnostic[]): void {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (k: string): void => {
    state.set(k, 1);
    stack.push(k);
    for (const d of deps.get(k) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = [...stack.slice(stack.indexOf(d)), d];
        const id = [...cycle].sort().join();
        if (!reported.has(id)) {
          reported.add(id);
          diags.push({ code: COMPILER_CODES.recursion, message: `recursion: ${cycle.join(' -> ')}`, pos: ruleSets.get(d)!.pos });
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(k, 2);
  };
  for (const k of ruleSets.keys()) if (!state.has(k)) visit(k);
}
