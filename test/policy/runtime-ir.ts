// Hand-written IR fixtures for the runtime/emitter tests (no parser or planner involved).
import type { IrPolicy, Stmt, Func, Block, Operand } from '../../src/policy/compiler/ir/types.ts';

export const L = (local: number): Operand => ({ local });
export const S = (str: number): Operand => ({ str });
export const B = (bool: boolean): Operand => ({ bool });

/** The usual plan tail: `{ "result": local }` added to the result set (strings[0] = "result"). */
export function resultOf(local: number, scratch = 90): Stmt[] {
  return [
    { op: 'MakeObject', target: scratch },
    { op: 'ObjectInsert', key: S(0), value: L(local), object: scratch },
    { op: 'ResultSetAdd', value: scratch },
  ];
}

/** A plan calling rule function `fn` and returning its value. */
export function planCalling(name: string, fn: string): { name: string; blocks: Block[] } {
  return {
    name,
    blocks: [[{ op: 'Call', func: fn, args: [L(0), L(1)], result: 2 }, ...resultOf(2)]],
  };
}

export type PolicyParts = {
  strings?: string[];
  consts?: string[];
  builtins?: { name: string; arity: number }[];
  plans: { name: string; blocks: Block[] }[];
  funcs?: Func[];
};

export function policy(p: PolicyParts): IrPolicy {
  return {
    version: 1,
    static: {
      strings: ['result', ...(p.strings ?? [])],
      files: ['policies/test.rego'],
      consts: p.consts ?? [],
      builtins: p.builtins ?? [],
    },
    plans: p.plans,
    funcs: p.funcs ?? [],
  };
}

/** A policy whose single plan returns builtin `name` applied to constant JSON args. */
export function builtinCallPolicy(name: string, argsJson: string[]): IrPolicy {
  const blocks: Stmt[] = argsJson.map((_, i) => ({ op: 'MakeConst', index: i, target: 10 + i }) as Stmt);
  blocks.push({ op: 'Call', func: name, args: argsJson.map((_, i) => L(10 + i)), result: 2 });
  blocks.push(...resultOf(2));
  return policy({ consts: argsJson, plans: [{ name: 't/p', blocks: [blocks] }] });
}
