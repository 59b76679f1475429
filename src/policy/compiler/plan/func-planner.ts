// Lowers checked rules to IR statements for one function frame, in continuation-passing
// style: planning an expression takes the rest of the body as a callback and emits it
// inside whatever blocks the expression opens (Scan for iteration, With for `with`), so a
// failing statement naturally skips the rest of that solution.
import type { Body, Expr, Pos, Term, VarTerm } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Block, Loc, Local, Operand, Stmt } from '../ir/types.ts';
import { LOCAL_DATA, LOCAL_INPUT } from '../ir/types.ts';
import { builtinArity, irBuiltinName, lookupBuiltin } from '../builtins.ts';
import type { CheckedPolicy, RuleSet, TrieNode } from '../check/types.ts';
import { MAX_DISPATCH } from '../check/types.ts';
import { extendMocks, isMockedDataPath } from './mocks.ts';
import type { FnReplacement, Mocks } from './mocks.ts';
import type { Statics } from './statics.ts';
import { COMPILER_CODES } from '../codes.ts';

/** What a function planner needs from the policy-wide planner. */
export interface PlanContext {
  readonly statics: Statics;
  readonly policy: CheckedPolicy;
  readonly diags: Diagnostic[];
  /** IR function name for a rule set under a mock context (planned on demand). */
  funcName(rs: RuleSet, mocks: Mocks): string;
}

type Cont = () => void;
type OpCont = (op: Operand) => void;

const isLocalVar = (t: Term): t is VarTerm => t.type === 'var' && t.name !== 'input' && t.name !== 'data' && !t.name.startsWith('builtin:');

export class FuncPlanner {
  private nextLocal: number;
  private cur: Stmt[] = [];
  private depth = 0;
  vars = new Map<string, Local>();
  private pos: Pos | undefined;
  private mockStack: Mocks[];
  /** How many per-child branchings that copy the continuation are open. */
  private dispatching = 0;

  constructor(private readonly ctx: PlanContext, mocks: Mocks, firstFree = 2) {
    this.nextLocal = firstFree;
    this.mockStack = [mocks];
  }

  get mocks(): Mocks { return this.mockStack[this.mockStack.length - 1]!; }

  newLocal(): Local { return this.nextLocal++; }

  // ------------------------------------------------------------ emission helpers
  private loc(): Loc | undefined {
    if (!this.pos) return undefined;
    return [this.ctx.statics.file(this.pos.file), this.pos.line, this.pos.col];
  }

  emit(s: Stmt): void {
    const loc = this.loc();
    this.cur.push(loc ? ({ ...s, loc } as Stmt) : s);
  }

  /** Runs `fn` collecting its statements into a new nested block. */
  block(fn: () => void): Block {
    const saved = this.cur;
    const out: Stmt[] = [];
    this.cur = out;
    this.depth++;
    try { fn(); } finally { this.cur = saved; this.depth--; }
    return out;
  }

  /** Collects statements at the current depth (for a function's top-level blocks). */
  topBlock(fn: () => void): Block {
    const saved = this.cur;
    const out: Stmt[] = [];
    this.cur = out;
    try { fn(); } finally { this.cur = saved; }
    return out;
  }

  at(pos: Pos | undefined): void { if (pos) this.pos = pos; }

  private withVars<T>(fn: () => T): T {
    const saved = new Map(this.vars);
    try { return fn(); } finally { this.vars = saved; }
  }

  toLocal(op: Operand): Local {
    if ('local' in op) return op.local;
    const l = this.newLocal();
    this.emit({ op: 'AssignVar', source: op, target: l });
    return l;
  }

  private fail(): void { this.emit({ op: 'Break', index: 0 }); }

  error(message: string, pos: Pos): void {
    this.ctx.diags.push({ code: COMPILER_CODES.planInternal, message, pos });
  }

  /** Runs `inner` (which calls its argument once per solution) inside a Block and returns a
   *  local that is defined iff at least one solution exists; leaves at the first one. */
  exists(inner: (onSolution: Cont) => void): Local {
    const flag = this.newLocal();
    this.emit({ op: 'ResetLocal', target: flag });
    const base = this.depth + 1;
    const b = this.block(() => this.withVars(() => inner(() => {
      this.emit({ op: 'AssignVar', source: { bool: true }, target: flag });
      this.emit({ op: 'Break', index: this.depth - base });
    })));
    this.emit({ op: 'Block', blocks: [b] });
    return flag;
  }

  // ------------------------------------------------------------ bodies and expressions
  planBody(body: Body, k: Cont, i = 0): void {
    if (i >= body.length) { k(); return; }
    this.planExpr(body[i]!, () => this.planBody(body, k, i + 1));
  }

  planExpr(e: Expr, k: Cont): void {
    this.at(e.pos);
    if (e.with.length > 0) { this.planWith(e, k); return; }
    if (e.negated) {
      const flag = this.exists((sol) => this.planExprKind(e, sol));
      this.at(e.pos);
      this.emit({ op: 'IsUndefined', source: flag });
      k();
      return;
    }
    this.planExprKind(e, k);
  }

  private planExprKind(e: Expr, k: Cont): void {
    const kind = e.kind;
    switch (kind.type) {
      case 'some-decl': k(); return;
      case 'term': this.planTermExpr(kind.term, k); return;
      case 'unify': case 'assign': this.unify(kind.left, kind.right, k); return;
      case 'some-in': {
        this.planTerm(kind.collection, (src) => {
          const s = this.toLocal(src);
          const kl = this.newLocal(), vl = this.newLocal();
          const b = this.block(() => {
            const afterKey = () => this.unifyValue(kind.value, { local: vl }, k);
            if (kind.key) this.unifyValue(kind.key, { local: kl }, afterKey); else afterKey();
          });
          this.emit({ op: 'Scan', source: s, key: kl, value: vl, block: b });
        });
        return;
      }
      case 'every': {
        this.planTerm(kind.domain, (src) => {
          const s = this.toLocal(src);
          // `every` over a non-collection is undefined, not vacuously true.
          const isColl = this.newLocal();
          this.emit({ op: 'ResetLocal', target: isColl });
          const mark: Stmt = { op: 'AssignVar', source: { bool: true }, target: isColl };
          this.emit({ op: 'Block', blocks: [[{ op: 'IsArray', source: { local: s } }, mark], [{ op: 'IsObject', source: { local: s } }, mark], [{ op: 'IsSet', source: { local: s } }, mark]] });
          this.emit({ op: 'IsDefined', source: isColl });
          // every = no element for which the body has no solution.
          const counter = this.exists((sol) => {
            const kl = this.newLocal(), vl = this.newLocal();
            const b = this.block(() => this.withVars(() => {
              if (kind.key) this.vars.set(kind.key.name, kl);
              this.vars.set(kind.value.name, vl);
              const ok = this.exists((inner) => this.planBody(kind.body, inner));
              this.emit({ op: 'IsUndefined', source: ok });
              sol();
            }));
            this.emit({ op: 'Scan', source: s, key: kl, value: vl, block: b });
          });
          this.at(e.pos);
          this.emit({ op: 'IsUndefined', source: counter });
          k();
        });
        return;
      }
    }
  }

  private planTermExpr(t: Term, k: Cont): void {
    if (t.type === 'call') {
      const arity = this.arityOf(t.op);
      if (arity !== undefined && t.args.length === arity + 1) {
        if (lookupBuiltin(t.op)?.relation && !this.mocks.fns.has(t.op)) {
          this.planCall(t.op, t.args.slice(0, arity), t.pos, (r) => {
            const kl = this.newLocal(), vl = this.newLocal();
            const b = this.block(() => this.unifyValue(t.args[arity]!, { local: vl }, k));
            this.emit({ op: 'Scan', source: this.toLocal(r), key: kl, value: vl, block: b });
          });
          return;
        }
        this.planCall(t.op, t.args.slice(0, arity), t.pos, (r) => this.unifyValue(t.args[arity]!, r, k));
        return;
      }
      if ((t.op === 'equal' || t.op === 'neq') && t.args.length === 2 && !this.mocks.fns.has(t.op)) {
        this.planArgs(t.args, ([a, b]) => {
          this.emit({ op: t.op === 'equal' ? 'Equal' : 'NotEqual', a: a!, b: b! });
          k();
        });
        return;
      }
      if (t.op === 'print' && !this.mocks.fns.has('print')) { this.emit({ op: 'Nop' }); k(); return; }
    }
    this.planTerm(t, (v) => {
      if ('bool' in v) { if (!v.bool) this.fail(); else k(); return; }
      this.emit({ op: 'NotEqual', a: v, b: { bool: false } });
      k();
    });
  }

  arityOf(op: string): number | undefined {
    if (op.startsWith('data.')) {
      const rs = this.ctx.policy.ruleSets.get(op);
      return rs && rs.kind === 'function' ? rs.arity : undefined;
    }
    return builtinArity(op);
  }

  // ------------------------------------------------------------ with
  private planWith(e: Expr, k: Cont): void {
    type Entry = { local: Local; path: number[]; value: Operand };
    const entries: Entry[] = [];
    const dataPaths: string[][] = [];
    const fns = new Map<string, FnReplacement>();
    const mods = e.with;
    const evalMods = (i: number, done: Cont): void => {
      if (i >= mods.length) { done(); return; }
      const w = mods[i]!;
      const t = w.target;
      const fnTarget = t.type === 'var' && t.name.startsWith('builtin:') ? t.name.slice(8)
        : t.type === 'ref' && t.head.type === 'var' && t.head.name === 'data' && this.arityOfKey(t) !== undefined ? refKey(t)! : undefined;
      if (fnTarget !== undefined) {
        const rep = this.replacementOf(w.value);
        if (rep.kind === 'term' && !isStatic(rep.term)) {
          // A value only known at run time reaches specialised callees through the data
          // document, at a path no rule can own.
          const id = String(this.ctx.statics.nextMockId());
          this.planTerm(w.value, (v) => {
            entries.push({ local: LOCAL_DATA, path: [this.ctx.statics.str(MOCK_ROOT), this.ctx.statics.str(id)], value: v });
            const pos = w.value.pos;
            fns.set(fnTarget, { kind: 'term', term: { type: 'ref', head: { type: 'var', name: 'data', pos }, path: [{ type: 'string', value: MOCK_ROOT, pos }, { type: 'string', value: id, pos }], pos } });
            evalMods(i + 1, done);
          });
          return;
        }
        fns.set(fnTarget, rep);
        evalMods(i + 1, done);
        return;
      }
      const base = t.type === 'var' ? t.name : t.type === 'ref' && t.head.type === 'var' ? t.head.name : '';
      const segs = t.type === 'ref' ? t.path : [];
      if ((base !== 'input' && base !== 'data') || segs.some((s) => s.type !== 'string')) {
        this.error('the target of `with` must be input or data followed by constant keys', w.pos);
        evalMods(i + 1, done);
        return;
      }
      const path = segs.map((s) => (s as { value: string }).value);
      this.planTerm(w.value, (v) => {
        entries.push({ local: base === 'input' ? LOCAL_INPUT : LOCAL_DATA, path: path.map((p) => this.ctx.statics.str(p)), value: v });
        if (base === 'data') dataPaths.push(path);
        evalMods(i + 1, done);
      });
    };
    evalMods(0, () => {
      this.at(e.pos);
      const touched = [...new Set(entries.map((x) => x.local))];
      const saved = new Map<Local, Local>();
      for (const l of touched) {
        const s = this.newLocal();
        this.emit({ op: 'ResetLocal', target: s });
        this.emit({ op: 'Block', blocks: [[{ op: 'AssignVar', source: { local: l }, target: s }]] });
        saved.set(l, s);
      }
      const inner: Expr = { ...e, with: [] };
      const mocks = extendMocks(this.mocks, dataPaths, fns);
      const restoreThenContinue = (): void => {
        // The rest of the body must see the original documents and functions.
        const outer = this.mockStack.pop()!;
        const wrap = (idx: number): void => {
          if (idx >= touched.length) { k(); return; }
          const l = touched[idx]!;
          const b = this.block(() => wrap(idx + 1));
          this.emit({ op: 'With', local: l, path: [], value: { local: saved.get(l)! }, block: b });
        };
        wrap(0);
        this.mockStack.push(outer);
      };
      const nest = (idx: number): void => {
        if (idx >= entries.length) {
          this.mockStack.push(mocks);
          this.planExpr(inner, restoreThenContinue);
          this.mockStack.pop();
          return;
        }
        const en = entries[idx]!;
        const b = this.block(() => nest(idx + 1));
        this.emit({ op: 'With', local: en.local, path: en.path, value: en.value, block: b });
      };
      nest(0);
    });
  }

  private arityOfKey(t: Term): number | undefined {
    const key = refKey(t);
    return key ? this.arityOf(key) : undefined;
  }

  private replacementOf(v: Term): FnReplacement {
    if (v.type === 'var' && v.name.startsWith('builtin:')) return { kind: 'op', op: v.name.slice(8) };
    const key = refKey(v);
    if (key && this.arityOf(key) !== undefined) return { kind: 'op', op: key };
    return { kind: 'term', term: v };
  }

  // ------------------------------------------------------------ calls
  planCall(op: string, args: readonly Term[], pos: Pos, k: OpCont): void {
    const rep = this.mocks.fns.get(op);
    if (rep) {
      if (rep.kind === 'term') {
        // The mocked call still needs its arguments defined.
        this.planArgs(args, (ops) => {
          for (const o of ops) if ('local' in o) this.emit({ op: 'IsDefined', source: o.local });
          this.planTerm(rep.term, k);
        });
        return;
      }
      if (rep.op !== op) {
        // The replacement runs as if no function were mocked (a mock never sees mocks).
        this.planArgs(args, (ops) => {
          this.mockStack.push({ data: this.mocks.data, fns: new Map() });
          try { this.emitCall(rep.op, ops, pos, k); } finally { this.mockStack.pop(); }
        });
        return;
      }
    }
    this.planArgs(args, (ops) => this.emitCall(op, ops, pos, k));
  }

  private emitCall(op: string, ops: Operand[], pos: Pos, k: OpCont): void {
    {
      this.at(pos);
      const result = this.newLocal();
      if (op.startsWith('data.')) {
        const rs = this.ctx.policy.ruleSets.get(op);
        if (!rs || rs.kind !== 'function') { this.error(`unknown function ${op}`, pos); this.fail(); return; }
        const inner = this.mocks;
        this.mockStack.push(withoutShadowed(inner, op));
        const name = this.ctx.funcName(rs, this.mocks);
        this.mockStack.pop();
        this.emit({ op: 'Call', func: name, args: [{ local: LOCAL_INPUT }, { local: LOCAL_DATA }, ...ops], result });
      } else {
        const name = irBuiltinName(op);
        this.ctx.statics.builtin(name, ops.length);
        this.emit({ op: 'Call', func: name, args: ops, result });
      }
      k({ local: result });
    }
  }

  /** Plans the args, those whose plain vars are bound first: in `x == xs[x]` the ref
   *  binds x, so it must run before x is read. */
  private planArgs(args: readonly Term[], k: (ops: Operand[]) => void): void {
    const ops: Operand[] = new Array(args.length);
    const done = new Set<number>();
    const step = (): void => {
      if (done.size >= args.length) { k(ops); return; }
      let i = -1;
      for (let j = 0; j < args.length; j++) if (!done.has(j) && !this.readsUnbound(args[j]!)) { i = j; break; }
      if (i < 0) for (let j = 0; j < args.length; j++) if (!done.has(j)) { i = j; break; }
      done.add(i);
      this.planTerm(args[i]!, (o) => { ops[i] = o; step(); });
    };
    step();
  }

  /** Whether evaluating t reads a local var that is not bound (outside ref iteration). */
  private readsUnbound(t: Term): boolean {
    switch (t.type) {
      case 'var': return isLocalVar(t) && !this.vars.has(t.name);
      case 'ref': return this.readsUnbound(t.head) || t.path.some((p) => p.type !== 'var' && p.type !== 'array' && p.type !== 'object' && this.readsUnbound(p));
      case 'call': return t.args.some((a) => this.readsUnbound(a));
      case 'array': case 'set': return t.items.some((a) => this.readsUnbound(a));
      case 'object': return t.items.some(([a, b]) => this.readsUnbound(a) || this.readsUnbound(b));
      default: return false;
    }
  }

  // ------------------------------------------------------------ terms
  planTerm(t: Term, k: OpCont): void {
    switch (t.type) {
      case 'null': { const l = this.newLocal(); this.emit({ op: 'MakeNull', target: l }); k({ local: l }); return; }
      case 'boolean': k({ bool: t.value }); return;
      case 'string': k({ str: this.ctx.statics.str(t.value) }); return;
      case 'number': k({ local: this.makeNumber(t.value) }); return;
      case 'var': {
        if (t.name === 'input') { k({ local: LOCAL_INPUT }); return; }
        if (t.name === 'data') { this.walkData(this.ctx.policy.root, [], 0, k); return; }
        const l = this.vars.get(t.name);
        if (l === undefined) { this.error(`internal: variable ${t.name.replace(/\$\d+$/, '')} is used before it is bound`, t.pos); this.fail(); return; }
        k({ local: l });
        return;
      }
      case 'ref': this.planRef(t, k); return;
      case 'call': this.planCall(t.op, t.args, t.pos, k); return;
      case 'array': case 'object': case 'set': {
        const json = constJson(t);
        if (json !== undefined) {
          const l = this.newLocal();
          this.emit({ op: 'MakeConst', index: this.ctx.statics.constant(json), target: l });
          k({ local: l });
          return;
        }
        if (t.type === 'object') {
          const flat = t.items.flatMap(([a, b]) => [a, b]);
          this.planArgs(flat, (ops) => {
            const l = this.newLocal();
            this.emit({ op: 'MakeObject', target: l });
            for (let i = 0; i < ops.length; i += 2) this.emit({ op: 'ObjectInsert', key: ops[i]!, value: ops[i + 1]!, object: l });
            k({ local: l });
          });
          return;
        }
        this.planArgs(t.items, (ops) => {
          const l = this.newLocal();
          if (t.type === 'array') {
            this.emit({ op: 'MakeArray', capacity: ops.length, target: l });
            for (const o of ops) this.emit({ op: 'ArrayAppend', value: o, array: l });
          } else {
            this.emit({ op: 'MakeSet', target: l });
            for (const o of ops) this.emit({ op: 'SetAdd', value: o, set: l });
          }
          k({ local: l });
        });
        return;
      }
      case 'arraycompr': case 'setcompr': case 'objectcompr': {
        const l = this.newLocal();
        if (t.type === 'arraycompr') this.emit({ op: 'MakeArray', capacity: 0, target: l });
        else if (t.type === 'setcompr') this.emit({ op: 'MakeSet', target: l });
        else this.emit({ op: 'MakeObject', target: l });
        const b = this.block(() => this.withVars(() => this.planBody(t.body, () => {
          if (t.type === 'objectcompr') {
            this.planTerm(t.key, (kk) => this.planTerm(t.value, (vv) => { this.at(t.pos); this.emit({ op: 'ObjectInsertOnce', key: kk, value: vv, object: l }); }));
          } else {
            this.planTerm(t.term, (v) => {
              this.emit(t.type === 'arraycompr' ? { op: 'ArrayAppend', value: v, array: l } : { op: 'SetAdd', value: v, set: l });
            });
          }
        })));
        this.emit({ op: 'Block', blocks: [b] });
        k({ local: l });
        return;
      }
    }
  }

  makeNumber(text: string): Local {
    const l = this.newLocal();
    if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) this.emit({ op: 'MakeNumberInt', value: Number(text), target: l });
    else this.emit({ op: 'MakeNumberRef', index: this.ctx.statics.str(text), target: l });
    return l;
  }

  // ------------------------------------------------------------ refs
  private planRef(t: Extract<Term, { type: 'ref' }>, k: OpCont): void {
    const h = t.head;
    if (h.type === 'var' && h.name === 'data') { this.walkData(this.ctx.policy.root, t.path, 0, k); return; }
    this.planTerm(h, (op) => this.refRest(this.toLocal(op), t.path, 0, k));
  }

  /** Dot / Scan down `segs[i..]` starting at local `src`. In the base data document
   *  (`base`), a number key also matches the object key of its text (JSON has only string
   *  keys; `data.x[2]` finds `{"x": {"2": ...}}` as in OPA). */
  refRest(src: Local, segs: readonly Term[], i: number, k: OpCont, base = false): void {
    if (i >= segs.length) { k({ local: src }); return; }
    const seg = segs[i]!;
    if (base && seg.type === 'number') {
      const t = this.newLocal();
      const num = this.makeNumber(seg.value);
      this.emit({ op: 'ResetLocal', target: t });
      this.emit({ op: 'Block', blocks: [
        [{ op: 'Dot', source: { local: src }, key: { local: num }, target: t }],
        [{ op: 'IsUndefined', source: t }, { op: 'Dot', source: { local: src }, key: { str: this.ctx.statics.str(seg.value) }, target: t }],
      ] });
      this.emit({ op: 'IsDefined', source: t });
      this.refRest(t, segs, i + 1, k, true);
      return;
    }
    if (this.hasUnboundPattern(seg)) {
      const kl = this.newLocal(), vl = this.newLocal();
      const b = this.block(() => this.unifyValue(seg, { local: kl }, () => this.refRest(vl, segs, i + 1, k, base)));
      this.emit({ op: 'Scan', source: src, key: kl, value: vl, block: b });
      return;
    }
    this.planTerm(seg, (key) => {
      const target = this.newLocal();
      this.emit({ op: 'Dot', source: { local: src }, key, target });
      this.refRest(target, segs, i + 1, k, base);
    });
  }

  /** Resolves `data.<segs>` against the rule trie: rule sets are called, base documents are
   *  read from the data local, objects that mix both are built. */
  walkData(node: TrieNode, segs: readonly Term[], i: number, k: OpCont): void {
    if (isMockedDataPath(this.mocks, node.path) || !hasRules(node)) {
      this.refRest(this.baseDoc(node.path), segs, i, k, true);
      return;
    }
    if (node.ruleSet) {
      const rs = node.ruleSet;
      if (rs.kind === 'function') { this.fail(); return; }
      const l = this.newLocal();
      this.emit({ op: 'Call', func: this.ctx.funcName(rs, this.mocks), args: [{ local: LOCAL_INPUT }, { local: LOCAL_DATA }], result: l });
      this.refRest(this.overlayMocks(node, l), segs, i, k);
      return;
    }
    if (i >= segs.length) { k({ local: this.materialize(node) }); return; }
    const seg = segs[i]!;
    if (seg.type === 'string' || seg.type === 'number') {
      // Base documents come from JSON, so `data.x[2]` means the key "2".
      const key = seg.type === 'string' ? seg.value : seg.value;
      const child = node.children.get(key);
      if (child) this.walkData(child, segs, i + 1, k);
      else this.refRest(this.baseDoc([...node.path, key]), segs, i + 1, k, true);
      return;
    }
    if (seg.type === 'boolean' || seg.type === 'null') { this.fail(); return; }
    const children = [...node.children].filter(([, c]) => hasRules(c)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const duplicates = this.hasUnboundPattern(seg) || segs.slice(i + 1).some((t) => this.hasUnboundPattern(t));
    // Branching per child copies the continuation when it iterates: allow that only once
    // per ref nesting, otherwise materialise (bounds code size).
    if (children.length > MAX_DISPATCH || (duplicates && this.dispatching > 0)) { this.refRest(this.materialize(node), segs, i, k); return; }
    if (duplicates) this.dispatching++;
    try {
      if (this.hasUnboundPattern(seg)) this.iterateChildren(node, children, seg, segs, i, k);
      else this.planTerm(seg, (keyOp) => this.dispatchChild(node, children, keyOp, segs, i, k));
    } finally {
      if (duplicates) this.dispatching--;
    }
  }

  /** `data.a[x]...` with x bound: branch on x statically over the rule-bearing children,
   *  so only the rule sets that can match are evaluated (OPA uses CallDynamic here). */
  private dispatchChild(node: TrieNode, children: readonly (readonly [string, TrieNode])[], keyOp: Operand, segs: readonly Term[], i: number, k: OpCont): void {
    const rest = segs.slice(i + 1);
    const single = !rest.some((t) => this.hasUnboundPattern(t));
    const result = this.newLocal();
    const branch = (body: (out: OpCont) => void): Block => this.block(() => this.withVars(() => body(
      single ? (v) => this.emit({ op: 'AssignVar', source: v, target: result }) : k,
    )));
    const blocks: Block[] = children.map(([key, child]) => branch((out) => {
      this.emit({ op: 'Equal', a: keyOp, b: { str: this.ctx.statics.str(key) } });
      this.walkData(child, segs, i + 1, out);
    }));
    blocks.push(branch((out) => {
      for (const [key] of children) this.emit({ op: 'NotEqual', a: keyOp, b: { str: this.ctx.statics.str(key) } });
      const t = this.newLocal();
      this.emit({ op: 'Dot', source: { local: this.baseDoc(node.path) }, key: keyOp, target: t });
      this.refRest(t, segs, i + 1, out);
    }));
    if (single) this.emit({ op: 'ResetLocal', target: result });
    this.emit({ op: 'Block', blocks });
    if (single) { this.emit({ op: 'IsDefined', source: result }); k({ local: result }); }
  }

  /** `data.a[x]...` with x unbound: each rule-bearing child, then the base document's
   *  other keys. */
  private iterateChildren(node: TrieNode, children: readonly (readonly [string, TrieNode])[], seg: Term, segs: readonly Term[], i: number, k: OpCont): void {
    const blocks: Block[] = children.map(([key, child]) => this.block(() => this.withVars(() => {
      this.unifyValue(seg, { str: this.ctx.statics.str(key) }, () => this.walkData(child, segs, i + 1, k));
    })));
    blocks.push(this.block(() => this.withVars(() => {
      const base = this.baseDoc(node.path);
      const kl = this.newLocal(), vl = this.newLocal();
      const b = this.block(() => {
        for (const [key] of children) this.emit({ op: 'NotEqual', a: { local: kl }, b: { str: this.ctx.statics.str(key) } });
        this.unifyValue(seg, { local: kl }, () => this.refRest(vl, segs, i + 1, k));
      });
      this.emit({ op: 'Scan', source: base, key: kl, value: vl, block: b });
    })));
    this.emit({ op: 'Block', blocks });
  }

  /** `with data.p.a as v` where `data.p` is computed by rules: the rule's value with the
   *  mocked keys replaced (the With put each value into the data document). */
  private overlayMocks(node: TrieNode, value: Local): Local {
    const depth = node.path.length;
    const below = this.mocks.data.filter((m) => m.length > depth && node.path.every((s, j) => m[j] === s));
    if (below.length === 0) return value;
    const overlay = this.newLocal();
    this.emit({ op: 'MakeObject', target: overlay });
    for (const m of below) {
      const b = this.block(() => {
        const v = this.baseDoc(m);
        let c = overlay;
        for (const seg of m.slice(depth, -1)) c = this.getOrCreate(c, { str: this.ctx.statics.str(seg) }, 'object');
        this.emit({ op: 'ObjectInsert', key: { str: this.ctx.statics.str(m[m.length - 1]!) }, value: { local: v }, object: c });
      });
      this.emit({ op: 'Block', blocks: [b] });
    }
    const merged = this.newLocal();
    this.emit({ op: 'ObjectMerge', a: overlay, b: value, target: merged });
    return merged;
  }

  /** Local holding `data.<path>` of the base document (Dot chain; fails if missing). */
  private baseDoc(path: readonly string[]): Local {
    let l: Local = LOCAL_DATA;
    for (const p of path) {
      const t = this.newLocal();
      this.emit({ op: 'Dot', source: { local: l }, key: { str: this.ctx.statics.str(p) }, target: t });
      l = t;
    }
    return l;
  }

  /** The full value of a trie node: rule values and base data merged into one object. */
  materialize(node: TrieNode): Local {
    if (isMockedDataPath(this.mocks, node.path) || !hasRules(node)) return this.baseDoc(node.path);
    if (node.ruleSet) {
      const l = this.newLocal();
      if (node.ruleSet.kind === 'function') { this.fail(); return l; }
      this.emit({ op: 'Call', func: this.ctx.funcName(node.ruleSet, this.mocks), args: [{ local: LOCAL_INPUT }, { local: LOCAL_DATA }], result: l });
      return this.overlayMocks(node, l);
    }
    const obj = this.newLocal();
    this.emit({ op: 'MakeObject', target: obj });
    for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (child.ruleSet?.kind === 'function') continue;
      const b = this.block(() => {
        const v = this.materialize(child);
        this.emit({ op: 'ObjectInsert', key: { str: this.ctx.statics.str(key) }, value: { local: v }, object: obj });
      });
      this.emit({ op: 'Block', blocks: [b] });
    }
    const result = this.newLocal();
    this.emit({ op: 'AssignVar', source: { local: obj }, target: result });
    const b = this.block(() => {
      const base = this.baseDoc(node.path);
      // Where base data and rules define the same key, OPA's result keeps the base value.
      this.emit({ op: 'ObjectMerge', a: base, b: obj, target: result });
    });
    this.emit({ op: 'Block', blocks: [b] });
    return result;
  }

  // ------------------------------------------------------------ unification
  hasUnboundPattern(t: Term): boolean {
    if (t.type === 'var') return isLocalVar(t) && !this.vars.has(t.name);
    if (t.type === 'array') return t.items.some((x) => this.hasUnboundPattern(x));
    if (t.type === 'object') return t.items.some(([, v]) => this.hasUnboundPattern(v));
    return false;
  }

  private bind(v: VarTerm, op: Operand): void {
    if ('local' in op && op.local !== LOCAL_INPUT && op.local !== LOCAL_DATA) { this.vars.set(v.name, op.local); return; }
    const l = this.newLocal();
    this.emit({ op: 'AssignVar', source: op, target: l });
    this.vars.set(v.name, l);
  }

  unify(a: Term, b: Term, k: Cont): void {
    if (a.type === 'var' && isLocalVar(a) && !this.vars.has(a.name)) { this.planTerm(b, (op) => { this.bind(a, op); k(); }); return; }
    if (b.type === 'var' && isLocalVar(b) && !this.vars.has(b.name)) { this.planTerm(a, (op) => { this.bind(b, op); k(); }); return; }
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) { this.fail(); return; }
      this.unifyPairs(a.items.map((x, i) => [x, b.items[i]!] as const), k);
      return;
    }
    if (a.type === 'object' && b.type === 'object' && (this.hasUnboundPattern(a) || this.hasUnboundPattern(b))) {
      const pairs: (readonly [Term, Term])[] = [];
      for (const [ka, va] of a.items) {
        const m = b.items.find(([kb]) => constJson(kb) !== undefined && constJson(kb) === constJson(ka));
        if (!m || constJson(ka) === undefined) { pairs.length = 0; break; }
        pairs.push([va, m[1]]);
      }
      if (pairs.length === a.items.length && a.items.length === b.items.length) { this.unifyPairs(pairs, k); return; }
      if (a.items.length !== b.items.length) { this.fail(); return; }
    }
    if (this.hasUnboundPattern(a)) { this.planTerm(b, (op) => this.unifyValue(a, op, k)); return; }
    if (this.hasUnboundPattern(b)) { this.planTerm(a, (op) => this.unifyValue(b, op, k)); return; }
    this.planTerm(a, (x) => this.planTerm(b, (y) => { this.emit({ op: 'Equal', a: x, b: y }); k(); }));
  }

  private unifyPairs(pairs: readonly (readonly [Term, Term])[], k: Cont): void {
    if (pairs.length === 0) { k(); return; }
    // Prefer a pair that does not need both sides' patterns bound.
    let idx = pairs.findIndex(([x, y]) => !(this.hasUnboundPattern(x) && this.hasUnboundPattern(y)) || x.type === 'var' || y.type === 'var');
    if (idx < 0) idx = 0;
    const [x, y] = pairs[idx]!;
    const rest = pairs.filter((_, i) => i !== idx);
    this.unify(x, y, () => this.unifyPairs(rest, k));
  }

  /** Unifies a (possibly pattern) term with an already computed value. */
  /** Composite patterns start alike: the value has the pattern's type and size. */
  private emitShapeCheck(kind: 'array' | 'object', v: Operand, size: number): Local {
    const src = this.toLocal(v);
    this.emit(kind === 'array' ? { op: 'IsArray', source: { local: src } } : { op: 'IsObject', source: { local: src } });
    const n = this.newLocal();
    this.emit({ op: 'Len', source: { local: src }, target: n });
    const want = this.newLocal();
    this.emit({ op: 'MakeNumberInt', value: size, target: want });
    this.emit({ op: 'Equal', a: { local: n }, b: { local: want } });
    return src;
  }

  unifyValue(p: Term, v: Operand, k: Cont): void {
    if (p.type === 'var' && isLocalVar(p)) {
      const l = this.vars.get(p.name);
      if (l === undefined) { this.bind(p, v); k(); return; }
      this.emit({ op: 'Equal', a: { local: l }, b: v });
      k();
      return;
    }
    if (p.type === 'array' && this.hasUnboundPattern(p)) {
      const src = this.emitShapeCheck('array', v, p.items.length);
      const step = (i: number): void => {
        if (i >= p.items.length) { k(); return; }
        const idx = this.newLocal();
        this.emit({ op: 'MakeNumberInt', value: i, target: idx });
        const e = this.newLocal();
        this.emit({ op: 'Dot', source: { local: src }, key: { local: idx }, target: e });
        this.unifyValue(p.items[i]!, { local: e }, () => step(i + 1));
      };
      step(0);
      return;
    }
    if (p.type === 'object' && this.hasUnboundPattern(p)) {
      const src = this.emitShapeCheck('object', v, p.items.length);
      const step = (i: number): void => {
        if (i >= p.items.length) { k(); return; }
        const [key, val] = p.items[i]!;
        this.planTerm(key, (ko) => {
          const e = this.newLocal();
          this.emit({ op: 'Dot', source: { local: src }, key: ko, target: e });
          this.unifyValue(val, { local: e }, () => step(i + 1));
        });
      };
      step(0);
      return;
    }
    this.planTerm(p, (x) => { this.emit({ op: 'Equal', a: x, b: v }); k(); });
  }

  // ------------------------------------------------------------ nested object building
  /** The object (or set) at `key` inside `container`, created when missing; a different
   *  value already there raises `object insert conflict`. */
  getOrCreate(container: Local, key: Operand, kind: 'object' | 'set'): Local {
    const t = this.newLocal();
    this.emit({ op: 'ResetLocal', target: t });
    this.emit({ op: 'Block', blocks: [[{ op: 'Dot', source: { local: container }, key, target: t }]] });
    const make: Stmt = kind === 'object' ? { op: 'MakeObject', target: t } : { op: 'MakeSet', target: t };
    this.emit({ op: 'Block', blocks: [[{ op: 'IsUndefined', source: t }, make, { op: 'ObjectInsert', key, value: { local: t }, object: container }]] });
    const fresh = this.newLocal();
    const check: Stmt = kind === 'object' ? { op: 'IsObject', source: { local: t } } : { op: 'IsSet', source: { local: t } };
    const freshMake: Stmt = kind === 'object' ? { op: 'MakeObject', target: fresh } : { op: 'MakeSet', target: fresh };
    const loc = this.loc();
    const conflict: Stmt = { op: 'ObjectInsertOnce', key, value: { local: fresh }, object: container, ...(loc ? { loc } : {}) };
    this.emit({ op: 'Block', blocks: [[{ op: 'Not', block: [check] }, freshMake, conflict]] });
    return t;
  }
}

/** Where `with f as <runtime value>` parks the value in the data document. */
const MOCK_ROOT = '$dw_mock';

/** A term that means the same in every frame: constants and `data` refs with constant keys. */
function isStatic(t: Term): boolean {
  switch (t.type) {
    case 'null': case 'boolean': case 'number': case 'string': return true;
    case 'array': case 'set': return t.items.every(isStatic);
    case 'object': return t.items.every(([a, b]) => isStatic(a) && isStatic(b));
    case 'ref': return t.head.type === 'var' && t.head.name === 'data' && t.path.every((p) => p.type === 'string');
    default: return false;
  }
}

export function hasRules(node: TrieNode): boolean {
  if (node.ruleSet || node.isPackage) return true;
  for (const c of node.children.values()) if (hasRules(c)) return true;
  return false;
}

function refKey(t: Term): string | undefined {
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const out = [t.head.name];
  for (const p of t.path) { if (p.type !== 'string') return undefined; out.push(p.value); }
  return out.join('.');
}

/** A function mocked by itself would loop; calling the original inside its own mock is fine. */
function withoutShadowed(m: Mocks, op: string): Mocks {
  const rep = m.fns.get(op);
  if (!rep || rep.kind !== 'op' || rep.op !== op) return m;
  const fns = new Map(m.fns);
  fns.delete(op);
  return { data: m.data, fns };
}

/** JSON text of a ground term made only of JSON values (no sets, only string keys). */
export function constJson(t: Term): string | undefined {
  switch (t.type) {
    case 'null': return 'null';
    case 'boolean': return t.value ? 'true' : 'false';
    case 'number': return jsonNumber(t.value);
    case 'string': return JSON.stringify(t.value);
    case 'array': {
      const parts: string[] = [];
      for (const i of t.items) { const j = constJson(i); if (j === undefined) return undefined; parts.push(j); }
      return `[${parts.join(',')}]`;
    }
    case 'object': {
      const parts: string[] = [];
      const seen = new Set<string>();
      for (const [k, v] of t.items) {
        if (k.type !== 'string' || seen.has(k.value)) return undefined;
        seen.add(k.value);
        const j = constJson(v);
        if (j === undefined) return undefined;
        parts.push(`${JSON.stringify(k.value)}:${j}`);
      }
      return `{${parts.join(',')}}`;
    }
    default: return undefined;
  }
}

function jsonNumber(text: string): string | undefined {
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? text : undefined;
}
