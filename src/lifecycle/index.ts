// Finding lifecycle across runs: new / ongoing / resolved / regressed, kept in the store.
export { assessFindings, isOpen, type Assessment, type PriorFinding } from './assess.ts';
export { listFindings, loadFindings, saveAssessment, LIFECYCLE_CODES, type FindingQuery, type StoredFinding } from './finding-rows.ts';
export { createLifecycle } from './lifecycle-stage.ts';
export { LIFECYCLE_MIGRATIONS } from './migrations.ts';
