// driftwarden's policy IR: what the planner produces and what the Wasm runtime interprets.
// Modelled on OPA's planner IR (blocks of statements over numbered locals; a failing
// statement leaves its block), serialised as JSON into the module's data segment.
// This file is the contract between `plan/` (TypeScript) and `runtime-wasm/` (AssemblyScript).
//
// EXECUTION SEMANTICS (the runtime implements exactly this):
// * Locals are slots of one function frame. Local 0 = input, local 1 = data in every
//   function and plan. A local is either undefined or holds a value. Reading an undefined
//   local as an operand makes the statement fail.
// * execBlock(stmts) runs statements in order and returns a break count:
//     -1  the block ran to its end (success);
//      0  the block was left (a statement failed, or `Break{index: 0}`);
//      n  leave this block and n more enclosing blocks.
//   A failing statement is exactly `Break{index: 0}`.
// * Statements that contain blocks (Block, Scan, Not, With) get an inner result r:
//     r = -1 or r = 0 : handled by the statement as described on it;
//     r = n > 0       : the statement stops (Scan stops iterating, With restores first)
//                       and itself behaves like `Break{index: n - 1}`.
// * A function/plan runs its `blocks` in order (each like a Block statement's block); a
//   break that would leave the function's top-level block ends that block only. `ReturnLocal`
//   ends the function at once. A function's result is its `return` local (undefined
//   result = the call fails).
// * Values are never mutated once they are reachable from anything but the local that
//   was created by a Make* statement in the same frame: input, data, constants and values
//   returned by calls are immutable. (ArrayAppend/ObjectInsert/SetAdd only target locals
//   made by Make* in the running frame.)
// * Calls of functions whose params are only [0, 1] (plain rules) are memoised per
//   evaluation; entering and leaving a With statement clears the memo.
// * Runtime errors abort the evaluation through `opa_abort` with
//   `<file>:<row>:<col>: <message>` (file from static.files, row/col from the statement's
//   `loc`): `var assignment conflict`, `object insert conflict`, and for planner-emitted
//   errors (e.g. functions producing conflicting outputs) the same texts as OPA.

export type Local = number;
export const LOCAL_INPUT = 0;
export const LOCAL_DATA = 1;

/** An operand: a local, a boolean constant, or a string constant (index into static.strings). */
export type Operand = { readonly local: Local } | { readonly bool: boolean } | { readonly str: number };

/** Source location: [file index into static.files, row, col]. */
export type Loc = readonly [number, number, number];

export type Block = readonly Stmt[];

type S<Op extends string, Fields> = { readonly op: Op; readonly loc?: Loc } & Fields;

export type Stmt =
  // ---- control
  /** Runs each block in order. An inner r of -1 or 0 moves on to the next block. */
  | S<'Block', { readonly blocks: readonly Block[] }>
  | S<'Break', { readonly index: number }>
  /** Runs the block: r = -1 (block succeeded) -> Not fails; r = 0 -> Not succeeds. */
  | S<'Not', { readonly block: Block }>
  /** For each element of source (array: key = index; object: key = key; set: key = value =
   *  element; any other value or undefined: no iteration, statement succeeds), assigns key
   *  and value then runs block; r = -1 or 0 -> next element. The Scan itself succeeds after
   *  the last element (it never fails because nothing matched: the planner checks for that). */
  | S<'Scan', { readonly source: Local; readonly key: Local; readonly value: Local; readonly block: Block }>
  /** Replaces local `local` (0 = input or 1 = data) by a copy in which the value at `path`
   *  (string constant indexes; empty path = whole document) is upserted with `value`
   *  (intermediate objects created as needed), runs block, then restores the local.
   *  r = -1 or 0 -> the With succeeds (like a one-block Block). */
  | S<'With', { readonly local: Local; readonly path: readonly number[]; readonly value: Operand; readonly block: Block }>
  | S<'Nop', {}>
  // ---- calls
  /** `func` names an IR function (IrPolicy.funcs[].name) or a builtin (`count`,
   *  `object.get`, ...). An undefined result makes the statement fail. */
  | S<'Call', { readonly func: string; readonly args: readonly Operand[]; readonly result: Local }>
  /** Calls the function whose `path` equals the evaluated path operands (string values);
   *  no such function -> fails. Args are locals (input and data first). */
  | S<'CallDynamic', { readonly path: readonly Operand[]; readonly args: readonly Local[]; readonly result: Local }>
  | S<'ReturnLocal', { readonly source: Local }>
  // ---- data access and tests
  /** target = source[key] for object (by key), array (by integer index number), set
   *  (key itself if member). Fails if missing or source is not a collection. */
  | S<'Dot', { readonly source: Operand; readonly key: Operand; readonly target: Local }>
  /** target = length of array/object/set/string (string: count of code points). Else fails. */
  | S<'Len', { readonly source: Operand; readonly target: Local }>
  | S<'IsArray', { readonly source: Operand }>
  | S<'IsObject', { readonly source: Operand }>
  | S<'IsSet', { readonly source: Operand }>
  /** Succeeds if the local holds a value (never fails on undefined: that is the point). */
  | S<'IsDefined', { readonly source: Local }>
  | S<'IsUndefined', { readonly source: Local }>
  /** Rego equality (1 == 1.0 is true; sets and objects compare by content). */
  | S<'Equal', { readonly a: Operand; readonly b: Operand }>
  | S<'NotEqual', { readonly a: Operand; readonly b: Operand }>
  // ---- assignment
  | S<'AssignVar', { readonly source: Operand; readonly target: Local }>
  /** If target is defined with a different value: runtime error `var assignment conflict`. */
  | S<'AssignVarOnce', { readonly source: Operand; readonly target: Local }>
  | S<'AssignInt', { readonly value: number; readonly target: Local }>
  | S<'ResetLocal', { readonly target: Local }>
  // ---- construction
  | S<'MakeNull', { readonly target: Local }>
  | S<'MakeNumberInt', { readonly value: number; readonly target: Local }>
  /** Number from its decimal text (static.strings[index]); int64 stays exact. */
  | S<'MakeNumberRef', { readonly index: number; readonly target: Local }>
  /** A constant JSON value (static.consts[index], JSON text). Immutable. */
  | S<'MakeConst', { readonly index: number; readonly target: Local }>
  | S<'MakeArray', { readonly capacity: number; readonly target: Local }>
  | S<'MakeObject', { readonly target: Local }>
  | S<'MakeSet', { readonly target: Local }>
  | S<'ArrayAppend', { readonly value: Operand; readonly array: Local }>
  /** Sets key (replacing any previous value). */
  | S<'ObjectInsert', { readonly key: Operand; readonly value: Operand; readonly object: Local }>
  /** Existing key with a different value -> runtime error `object insert conflict`. */
  | S<'ObjectInsertOnce', { readonly key: Operand; readonly value: Operand; readonly object: Local }>
  /** target = deep merge of objects a and b (b's keys win only where a has none; nested
   *  objects merged recursively). Fails if either is not an object. */
  | S<'ObjectMerge', { readonly a: Local; readonly b: Local; readonly target: Local }>
  | S<'SetAdd', { readonly value: Operand; readonly set: Local }>
  // ---- results
  /** Adds the value (normally an object `{"result": v}`) to the plan's result set. */
  | S<'ResultSetAdd', { readonly value: Local }>;

export type Func = {
  readonly name: string;
  /** Locals receiving the call's arguments, in order; params[0] = 0, params[1] = 1. */
  readonly params: readonly Local[];
  readonly return: Local;
  readonly blocks: readonly Block[];
  /** The data path the function computes (for CallDynamic), e.g. ['a', 'b', 'p']. */
  readonly path: readonly string[];
};

/** One entry point: `name` like `driftwarden/drift/findings` (data path joined by '/'). */
export type Plan = { readonly name: string; readonly blocks: readonly Block[] };

export type IrPolicy = {
  readonly version: 1;
  readonly static: {
    readonly strings: readonly string[];
    readonly files: readonly string[];
    /** JSON texts of constant values for MakeConst. */
    readonly consts: readonly string[];
    /** Every builtin called (name, arity). The runtime implements some natively; the rest it
     *  publishes through `builtins()` for the host (opa_builtinN) in this order. */
    readonly builtins: readonly { readonly name: string; readonly arity: number }[];
  };
  /** Entry point ids are the indexes of this array. */
  readonly plans: readonly Plan[];
  readonly funcs: readonly Func[];
};
