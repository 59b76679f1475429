// plan: checked rules -> IrPolicy. One IR function per rule set (planned on demand from the
// entry points, plus specialised copies for `with` mocks), one plan per entry point.
import type { Pos, Term } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Block, Func, IrPolicy, Local, Operand, Plan } from '../ir/types.ts';
import type { CheckedPolicy, CheckedRule, RuleSet, TrieNode } from '../check/types.ts';
import { FuncPlanner, hasRules } from './func-planner.ts';
import type { PlanContext } from './func-planner.ts';
import { NO_MOCKS, hasMocks, mocksKey, readsMocked } from './mocks.ts';
import type { Mocks } from './mocks.ts';
import { Statics } from './statics.ts';
import { COMPILER_CODES } from '../codes.ts';

export type PlanResult = { readonly ir: IrPolicy; readonly diagnostics: readonly Diagnostic[] };

/** Entry points are data paths like `a/b/p` (or `a.b.p`). */
export function planPolicy(policy: CheckedPolicy, entrypoints: readonly string[]): PlanResult {
  const p = new PolicyPlanner(policy);
  const plans: Plan[] = entrypoints.map((e) => p.planEntry(e));
  return { ir: { version: 1, static: p.statics.toStatic(), plans, funcs: p.funcs }, diagnostics: p.diags };
}

class PolicyPlanner implements PlanContext {
  readonly statics = new Statics();
  readonly diags: Diagnostic[] = [];
  readonly funcs: Func[] = [];
  private readonly names = new Map<string, string>();
  private readonly mockIds = new Map<string, number>();
  private readonly transitive = new Map<string, Set<string>>();

  constructor(readonly policy: CheckedPolicy) {}

  planEntry(entry: string): Plan {
    const segs = entry.split(/[/.]/).filter((s) => s !== '');
    const path = segs[0] === 'data' ? segs.slice(1) : segs;
    const pos: Pos = { file: '<entrypoint>', line: 1, col: 1 };
    const problem = this.entryProblem(path);
    if (problem) this.diags.push({ code: COMPILER_CODES.badEntrypoint, message: `entrypoint ${path.join('/') || '(data)'} ${problem}`, pos });
    const fp = new FuncPlanner(this, NO_MOCKS);
    const terms: Term[] = path.map((s) => ({ type: 'string', value: s, pos }));
    const block = fp.topBlock(() => fp.walkData(this.policy.root, terms, 0, (v) => {
      const r = fp.newLocal();
      fp.emit({ op: 'MakeObject', target: r });
      fp.emit({ op: 'ObjectInsert', key: { str: this.statics.str('result') }, value: v, object: r });
      fp.emit({ op: 'ResultSetAdd', value: r });
    }));
    return { name: path.join('/'), blocks: [block] };
  }

  /** Why an entry point cannot be planned: it must name a rule, a package or a prefix of
   *  one (a function cannot be an entry point; a typo should not compile to `undefined`). */
  private entryProblem(path: readonly string[]): string | undefined {
    let n: TrieNode | undefined = this.policy.root;
    for (const seg of path) {
      if (n.ruleSet) return n.ruleSet.kind === 'function' ? `is inside function ${n.ruleSet.key}` : undefined;
      n = n.children.get(seg);
      if (!n) return 'does not name a rule or package of the compiled policies';
    }
    if (n.ruleSet?.kind === 'function') return `names function ${n.ruleSet.key}, which takes arguments`;
    return undefined;
  }

  private reads(key: string): Set<string> {
    let r = this.transitive.get(key);
    if (r) return r;
    r = new Set<string>();
    this.transitive.set(key, r);
    const stack = [key];
    const seen = new Set<string>([key]);
    while (stack.length > 0) {
      const k = stack.pop()!;
      for (const x of this.policy.reads.get(k) ?? []) r.add(x);
      for (const d of this.policy.deps.get(k) ?? []) if (!seen.has(d)) { seen.add(d); stack.push(d); }
    }
    return r;
  }

  funcName(rs: RuleSet, mocks: Mocks): string {
    const effective = hasMocks(mocks) && readsMocked(this.reads(rs.key), mocks) ? mocks : NO_MOCKS;
    let suffix = '';
    if (effective !== NO_MOCKS) {
      const mk = mocksKey(effective);
      let id = this.mockIds.get(mk);
      if (id === undefined) { id = this.mockIds.size + 1; this.mockIds.set(mk, id); }
      suffix = `~${id}`;
    }
    const name = `g0.${rs.key}${suffix}`;
    if (!this.names.has(name)) {
      this.names.set(name, name);
      this.planRuleSet(rs, effective, name, suffix);
    }
    return name;
  }

  private planRuleSet(rs: RuleSet, mocks: Mocks, name: string, suffix: string): void {
    const params: Local[] = [0, 1];
    for (let i = 0; i < rs.arity; i++) params.push(2 + i);
    const fp = new FuncPlanner(this, mocks, 2 + rs.arity);
    const ret = fp.newLocal();
    const blocks: Block[] = [];
    const index = this.funcs.length;
    this.funcs.push({ name, params, return: ret, blocks: [], path: suffix ? [suffix, ...rs.path] : [...rs.path] });
    const rules = rs.rules.filter((r) => !r.isDefault);
    const defaults = rs.rules.filter((r) => r.isDefault);
    switch (rs.kind) {
      case 'complete': case 'function':
        for (const r of rules) {
          if (r.bodies.length === 1) {
            blocks.push(this.ruleBlock(fp, r, 0, params, (v) => fp.emit({ op: 'AssignVarOnce', source: v, target: ret })));
            continue;
          }
          const chain = fp.newLocal();
          r.bodies.forEach((_, j) => blocks.push(this.ruleBlock(fp, r, j, params, (v) => fp.emit({ op: 'AssignVarOnce', source: v, target: chain }), j > 0 ? chain : undefined)));
          fp.at(r.pos);
          blocks.push(fp.topBlock(() => fp.emit({ op: 'AssignVarOnce', source: { local: chain }, target: ret })));
        }
        for (const d of defaults.slice(0, 1)) {
          blocks.push(fp.topBlock(() => {
            fp.vars = new Map();
            fp.at(d.pos);
            fp.emit({ op: 'IsUndefined', source: ret });
            this.bindArgs(fp, d, params, () => fp.planTerm(d.bodies[0]!.value!, (v) => fp.emit({ op: 'AssignVar', source: v, target: ret })));
          }));
        }
        break;
      case 'partial-set':
        blocks.push([{ op: 'MakeSet', target: ret }]);
        for (const r of rules) {
          blocks.push(this.ruleBlock(fp, r, 0, params, () => fp.planTerm(r.key!, (v) => fp.emit({ op: 'SetAdd', value: v, set: ret })), undefined, true));
        }
        break;
      case 'tree': {
        blocks.push([{ op: 'MakeObject', target: ret }]);
        const node = this.nodeOf(rs.path);
        if (node) this.insertDescendants(fp, node, [], ret, blocks, mocks);
        for (const r of rules) {
          const insert = (v: Operand) => this.planOps(fp, r.rel, (keys) => this.insertAt(fp, ret, keys, v, r.isSet ? 'set-add' : 'value'));
          blocks.push(this.ruleBlock(fp, r, 0, params, (v) => (r.isSet ? fp.planTerm(r.key!, insert) : insert(v)), undefined, r.isSet));
        }
        break;
      }
    }
    this.funcs[index] = { ...this.funcs[index]!, blocks };
  }

  private nodeOf(path: readonly string[]): TrieNode | undefined {
    let n: TrieNode | undefined = this.policy.root;
    for (const s of path) { n = n?.children.get(s); if (!n) return undefined; }
    return n;
  }

  /** Rule sets defined below a tree rule set add their values into its object. */
  private insertDescendants(fp: FuncPlanner, node: TrieNode, rel: readonly string[], ret: Local, blocks: Block[], mocks: Mocks): void {
    for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = [...rel, key];
      const rs = child.ruleSet;
      if (rs && rs.kind !== 'function') {
        blocks.push(fp.topBlock(() => {
          fp.at(rs.pos);
          const v = fp.newLocal();
          fp.emit({ op: 'Call', func: this.funcName(rs, mocks), args: [{ local: 0 }, { local: 1 }], result: v });
          const keys: Operand[] = path.map((s) => ({ str: this.statics.str(s) }));
          this.insertAt(fp, ret, keys, { local: v }, rs.kind === 'partial-set' ? 'merge-set' : rs.kind === 'tree' ? 'merge-object' : 'value');
        }));
      } else if (!rs && hasRules(child)) this.insertDescendants(fp, child, path, ret, blocks, mocks);
    }
  }

  private insertAt(fp: FuncPlanner, container: Local, keys: readonly Operand[], v: Operand, mode: 'value' | 'set-add' | 'merge-set' | 'merge-object'): void {
    let c = container;
    for (let i = 0; i < keys.length - 1; i++) c = fp.getOrCreate(c, keys[i]!, 'object');
    const last = keys[keys.length - 1]!;
    switch (mode) {
      case 'value': fp.emit({ op: 'ObjectInsertOnce', key: last, value: v, object: c }); return;
      case 'set-add': { const s = fp.getOrCreate(c, last, 'set'); fp.emit({ op: 'SetAdd', value: v, set: s }); return; }
      case 'merge-set': case 'merge-object': {
        const target = fp.getOrCreate(c, last, mode === 'merge-set' ? 'set' : 'object');
        const src = fp.toLocal(v);
        const kl = fp.newLocal(), vl = fp.newLocal();
        const body: Block = mode === 'merge-set'
          ? [{ op: 'SetAdd', value: { local: vl }, set: target }]
          : [{ op: 'ObjectInsertOnce', key: { local: kl }, value: { local: vl }, object: target }];
        fp.emit({ op: 'Scan', source: src, key: kl, value: vl, block: body });
        return;
      }
    }
  }

  private planOps(fp: FuncPlanner, terms: readonly Term[], k: (ops: Operand[]) => void): void {
    const ops: Operand[] = [];
    const step = (i: number): void => {
      if (i >= terms.length) { k(ops); return; }
      fp.planTerm(terms[i]!, (o) => { ops.push(o); step(i + 1); });
    };
    step(0);
  }

  private bindArgs(fp: FuncPlanner, r: CheckedRule, params: readonly Local[], k: () => void): void {
    const step = (i: number): void => {
      if (i >= r.args.length) { k(); return; }
      fp.unifyValue(r.args[i]!, { local: params[2 + i]! }, () => step(i + 1));
    };
    step(0);
  }

  /** One top-level block: head args, body j, then `onValue` with the body's value (or the
   *  set element for `contains` rules, which `onValue` plans itself). */
  private ruleBlock(fp: FuncPlanner, r: CheckedRule, j: number, params: readonly Local[], onValue: (v: Operand) => void, unlessDefined?: Local, noValue = false): Block {
    const b = r.bodies[j]!;
    return fp.topBlock(() => {
      fp.vars = new Map();
      fp.at(b.pos);
      if (unlessDefined !== undefined) fp.emit({ op: 'IsUndefined', source: unlessDefined });
      this.bindArgs(fp, r, params, () => fp.planBody(b.body, () => {
        fp.at(b.pos);
        if (noValue || !b.value) { onValue({ bool: true }); return; }
        fp.planTerm(b.value, (v) => { fp.at(b.pos); onValue(v); });
      }));
    });
  }
}
