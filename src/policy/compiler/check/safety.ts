// Safety: which variables an expression needs bound before it runs and which it binds, and
// the reordering of a body so that every expression runs after the ones binding its inputs
// (OPA's reorderBodyForSafety: repeatedly schedule the first expression whose inputs are
// safe). Works on rewritten terms: locals have unique names, rule names are `data` refs.
import type { Body, Expr, Pos, Term, VarTerm } from '../ast.ts';

/** Whether a variable belongs to the body being ordered (outer and closure-local ones don't). */
export type Ownership = (name: string) => boolean;
/** Arity of a call op (builtin or `data...` function), undefined when unknown. */
export type ArityOf = (op: string) => number | undefined;

export type SafetyCtx = { readonly own: Ownership; readonly arity: ArityOf };

const isLocal = (t: Term): t is VarTerm => t.type === 'var' && t.name !== 'input' && t.name !== 'data';

type Analysis = { readonly needs: Map<string, Pos>; readonly gens: Set<string> };

function emptyAnalysis(): Analysis { return { needs: new Map(), gens: new Set() }; }

/** Vars (owned by this body) a term needs to evaluate, and vars its refs iterate over. */
export function analyzeTerm(t: Term, ctx: SafetyCtx, safe: ReadonlySet<string>, acc: Analysis = emptyAnalysis()): Analysis {
  switch (t.type) {
    case 'var':
      if (isLocal(t) && ctx.own(t.name) && !safe.has(t.name) && !acc.gens.has(t.name)) acc.needs.set(t.name, t.pos);
      return acc;
    case 'ref': {
      analyzeTerm(t.head, ctx, safe, acc);
      for (const seg of t.path) {
        if (isPatternTerm(seg)) {
          for (const v of patternVarsOf(seg, ctx, safe)) acc.gens.add(v);
          analyzePatternValues(seg, ctx, safe, acc);
        } else analyzeTerm(seg, ctx, safe, acc);
      }
      return acc;
    }
    case 'call': {
      t.args.forEach((a) => analyzeTerm(a, ctx, safe, acc));
      return acc;
    }
    case 'array': case 'set':
      t.items.forEach((i) => analyzeTerm(i, ctx, safe, acc));
      return acc;
    case 'object':
      t.items.forEach(([k, v]) => { analyzeTerm(k, ctx, safe, acc); analyzeTerm(v, ctx, safe, acc); });
      return acc;
    case 'arraycompr': case 'setcompr': case 'objectcompr':
      for (const v of freeOwnedVars(t, ctx)) if (!safe.has(v.name)) acc.needs.set(v.name, v.pos);
      return acc;
    default:
      return acc;
  }
}

/** A term that can take part in unification as a pattern: a var, or an array/object
 *  containing vars. (Refs and calls are values.) */
function isPatternTerm(t: Term): boolean {
  return t.type === 'var' || t.type === 'array' || t.type === 'object';
}

/** Unbound owned vars at pattern positions of t. */
export function patternVarsOf(t: Term, ctx: SafetyCtx, safe: ReadonlySet<string>, out: Set<string> = new Set()): Set<string> {
  if (t.type === 'var') { if (isLocal(t) && ctx.own(t.name) && !safe.has(t.name)) out.add(t.name); }
  else if (t.type === 'array') t.items.forEach((i) => patternVarsOf(i, ctx, safe, out));
  else if (t.type === 'object') t.items.forEach(([, v]) => patternVarsOf(v, ctx, safe, out));
  return out;
}

/** The non-pattern parts of a pattern (object keys, nested refs/calls) still need their vars. */
function analyzePatternValues(t: Term, ctx: SafetyCtx, safe: ReadonlySet<string>, acc: Analysis): void {
  if (t.type === 'var') return;
  if (t.type === 'array') { t.items.forEach((i) => analyzePatternValues(i, ctx, safe, acc)); return; }
  if (t.type === 'object') {
    t.items.forEach(([k, v]) => { analyzeTerm(k, ctx, safe, acc); analyzePatternValues(v, ctx, safe, acc); });
    return;
  }
  analyzeTerm(t, ctx, safe, acc);
}

/** Owned vars referenced anywhere inside a term (including inside closures). */
export function freeOwnedVars(t: Term, ctx: SafetyCtx, out: VarTerm[] = []): VarTerm[] {
  visitTermVars(t, (v) => { if (isLocal(v) && ctx.own(v.name)) out.push(v); });
  return out;
}

export function visitTermVars(t: Term, f: (v: VarTerm) => void): void {
  switch (t.type) {
    case 'var': f(t); return;
    case 'ref': visitTermVars(t.head, f); t.path.forEach((p) => visitTermVars(p, f)); return;
    case 'call': t.args.forEach((a) => visitTermVars(a, f)); return;
    case 'array': case 'set': t.items.forEach((i) => visitTermVars(i, f)); return;
    case 'object': t.items.forEach(([k, v]) => { visitTermVars(k, f); visitTermVars(v, f); }); return;
    case 'arraycompr': case 'setcompr': visitTermVars(t.term, f); visitBodyVars(t.body, f); return;
    case 'objectcompr': visitTermVars(t.key, f); visitTermVars(t.value, f); visitBodyVars(t.body, f); return;
    default: return;
  }
}

export function visitBodyVars(body: Body, f: (v: VarTerm) => void): void {
  for (const e of body) visitExprVars(e, f);
}

export function visitExprVars(e: Expr, f: (v: VarTerm) => void): void {
  const k = e.kind;
  switch (k.type) {
    case 'term': visitTermVars(k.term, f); break;
    case 'unify': case 'assign': visitTermVars(k.left, f); visitTermVars(k.right, f); break;
    case 'some-decl': break;
    case 'some-in': if (k.key) visitTermVars(k.key, f); visitTermVars(k.value, f); visitTermVars(k.collection, f); break;
    case 'every': if (k.key) f(k.key); f(k.value); visitTermVars(k.domain, f); visitBodyVars(k.body, f); break;
  }
  for (const w of e.with) visitTermVars(w.value, f);
}

// ---------------------------------------------------------------- expressions

export type ExprSafety = { readonly ok: true; readonly binds: Set<string> } | { readonly ok: false; readonly unsafe: Map<string, Pos> };

function fromAnalysis(a: Analysis, extra: Iterable<string> = []): ExprSafety {
  // A var a ref of the same expression iterates over is bound by it (`x == xs[x]`).
  for (const g of a.gens) a.needs.delete(g);
  if (a.needs.size > 0) return { ok: false, unsafe: a.needs };
  const binds = new Set(a.gens);
  for (const v of extra) binds.add(v);
  return { ok: true, binds };
}

/** Whether `e` can run with `safe` bound, and what it binds. */
export function exprSafety(e: Expr, ctx: SafetyCtx, safe: ReadonlySet<string>): ExprSafety {
  const withNeeds = emptyAnalysis();
  for (const w of e.with) analyzeTerm(w.value, ctx, safe, withNeeds);
  if (withNeeds.needs.size > 0) return { ok: false, unsafe: withNeeds.needs };
  if (e.negated) {
    // Everything inside a negation must be bound before it, except wildcards and vars a
    // ref inside it iterates over (those are local to the negation).
    const inner = exprSafety({ ...e, negated: false, with: [] }, ctx, safe);
    if (!inner.ok) return inner;
    const unsafe = new Map<string, Pos>();
    visitExprVars(e, (v) => {
      if (isLocal(v) && ctx.own(v.name) && !safe.has(v.name) && inner.binds.has(v.name) && !v.name.startsWith('$')) unsafe.set(v.name, v.pos);
    });
    return unsafe.size > 0 ? { ok: false, unsafe } : { ok: true, binds: new Set() };
  }
  const k = e.kind;
  switch (k.type) {
    case 'some-decl': return { ok: true, binds: new Set() };
    case 'term': {
      const t = k.term;
      if (t.type === 'call') {
        const n = ctx.arity(t.op);
        if (n !== undefined && t.args.length === n + 1) {
          const a = emptyAnalysis();
          t.args.slice(0, n).forEach((x) => analyzeTerm(x, ctx, safe, a));
          if (a.needs.size > 0) return { ok: false, unsafe: a.needs };
          const s2 = new Set([...safe, ...a.gens]);
          const r = unifySafety(t.args[n]!, null, ctx, s2);
          if (!r.ok) return r;
          return { ok: true, binds: new Set([...a.gens, ...r.binds]) };
        }
      }
      return fromAnalysis(analyzeTerm(t, ctx, safe));
    }
    case 'unify': case 'assign': return unifySafety(k.left, k.right, ctx, safe);
    case 'some-in': {
      const a = analyzeTerm(k.collection, ctx, safe);
      if (a.needs.size > 0) return { ok: false, unsafe: a.needs };
      const s2 = new Set([...safe, ...a.gens]);
      const binds = new Set(a.gens);
      for (const pat of [k.key, k.value]) {
        if (!pat) continue;
        const r = unifySafety(pat, null, ctx, s2);
        if (!r.ok) return r;
        r.binds.forEach((v) => { binds.add(v); s2.add(v); });
      }
      return { ok: true, binds };
    }
    case 'every': {
      const a = analyzeTerm(k.domain, ctx, safe);
      const unsafe = new Map(a.needs);
      for (const g of a.gens) unsafe.set(g, e.pos);
      visitBodyVars(k.body, (v) => { if (isLocal(v) && ctx.own(v.name) && !safe.has(v.name)) unsafe.set(v.name, v.pos); });
      return unsafe.size > 0 ? { ok: false, unsafe } : { ok: true, binds: new Set() };
    }
  }
}

/** Unification `a = b` (b = null: `a` is unified with an already computed value). */
export function unifySafety(a: Term, b: Term | null, ctx: SafetyCtx, safe: ReadonlySet<string>): ExprSafety {
  const binds = new Set<string>();
  const s = new Set(safe);
  const ok = unifyInto(a, b, ctx, s, binds);
  if (ok) return { ok: true, binds };
  // Report the unbound vars of both sides.
  const unsafe = new Map<string, Pos>();
  const collect = (t: Term) => visitTermVars(t, (v) => { if (isLocal(v) && ctx.own(v.name) && !s.has(v.name)) unsafe.set(v.name, v.pos); });
  collect(a);
  if (b) collect(b);
  if (unsafe.size === 0) return { ok: true, binds };
  return { ok: false, unsafe };
}

function evaluable(t: Term, ctx: SafetyCtx, s: Set<string>): Analysis | null {
  const a = analyzeTerm(t, ctx, s);
  for (const g of a.gens) a.needs.delete(g);
  return a.needs.size === 0 ? a : null;
}

function patternOk(t: Term, ctx: SafetyCtx, s: Set<string>): boolean {
  if (t.type === 'var') return true;
  if (t.type === 'array') return t.items.every((i) => patternOk(i, ctx, s));
  if (t.type === 'object') return t.items.every(([k, v]) => evaluable(k, ctx, s) !== null && patternOk(v, ctx, s));
  return evaluable(t, ctx, s) !== null;
}

function bindPattern(t: Term, ctx: SafetyCtx, s: Set<string>, binds: Set<string>): void {
  const a = emptyAnalysis();
  analyzePatternValues(t, ctx, s, a);
  for (const g of a.gens) { s.add(g); binds.add(g); }
  for (const v of patternVarsOf(t, ctx, s)) { s.add(v); binds.add(v); }
}

function unifyInto(a: Term, b: Term | null, ctx: SafetyCtx, s: Set<string>, binds: Set<string>): boolean {
  if (b === null) {
    if (!patternOk(a, ctx, s)) return false;
    bindPattern(a, ctx, s, binds);
    return true;
  }
  if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
    return unifyPairs(a.items.map((x, i) => [x, b.items[i]!] as const), ctx, s, binds);
  }
  if (a.type === 'object' && b.type === 'object' && a.items.length === b.items.length) {
    const pairs: (readonly [Term, Term])[] = [];
    for (const [ka, va] of a.items) {
      const kb = b.items.find(([k]) => sameConst(k, ka));
      if (!kb) return false;
      pairs.push([va, kb[1]]);
    }
    if (pairs.length === a.items.length) return unifyPairs(pairs, ctx, s, binds);
  }
  const ea = evaluable(a, ctx, s);
  if (ea && patternOk(b, ctx, s)) {
    for (const g of ea.gens) { s.add(g); binds.add(g); }
    bindPattern(b, ctx, s, binds);
    return true;
  }
  const eb = evaluable(b, ctx, s);
  if (eb && patternOk(a, ctx, s)) {
    for (const g of eb.gens) { s.add(g); binds.add(g); }
    bindPattern(a, ctx, s, binds);
    return true;
  }
  return false;
}

function unifyPairs(pairs: readonly (readonly [Term, Term])[], ctx: SafetyCtx, s: Set<string>, binds: Set<string>): boolean {
  let pending = [...pairs];
  while (pending.length > 0) {
    const next: (readonly [Term, Term])[] = [];
    for (const [x, y] of pending) {
      const trial = new Set(s), tb = new Set<string>();
      if (unifyInto(x, y, ctx, trial, tb)) { tb.forEach((v) => { s.add(v); binds.add(v); }); }
      else next.push([x, y]);
    }
    if (next.length === pending.length) return false;
    pending = next;
  }
  return true;
}

export function sameConst(a: Term, b: Term): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'string' || a.type === 'number' || a.type === 'boolean') return (a as { value: unknown }).value === (b as { value: unknown }).value;
  return a.type === 'null';
}

export type Reordered = { readonly body: Body; readonly safe: Set<string>; readonly unsafe: readonly { readonly name: string; readonly pos: Pos }[] };

/** Orders `body` so every expression's inputs are bound first; reports what cannot be. */
export function reorderForSafety(body: Body, ctx: SafetyCtx, initiallySafe: Iterable<string>): Reordered {
  const safe = new Set(initiallySafe);
  const remaining = [...body];
  const out: Expr[] = [];
  while (remaining.length > 0) {
    let picked = -1;
    for (let i = 0; i < remaining.length; i++) {
      const r = exprSafety(remaining[i]!, ctx, safe);
      if (r.ok) { r.binds.forEach((v) => safe.add(v)); picked = i; break; }
    }
    if (picked < 0) {
      const unsafe: { name: string; pos: Pos }[] = [];
      const seen = new Set<string>();
      for (const e of remaining) {
        const r = exprSafety(e, ctx, safe);
        if (!r.ok) for (const [name, pos] of r.unsafe) if (!seen.has(name)) { seen.add(name); unsafe.push({ name, pos }); }
      }
      return { body: [...out, ...remaining], safe, unsafe };
    }
    out.push(remaining[picked]!);
    remaining.splice(picked, 1);
  }
  return { body: out, safe, unsafe: [] };
}
