// `dw.json.is_valid` / `dw.yaml.is_valid`: OPA answers false for a non-string argument,
// the SDK's own JavaScript versions answer undefined; the planner can alias the OPA names
// to these to get OPA's behaviour.
import { parseDocument } from 'yaml';
import { isString } from './values.ts';

export const ENCODING_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'dw.json.is_valid': (x) => {
    if (!isString(x)) return false;
    try { JSON.parse(x); return true; } catch { return false; }
  },
  'dw.yaml.is_valid': (x) => {
    if (!isString(x)) return false;
    return parseDocument(x, { uniqueKeys: true }).errors.length === 0;
  },
};
