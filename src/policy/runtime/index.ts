export {
  loadCompiledPolicy, toDwFailure, RUNTIME_CODES,
  type CompiledPolicy, type LoadOptions, type HostBuiltin, type HostBuiltins, type ResultRow,
} from './load.ts';
