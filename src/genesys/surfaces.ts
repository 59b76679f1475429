// The surface catalog, as data: every configuration surface driftwarden snapshots, with the
// route, paging style, permission, and the field rules later stages need. Adding a surface is
// adding a row. Paths/permissions follow /work/shared/reference/genesys-cloud-api.md §5 and §7.
import { surfaceId, type SurfaceId } from '../model/ids.ts';
import type { ValueTransform } from '../normalize/value-transforms.ts';

export type ArrayKeyRule = {
  /** Dotted pattern inside the surface document: '*' matches one object key, '[]' an array
   *  element, e.g. 'entities', 'entities[].permissionPolicies', 'ipAddressAllowlist'. */
  readonly path: string;
  /** Field identifying an element ('id', 'name', ...), several fields joined with '+'
   *  ('domain+entityName') when no single one is unique, or '$value' for arrays of scalars
   *  compared as sets. Arrays without a rule are ordered lists (position matters). */
  readonly key: string;
};

export type Paging = 'none' | 'page-number' | 'cursor';

export type SurfaceDef = {
  readonly id: SurfaceId;
  readonly title: string;
  readonly path: string;
  readonly paging: Paging;
  /** Required permission, named in coverage gaps; '' when the route needs none. */
  readonly permission: string;
  /** Key names or dotted patterns removed before diff. */
  readonly volatileFields: readonly string[];
  /** Key names or dotted patterns holding secrets (never stored unmasked, never shown). */
  readonly secretFields: readonly string[];
  readonly arrayKeys: readonly ArrayKeyRule[];
  /** Values the API spells several ways (PEM-wrapped certificates ...), canonicalized before diff. */
  readonly valueTransforms?: readonly ValueTransform[];
  /** Extra query parameters for the read (e.g. `userCount=false`). Never side-effecting ones. */
  readonly query?: Readonly<Record<string, string>>;
  /** Keep only this top-level field of the response (a surface carved out of a larger document). */
  readonly select?: string;
  /* paged lists are stored as { entities: [...] } with every page concatenated. */
};

/** Metadata that changes without a configuration change, on every surface. */
export const GLOBAL_VOLATILE_FIELDS: readonly string[] = [
  'selfUri', 'version', 'dateCreated', 'dateModified', 'modifiedDate', 'createdBy', 'modifiedBy', 'createdByApp', 'modifiedByApp',
];

/** Envelope fields of list routes that take no paging parameters and answer in one envelope. */
const ENVELOPE_FIELDS = ['pageSize', 'pageNumber', 'total', 'pageCount', 'firstUri', 'lastUri', 'nextUri', 'previousUri'] as const;

const byId: ArrayKeyRule = { path: 'entities', key: 'id' };
const scalarSet = (path: string): ArrayKeyRule => ({ path, key: '$value' });

export const SURFACES: readonly SurfaceDef[] = [
  {
    id: surfaceId('organization'), title: 'Organization',
    path: '/api/v2/organizations/me', paging: 'none', permission: '',
    // `features` is diffed by its own surface (same route) so one toggle is one finding.
    volatileFields: ['version', 'selfUri', 'features'],
    secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('features'), title: 'Organization features',
    // There is no GET /organizations/features (reference §5.2): the map lives on /organizations/me.
    path: '/api/v2/organizations/me', paging: 'none', permission: '', select: 'features',
    volatileFields: [], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('authentication-settings'), title: 'Authentication settings (MFA, allowlists, passwords)',
    path: '/api/v2/organizations/authentication/settings', paging: 'none',
    permission: 'directory:organization:admin',
    volatileFields: [], secretFields: [],
    arrayKeys: [scalarSet('domainAllowlist'), scalarSet('ipAddressAllowlist'), scalarSet('inactivityTimeoutExclusions')],
  },
  {
    id: surfaceId('idle-token-timeout'), title: 'Idle token timeout',
    path: '/api/v2/tokens/timeout', paging: 'none', permission: '',
    volatileFields: [], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('recording-settings'), title: 'Recording settings',
    // Never pass createDefault=true: it creates a settings record (a write).
    path: '/api/v2/recording/settings', paging: 'none', permission: 'recording:screenRecording:view',
    volatileFields: ['maxConfigurableScreenRecordingStreams'], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('media-retention-policies'), title: 'Media retention policies',
    path: '/api/v2/recording/mediaretentionpolicies', paging: 'page-number', permission: 'recording:retentionPolicy:view',
    volatileFields: ['createdDate', 'modifiedDate', 'policyErrors', 'selfUri'], secretFields: [],
    // `order` is significant but lives in a field, so the list itself can be keyed by id.
    arrayKeys: [
      byId,
      { path: 'entities[].mediaPolicies.*.conditions.forQueues', key: 'id' },
      { path: 'entities[].mediaPolicies.*.conditions.forUsers', key: 'id' },
      { path: 'entities[].mediaPolicies.*.conditions.wrapupCodes', key: 'id' },
      { path: 'entities[].mediaPolicies.*.conditions.languages', key: 'id' },
      scalarSet('entities[].mediaPolicies.*.conditions.directions'),
    ],
  },
  {
    id: surfaceId('routing-settings'), title: 'Routing settings',
    path: '/api/v2/routing/settings', paging: 'none', permission: '',
    volatileFields: [], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('transcription-settings'), title: 'Transcription settings',
    path: '/api/v2/routing/settings/transcription', paging: 'none', permission: 'routing:transcriptionSettings:view',
    volatileFields: [], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('contact-center-settings'), title: 'Contact center settings',
    // Permission unconfirmed in the reference (§5.8); none assumed.
    path: '/api/v2/routing/settings/contactcenter', paging: 'none', permission: '',
    volatileFields: [], secretFields: [], arrayKeys: [],
  },
  {
    id: surfaceId('oauth-clients'), title: 'OAuth clients',
    // No paging parameters: one envelope holds every client (reference §4.1).
    path: '/api/v2/oauth/clients', paging: 'none', permission: 'oauth:client:view',
    // roleIds is deprecated and duplicates roleDivisions.
    volatileFields: [...ENVELOPE_FIELDS, 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri', 'dateToDelete', 'roleIds'],
    secretFields: ['secret'],
    arrayKeys: [
      byId,
      scalarSet('entities[].registeredRedirectUri'),
      scalarSet('entities[].scope'),
      { path: 'entities[].roleDivisions', key: 'roleId+divisionId' },
    ],
  },
  {
    id: surfaceId('roles'), title: 'Roles and permission policies',
    path: '/api/v2/authorization/roles', paging: 'page-number', permission: 'authorization:role:view',
    query: { userCount: 'false' },
    volatileFields: ['userCount', 'roleNeedsUpdate', 'unusedPermissions', 'entities[].permissionPolicies[].id', 'selfUri'],
    secretFields: [],
    arrayKeys: [
      byId,
      scalarSet('entities[].permissions'),
      // Policy ids are regenerated when wildcards are expanded (quirk 3): key by what they grant.
      { path: 'entities[].permissionPolicies', key: 'domain+entityName' },
      scalarSet('entities[].permissionPolicies[].actionSet'),
    ],
  },
  {
    id: surfaceId('identity-providers'), title: 'Identity providers (SSO)',
    path: '/api/v2/identityproviders', paging: 'none', permission: 'sso:provider:view',
    volatileFields: [...ENVELOPE_FIELDS, 'selfUri'], secretFields: [],
    arrayKeys: [byId, scalarSet('entities[].certificates')],
    // Certificates come bare or PEM-wrapped with line breaks (reference §8.9).
    valueTransforms: [{ path: 'entities[].certificates[]', as: 'certificate' }, { path: 'entities[].certificate', as: 'certificate' }],
  },
  {
    id: surfaceId('integrations'), title: 'Integrations',
    path: '/api/v2/integrations', paging: 'page-number', permission: 'integrations:integration:view',
    volatileFields: ['reportedState', 'selfUri'], secretFields: [],
    arrayKeys: [byId],
  },
  {
    id: surfaceId('integration-credentials'), title: 'Integration credentials (metadata only)',
    path: '/api/v2/integrations/credentials/listing', paging: 'cursor', permission: 'integrations:integration:view',
    // modifiedDate would reveal rotations, but it also moves without any change (quirk 11).
    volatileFields: ['createdDate', 'modifiedDate', 'selfUri'], secretFields: ['credentialFields'],
    arrayKeys: [byId],
  },
  {
    id: surfaceId('telephony-sites'), title: 'Telephony sites',
    path: '/api/v2/telephony/providers/edges/sites', paging: 'page-number', permission: 'telephony:plugin:all',
    // Embedded edges carry runtime status, not configuration. mediaRegions order matters (no rule).
    volatileFields: ['version', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'createdByApp', 'modifiedByApp',
      'selfUri', 'edges', 'primaryEdges', 'secondaryEdges'],
    secretFields: [],
    arrayKeys: [byId],
  },
  {
    id: surfaceId('trunk-base-settings'), title: 'Trunk base settings',
    path: '/api/v2/telephony/providers/edges/trunkbasesettings', paging: 'page-number', permission: 'telephony:plugin:all',
    volatileFields: ['version', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri'],
    // SIP credentials live in trunk properties (reference §5.13).
    secretFields: ['entities[].properties.trunk_authentication_password'],
    arrayKeys: [byId, scalarSet('entities[].properties.trunk_access_acl_allowList.value.instance')],
  },
  {
    id: surfaceId('external-contact-schemas'), title: 'External contact custom field schemas',
    path: '/api/v2/externalcontacts/contacts/schemas', paging: 'none', permission: 'externalContacts:customFields:view',
    volatileFields: [...ENVELOPE_FIELDS, 'selfUri', 'version', 'dateCreated', 'dateModified', 'createdBy'], secretFields: [],
    arrayKeys: [byId, scalarSet('entities[].appliesTo'), scalarSet('entities[].jsonSchema.required')],
  },
];

export function findSurface(id: string): SurfaceDef | undefined {
  return SURFACES.find((s) => s.id === id);
}
