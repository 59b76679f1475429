// Attribution: who made each change, from the Genesys Audit API.
export { createAttribution, needsAttribution, type AttributionOptions } from './attribution-stage.ts';
export { queryAuditEvents, ATTRIBUTION_CODES, REALTIME_DAYS, type AuditEvent, type AuditChange, type AuditQuery, type AuditQueryOptions } from './audit-query.ts';
export { AUDIT_TARGETS, auditTargetFor, type AuditTarget, type EntityFrom } from './audit-targets.ts';
export { attributionOf, locusOf, matchEvent, type AuditLocus } from './match-event.ts';
