export { emitWasm, spliceIr, requiredMemoryPages, runtimeWasm, runtimeFingerprint, SDK_DEFAULT_PAGES } from './emit.ts';
