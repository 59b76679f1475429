// The registry of builtins driftwarden implements in TypeScript and hands to the opa-wasm
// SDK as `customBuiltins` (called through opa_builtinN). Arguments arrive as parsed JSON
// (sets as arrays); a result of `undefined` means Rego-undefined. None of these throw for bad
// input: OPA's default (non-strict) mode turns builtin errors into undefined.
import { CRYPTO_BUILTINS } from './crypto.ts';
import { ENCODING_BUILTINS } from './encoding.ts';
import { JWT_BUILTINS } from './jwt.ts';
import { NET_BUILTINS } from './net.ts';
import { REGEX_BUILTINS } from './regex.ts';
import { SEMVER_BUILTINS } from './semver.ts';
import { SPRINTF_BUILTINS } from './sprintf.ts';
import { STRINGS_BUILTINS } from './strings.ts';
import { TIME_BUILTINS } from './time.ts';
import { UNITS_BUILTINS } from './units.ts';
import { UUID_BUILTINS } from './uuid.ts';

export type HostBuiltinFn = (...args: unknown[]) => unknown;

export const HOST_BUILTINS: Readonly<Record<string, HostBuiltinFn>> = Object.freeze({
  ...REGEX_BUILTINS,
  ...SPRINTF_BUILTINS,
  ...TIME_BUILTINS,
  ...SEMVER_BUILTINS,
  ...UNITS_BUILTINS,
  ...NET_BUILTINS,
  ...JWT_BUILTINS,
  ...CRYPTO_BUILTINS,
  ...STRINGS_BUILTINS,
  ...UUID_BUILTINS,
  ...ENCODING_BUILTINS,
  // OPA answers its runtime configuration; a driftwarden policy sees none (no env, no config):
  // what it may use comes in through input and data only.
  'opa.runtime': () => ({}),
});

/** Names the host implements (for the builtin catalog / tests). */
export const HOST_BUILTIN_NAMES: readonly string[] = Object.freeze(Object.keys(HOST_BUILTINS).sort());
