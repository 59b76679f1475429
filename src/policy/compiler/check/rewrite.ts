// Resolves names and scopes in one rule: rule names and import aliases become `data`/`input`
// refs, call ops become builtin names or `data...` function paths, locals get names unique
// within the rule (so `:=` shadowing in comprehensions and `every` cannot clash), and every
// body is reordered for safety.
import type { Body, Expr, ExprKind, Pos, Term, VarTerm, WithModifier } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { builtinArity, lookupBuiltin } from '../builtins.ts';
import { analyzeTerm, reorderForSafety, visitTermVars } from './safety.ts';
import type { SafetyCtx } from './safety.ts';
import { COMPILER_CODES } from '../codes.ts';

export type ModuleEnv = {
  readonly pkg: readonly string[];
  /** alias -> resolved term (a `data`/`input` ref or var). */
  readonly imports: ReadonlyMap<string, Term>;
  /** First segments of the package's rule refs. */
  readonly ruleNames: ReadonlySet<string>;
  /** Function arity by `data...` key (all packages). */
  readonly functionArity: (key: string) => number | undefined;
  /** Whether `data...` key names any rule set (all packages). */
  readonly isFunction: (key: string) => boolean;
};

/** `names` maps a source name to its unique name and the index of the body expression that
 *  declares it (-1: visible in the whole body). A `:=`/`some` declaration is only visible
 *  from its own expression on, so a comprehension before it has its own variable. */
type Scope = { readonly id: number; readonly parent?: Scope; readonly names: Map<string, { unique: string; at: number }>; cursor: number; readonly isArgs?: boolean };

export class RuleRewriter {
  private nextScope = 0;
  private readonly used = new Map<string, number>();
  /** unique local name -> id of the scope that owns it. */
  private readonly owner = new Map<string, number>();
  constructor(private readonly env: ModuleEnv, private readonly diags: Diagnostic[]) {}

  newScope(parent?: Scope, isArgs = false): Scope {
    return { id: this.nextScope++, parent, names: new Map(), cursor: Number.MAX_SAFE_INTEGER, ...(isArgs ? { isArgs } : {}) };
  }

  private declare(scope: Scope, name: string, pos: Pos, explicit: boolean, at = -1): string {
    const existing = scope.names.get(name);
    if (explicit && existing) {
      this.diags.push({ code: COMPILER_CODES.redeclared, message: `variable ${name} is declared twice in the same scope`, pos });
      return existing.unique;
    }
    if (existing) return existing.unique;
    const n = this.used.get(name) ?? 0;
    this.used.set(name, n + 1);
    const unique = n === 0 ? name : `${name}$${n}`;
    scope.names.set(name, { unique, at });
    this.owner.set(unique, scope.id);
    return unique;
  }

  private lookup(scope: Scope | undefined, name: string): string | undefined {
    for (let s = scope; s; s = s.parent) {
      const u = s.names.get(name);
      if (u !== undefined && u.at <= s.cursor) return u.unique;
    }
    return undefined;
  }

  /** Function parameters: every var in them is a local of the rule, even if a rule of the
   *  package has the same name. */
  declareArgs(scope: Scope, args: readonly Term[]): void {
    for (const a of args) visitTermVars(a, (v) => { if (v.name !== 'input' && v.name !== 'data') this.declare(scope, v.name, v.pos, false); });
  }

  private isGlobal(name: string): boolean {
    return name === 'input' || name === 'data' || this.env.imports.has(name) || this.env.ruleNames.has(name);
  }

  ctxFor(scope: Scope): SafetyCtx {
    return { own: (n) => this.owner.get(n) === scope.id, arity: (op) => this.arityOf(op) };
  }

  arityOf(op: string): number | undefined {
    if (op.startsWith('data.')) return this.env.functionArity(op);
    return builtinArity(op);
  }

  /** Declares the names a body (plus head terms evaluated in it) uses at its own level. */
  prescan(scope: Scope, body: Body, extraTerms: readonly Term[]): void {
    const declared: { v: VarTerm; at: number }[] = [];
    const usedNames: VarTerm[] = [];
    const patternVars = (t: Term, out: VarTerm[]) => {
      if (t.type === 'var') out.push(t);
      else if (t.type === 'array') t.items.forEach((i) => patternVars(i, out));
      else if (t.type === 'object') t.items.forEach(([, v]) => patternVars(v, out));
    };
    const firstUse = new Map<string, number>();
    let current = 0;
    const shallow = (t: Term) => visitShallowVars(t, (v) => {
      usedNames.push(v);
      if (!firstUse.has(v.name)) firstUse.set(v.name, current);
    });
    body.forEach((e, at) => {
      current = at;
      const k = e.kind;
      const decl: VarTerm[] = [];
      switch (k.type) {
        case 'some-decl': decl.push(...k.vars); break;
        case 'assign': patternVars(k.left, decl); shallow(k.left); shallow(k.right); break;
        case 'unify': shallow(k.left); shallow(k.right); break;
        case 'term': shallow(k.term); break;
        case 'some-in': if (k.key) patternVars(k.key, decl); patternVars(k.value, decl); if (k.key) shallow(k.key); shallow(k.value); shallow(k.collection); break;
        case 'every': shallow(k.domain); break;
      }
      decl.forEach((v) => declared.push({ v, at }));
      for (const w of e.with) if (!this.isBuiltinName(scope, w.value)) shallow(w.value);
    });
    current = body.length;
    extraTerms.forEach(shallow);
    const explicit = new Set<string>();
    for (const { v, at } of declared) {
      if (v.name.startsWith('$')) { this.declare(scope, v.name, v.pos, false); continue; }
      const before = firstUse.get(v.name);
      if (!explicit.has(v.name) && before !== undefined && before < at && !this.isGlobal(v.name)) {
        this.diags.push({ code: COMPILER_CODES.redeclared, message: `variable ${v.name} is used above its declaration; declare it before the first use`, pos: v.pos });
      } else if (!explicit.has(v.name) && scope.parent?.isArgs && scope.parent.names.has(v.name)) {
        this.diags.push({ code: COMPILER_CODES.redeclared, message: `variable ${v.name} is already declared as a function argument`, pos: v.pos });
      }
      this.declare(scope, v.name, v.pos, explicit.has(v.name), at);
      explicit.add(v.name);
    }
    for (const v of usedNames) {
      if (scope.names.has(v.name) || this.lookup(scope.parent, v.name) !== undefined) continue;
      if (!v.name.startsWith('$') && this.isGlobal(v.name)) continue;
      this.declare(scope, v.name, v.pos, false);
    }
  }

  /** Rewrites and reorders a body in `scope`; `safe` are vars already bound (e.g. args). */
  body(scope: Scope, body: Body, extraTerms: readonly Term[], safe: Iterable<string>): { body: Body; safe: Set<string> } {
    this.prescan(scope, body, extraTerms);
    const rewritten: Expr[] = [];
    body.forEach((e, i) => {
      if (e.kind.type === 'some-decl' && !e.negated) return;
      scope.cursor = i;
      rewritten.push(this.expr(scope, e));
    });
    scope.cursor = Number.MAX_SAFE_INTEGER;
    const r = reorderForSafety(rewritten, this.ctxFor(scope), safe);
    for (const u of r.unsafe) this.unsafe(u.name, u.pos);
    return { body: r.body, safe: r.safe };
  }

  unsafe(unique: string, pos: Pos): void {
    const name = unique.startsWith('$') ? '_' : unique.replace(/\$\d+$/, '');
    this.diags.push({ code: COMPILER_CODES.unsafeVar, message: `unsafe variable ${name} in rule body: no expression binds it`, pos });
  }

  /** Reports head vars that the body does not bind. */
  checkHeadSafe(scope: Scope, terms: readonly Term[], safe: ReadonlySet<string>): void {
    // Head terms are evaluated after the body; refs in them may still iterate (`q := xs[_]`).
    const ctx = this.ctxFor(scope);
    const seen = new Set<string>();
    for (const t of terms) {
      const a = analyzeTerm(t, ctx, safe);
      for (const g of a.gens) a.needs.delete(g);
      for (const [name, pos] of a.needs) if (!seen.has(name)) { seen.add(name); this.unsafe(name, pos); }
    }
  }

  expr(scope: Scope, e: Expr): Expr {
    const k = e.kind;
    let kind: ExprKind;
    switch (k.type) {
      case 'term': kind = { type: 'term', term: this.term(scope, k.term) }; break;
      case 'unify': case 'assign': kind = { type: 'unify', left: this.term(scope, k.left), right: this.term(scope, k.right) }; break;
      case 'some-decl': kind = k; break;
      case 'some-in': kind = { type: 'some-in', ...(k.key ? { key: this.term(scope, k.key) } : {}), value: this.term(scope, k.value), collection: this.term(scope, k.collection) }; break;
      case 'every': {
        const domain = this.term(scope, k.domain);
        const inner = this.newScope(scope);
        const key = k.key ? this.declareVar(inner, k.key) : undefined;
        const value = this.declareVar(inner, k.value);
        const b = this.body(inner, k.body, [], [value.name, ...(key ? [key.name] : [])]);
        kind = { type: 'every', ...(key ? { key } : {}), value, domain, body: b.body };
        break;
      }
    }
    return { kind, negated: e.negated, with: e.with.map((w) => this.withModifier(scope, w)), pos: e.pos };
  }

  private declareVar(scope: Scope, v: VarTerm): VarTerm {
    return { type: 'var', name: this.declare(scope, v.name, v.pos, true), pos: v.pos };
  }

  private withModifier(scope: Scope, w: WithModifier): WithModifier {
    const t = w.target;
    let target: Term;
    const dotted = dottedName(t);
    if (dotted && (dotted[0] === 'input' || dotted[0] === 'data') && !(dotted[0] === 'data' && this.env.isFunction(dotted.join('.')))) {
      target = this.term(scope, t);
    } else if (dotted) {
      const op = this.resolveOp(dotted.join('.'), w.pos, true);
      target = op.startsWith('data.') ? refFromKey(op, t.pos) : { type: 'var', name: `builtin:${op}`, pos: t.pos };
    } else {
      this.diags.push({ code: COMPILER_CODES.badWithTarget, message: 'the target of `with` must be input, data or a function name', pos: t.pos });
      target = t;
    }
    let value: Term;
    if (this.isBuiltinName(scope, w.value)) {
      value = { type: 'var', name: `builtin:${dottedName(w.value)!.join('.')}`, pos: w.value.pos };
    } else value = this.term(scope, w.value);
    return { target, value, pos: w.pos };
  }

  /** Simple type errors visible in the source: arithmetic on literals that are not numbers
   *  (`"a" + 1`), or (for `-`, `&`, `|`) not sets. */
  private checkLiteralTypes(op: string, args: readonly Term[]): void {
    const numeric = ARITHMETIC.has(op);
    const setOp = op === 'and' || op === 'or';
    if (!numeric && !setOp) return;
    for (const a of args.slice(0, 2)) {
      const lit = LITERAL_TYPE[a.type];
      if (!lit) continue;
      const ok = (numeric && lit === 'number') || ((setOp || op === 'minus') && lit === 'set');
      if (!ok) this.diags.push({ code: COMPILER_CODES.typeError, message: `${op} cannot take a ${lit} (${OPERATOR[op] ?? op} needs ${setOp ? 'sets' : op === 'minus' ? 'numbers or sets' : 'numbers'})`, pos: a.pos });
    }
  }

  /** `with f as count`: a value naming a builtin (not shadowed by a local or a rule). */
  private isBuiltinName(scope: Scope, t: Term): boolean {
    const d = dottedName(t);
    return !!d && !this.lookup(scope, d[0]!) && !this.isGlobal(d[0]!) && lookupBuiltin(d.join('.')) !== undefined;
  }

  /** Resolves a call op: `data...` for user functions, else a builtin name. */
  resolveOp(op: string, pos: Pos, quiet = false): string {
    const segs = op.split('.');
    const first = segs[0]!;
    let key: string | undefined;
    if (first === 'data') key = op;
    else if (this.env.imports.has(first)) {
      const imp = this.env.imports.get(first)!;
      const base = dottedName(imp);
      if (base) key = [...base, ...segs.slice(1)].join('.');
    } else if (this.env.ruleNames.has(first)) key = ['data', ...this.env.pkg, ...segs].join('.');
    if (key !== undefined && this.env.isFunction(key)) return key;
    if (lookupBuiltin(op)) return op;
    if (key !== undefined && key.startsWith('data.')) {
      if (!quiet) this.diags.push({ code: COMPILER_CODES.unknownFunction, message: `unknown function ${op}`, pos });
      return key;
    }
    if (!quiet) this.diags.push({ code: COMPILER_CODES.unknownFunction, message: `unknown function ${op}`, pos });
    return op;
  }

  term(scope: Scope, t: Term): Term {
    switch (t.type) {
      case 'var': return this.varTerm(scope, t);
      case 'ref': {
        const head = this.term(scope, t.head);
        const path = t.path.map((p) => this.term(scope, p));
        if (head.type === 'ref') return { type: 'ref', head: head.head, path: [...head.path, ...path], pos: t.pos };
        return { type: 'ref', head, path, pos: t.pos };
      }
      case 'call': {
        const op = this.resolveOp(t.op, t.opPos);
        const args = t.args.map((a) => this.term(scope, a));
        const arity = this.arityOf(op);
        this.checkLiteralTypes(op, t.args);
        if (arity !== undefined && args.length !== arity && args.length !== arity + 1) {
          this.diags.push({ code: COMPILER_CODES.arity, message: `${t.op} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`, pos: t.opPos });
        }
        return { ...t, op, args };
      }
      case 'array': return { ...t, items: t.items.map((i) => this.term(scope, i)) };
      case 'set': return { ...t, items: t.items.map((i) => this.term(scope, i)) };
      case 'object': return { ...t, items: t.items.map(([k, v]) => [this.term(scope, k), this.term(scope, v)] as const) };
      case 'arraycompr': case 'setcompr': {
        const inner = this.newScope(scope);
        const b = this.body(inner, t.body, [t.term], []);
        const term = this.term(inner, t.term);
        this.checkHeadSafe(inner, [term], b.safe);
        return { ...t, term, body: b.body };
      }
      case 'objectcompr': {
        const inner = this.newScope(scope);
        const b = this.body(inner, t.body, [t.key, t.value], []);
        const key = this.term(inner, t.key), value = this.term(inner, t.value);
        this.checkHeadSafe(inner, [key, value], b.safe);
        return { ...t, key, value, body: b.body };
      }
      default: return t;
    }
  }

  private varTerm(scope: Scope, v: VarTerm): Term {
    const local = this.lookup(scope, v.name);
    if (local !== undefined) return { type: 'var', name: local, pos: v.pos };
    if (v.name === 'input' || v.name === 'data') return v;
    const imp = this.env.imports.get(v.name);
    if (imp) return relocate(imp, v.pos);
    if (this.env.ruleNames.has(v.name)) {
      return { type: 'ref', head: { type: 'var', name: 'data', pos: v.pos }, path: [...this.env.pkg, v.name].map((s) => str(s, v.pos)), pos: v.pos };
    }
    return { type: 'var', name: this.declare(scope, v.name, v.pos, false), pos: v.pos };
  }
}

const ARITHMETIC = new Set(['plus', 'minus', 'mul', 'div', 'rem']);
const OPERATOR: Readonly<Record<string, string>> = { plus: '+', minus: '-', mul: '*', div: '/', rem: '%', and: '&', or: '|' };
const LITERAL_TYPE: Partial<Record<Term['type'], string>> = {
  string: 'string', boolean: 'boolean', null: 'null', number: 'number', array: 'array', object: 'object', set: 'set',
  arraycompr: 'array', setcompr: 'set', objectcompr: 'object',
};

/** Vars of a term at this scope level (not inside comprehensions). */
function visitShallowVars(t: Term, f: (v: VarTerm) => void): void {
  switch (t.type) {
    case 'var': f(t); return;
    case 'ref': visitShallowVars(t.head, f); t.path.forEach((p) => visitShallowVars(p, f)); return;
    case 'call': t.args.forEach((a) => visitShallowVars(a, f)); return;
    case 'array': case 'set': t.items.forEach((i) => visitShallowVars(i, f)); return;
    case 'object': t.items.forEach(([k, v]) => { visitShallowVars(k, f); visitShallowVars(v, f); }); return;
    default: return;
  }
}

const str = (value: string, pos: Pos): Term => ({ type: 'string', value, pos });

/** `a.b.c` as segments when the term is a var or a ref of constant string segments. */
export function dottedName(t: Term): string[] | undefined {
  if (t.type === 'var') return [t.name];
  if (t.type === 'ref' && t.head.type === 'var') {
    const out = [t.head.name];
    for (const p of t.path) { if (p.type !== 'string') return undefined; out.push(p.value); }
    return out;
  }
  return undefined;
}

export function refFromKey(key: string, pos: Pos): Term {
  const [head, ...rest] = key.split('.');
  return { type: 'ref', head: { type: 'var', name: head!, pos }, path: rest.map((s) => str(s, pos)), pos };
}

function relocate(t: Term, pos: Pos): Term {
  if (t.type === 'ref') return { ...t, pos, head: { ...t.head, pos } as Term };
  return { ...t, pos } as Term;
}
