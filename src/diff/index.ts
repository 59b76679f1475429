// Public surface of the diff stage.
export { diffDocuments } from './diff-documents.ts';
export { diffSnapshots } from './diff-snapshots.ts';
export { formatPath, formatSegment, parsePath } from './format-path.ts';
