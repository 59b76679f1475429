// Where each surface's changes appear in the Genesys Audit API (reference §6): the serviceName
// and entityType an admin write on that surface is logged under, and how the audited entity is
// named in a drift path. Names follow the Audit API service mapping the simulator serves
// (src/simulator/surfaces.ts `audit`), which mirrors the platform's.
export type EntityFrom =
  /** Collections: the entity id is the key of the first `entities[id=…]` segment. */
  | 'entities-id'
  /** The entity is named by the first path segment (organization features: the feature name). */
  | 'first-segment'
  /** Singletons: one entity per org, matched on entity type and property only. */
  | 'singleton';

export type AuditTarget = { readonly serviceName: string; readonly entityType: string; readonly entityFrom: EntityFrom };

export const AUDIT_TARGETS: Readonly<Record<string, AuditTarget>> = {
  'organization': { serviceName: 'Directory', entityType: 'Organization', entityFrom: 'singleton' },
  'features': { serviceName: 'Directory', entityType: 'OrganizationFeature', entityFrom: 'first-segment' },
  'authentication-settings': { serviceName: 'Directory', entityType: 'AuthOrganization', entityFrom: 'singleton' },
  'idle-token-timeout': { serviceName: 'Directory', entityType: 'OrganizationSettings', entityFrom: 'singleton' },
  'recording-settings': { serviceName: 'Quality', entityType: 'RecordingSettings', entityFrom: 'singleton' },
  'media-retention-policies': { serviceName: 'Quality', entityType: 'Policy', entityFrom: 'entities-id' },
  'routing-settings': { serviceName: 'Routing', entityType: 'OrganizationSettings', entityFrom: 'singleton' },
  'transcription-settings': { serviceName: 'Routing', entityType: 'RoutingTranscriptionSettings', entityFrom: 'singleton' },
  'contact-center-settings': { serviceName: 'Routing', entityType: 'OrganizationSettings', entityFrom: 'singleton' },
  'oauth-clients': { serviceName: 'PeoplePermissions', entityType: 'OAuthClient', entityFrom: 'entities-id' },
  'roles': { serviceName: 'PeoplePermissions', entityType: 'Role', entityFrom: 'entities-id' },
  'identity-providers': { serviceName: 'Directory', entityType: 'AuthOrganization', entityFrom: 'entities-id' },
  'integrations': { serviceName: 'Integrations', entityType: 'Integration', entityFrom: 'entities-id' },
  'integration-credentials': { serviceName: 'Integrations', entityType: 'Credential', entityFrom: 'entities-id' },
  'telephony-sites': { serviceName: 'Telephony', entityType: 'Site', entityFrom: 'entities-id' },
  'trunk-base-settings': { serviceName: 'Telephony', entityType: 'TrunkBase', entityFrom: 'entities-id' },
  'external-contact-schemas': { serviceName: 'ContactCenter', entityType: 'Schema', entityFrom: 'entities-id' },
};

export const auditTargetFor = (surface: string): AuditTarget | undefined => AUDIT_TARGETS[surface];
