// loadCompiledPolicy: runs a module produced by `emitWasm` through the UNMODIFIED
// @open-policy-agent/opa-wasm SDK (loadPolicy + evaluate + setData), registering our
// TypeScript host builtins as `customBuiltins`, turning the SDK's thrown strings/objects
// into DwFailure, and making falsy inputs (false, 0, "", null) real inputs.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { DwFailure, dwError } from '../../model/errors.ts';
import { requiredMemoryPages, SDK_DEFAULT_PAGES } from '../compiler/emit/index.ts';
import { HOST_BUILTINS } from './host-builtins/index.ts';

export type HostBuiltin = (...args: unknown[]) => unknown;
export type HostBuiltins = Readonly<Record<string, HostBuiltin>>;

/** One row of a result set: `{result: <value>}` for rule entry points. */
export type ResultRow = { readonly result: unknown } & Readonly<Record<string, unknown>>;

export type CompiledPolicy = {
  /** Entry point name -> id, as published by the module. */
  readonly entrypoints: Readonly<Record<string, number>>;
  /** Result set: `[]` when undefined, else `[{result: v}]`. */
  evaluate(input?: unknown, entrypoint?: string | number): ResultRow[];
  setData(data: unknown): void;
  /** Current linear memory size in bytes (memory stays flat across evaluations). */
  memoryBytes(): number;
};

export type LoadOptions = {
  readonly data?: unknown;
  /** Defaults to the registry HOST_BUILTINS of ./host-builtins/index.ts. */
  readonly hostBuiltins?: HostBuiltins;
};

/** Error codes of the policy runtime (DW3300-DW3399). */
export const RUNTIME_CODES = {
  /** A policy runtime error with a source location (conflicts, planner-emitted errors). */
  evalError: 'DW3301',
  /** A builtin the module calls through the host has no implementation. */
  builtinMissing: 'DW3302',
  /** A host builtin threw. */
  builtinFailed: 'DW3303',
  /** Unknown entry point. */
  badEntrypoint: 'DW3304',
  /** Anything else the runtime or SDK aborted with. */
  internal: 'DW3390',
} as const;

const LOCATED = /^(.*):(\d+):(\d+): (.*)$/s;

/** Converts whatever the SDK or the module threw into a DwFailure. */
export function toDwFailure(thrown: unknown): DwFailure {
  if (thrown instanceof DwFailure) return thrown;
  if (typeof thrown === 'string') {
    const m = LOCATED.exec(thrown);
    if (m && !thrown.startsWith('internal:')) {
      return new DwFailure(
        dwError(RUNTIME_CODES.evalError, 'bad-input', m[4], { file: m[1], line: Number(m[2]), col: Number(m[3]) }),
      );
    }
    if (/^entrypoint .* is not valid|^entrypoint value is an invalid type/.test(thrown)) {
      return new DwFailure(dwError(RUNTIME_CODES.badEntrypoint, 'bad-input', thrown));
    }
    return new DwFailure(dwError(RUNTIME_CODES.internal, 'internal', `policy runtime: ${thrown}`));
  }
  if (thrown && typeof thrown === 'object' && !(thrown instanceof Error) && 'message' in thrown) {
    const message = String((thrown as { message: unknown }).message);
    if (message.startsWith('not implemented: built-in function')) {
      return new DwFailure(dwError(RUNTIME_CODES.builtinMissing, 'bad-input', message));
    }
    return new DwFailure(dwError(RUNTIME_CODES.internal, 'internal', `policy runtime: ${message}`));
  }
  if (thrown instanceof RangeError && /call stack/i.test(thrown.message)) {
    return new DwFailure(dwError(RUNTIME_CODES.internal, 'internal', `policy runtime: recursion too deep (${thrown.message})`));
  }
  if (thrown instanceof WebAssembly.RuntimeError) {
    return new DwFailure(dwError(RUNTIME_CODES.internal, 'internal', `policy runtime trap: ${thrown.message}`));
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new DwFailure(dwError(RUNTIME_CODES.builtinFailed, 'internal', `host builtin failed: ${message}`));
}

/** The SDK treats falsy inputs as "no input"; pre-encoded JSON makes them real values. */
function encodeInput(input: unknown): unknown {
  if (input === undefined || input) return input;
  const bytes = new TextEncoder().encode(JSON.stringify(input));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

export async function loadCompiledPolicy(wasm: Uint8Array, opts: LoadOptions = {}): Promise<CompiledPolicy> {
  const hostBuiltins = opts.hostBuiltins ?? HOST_BUILTINS;
  // Host builtins return undefined for Rego-undefined; exceptions are wrapped on the way out.
  const pages = Math.max(SDK_DEFAULT_PAGES, requiredMemoryPages(wasm));
  let loaded: Awaited<ReturnType<typeof loadPolicy>>;
  try {
    loaded = await loadPolicy(wasm, { initial: pages }, hostBuiltins as Record<string, HostBuiltin>);
  } catch (e) {
    throw toDwFailure(e);
  }
  const policy: CompiledPolicy = {
    entrypoints: loaded.entrypoints as Record<string, number>,
    evaluate(input?: unknown, entrypoint: string | number = 0): ResultRow[] {
      try {
        return loaded.evaluate(encodeInput(input), entrypoint) as ResultRow[];
      } catch (e) {
        throw toDwFailure(e);
      }
    },
    setData(data: unknown): void {
      try {
        loaded.setData(data as object);
      } catch (e) {
        throw toDwFailure(e);
      }
    },
    memoryBytes: () => loaded.mem.buffer.byteLength,
  };
  if (opts.data !== undefined) policy.setData(opts.data);
  return policy;
}
