export {
  BASELINE_CODES, acceptPaths, baselineHistory, parseBaselineFile, readBaseline, writeBaseline,
  type AcceptOptions, type AcceptedPath, type Baseline, type BaselineAuthor, type BaselineCommit,
  type BaselineHistoryEntry, type WriteBaselineOptions,
} from './baseline-repo.ts';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax.ts';
