// Which configuration surfaces the simulator serves and how each behaves: path, envelope,
// permissions, write methods, audit naming, and what varies between reads when quirks are on.
// This is the simulator's own table; the client keeps its catalog in src/genesys/surfaces.ts.
import { PERMISSION_CATALOG } from './permission-catalog.ts';
import { chance, deriveRng, hashString, hex, randInt, uuid, type Rng } from './prng.ts';
import type { JsonObj, JsonValue } from './types.ts';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];

/** page-number and cursor per reference §4; 'listing-all' = page envelope without paging
 *  parameters (OAuth clients); 'entities-total' = {entities, total} (identity providers, schemas). */
export type Envelope = 'none' | 'page-number' | 'cursor' | 'listing-all' | 'entities-total';

export type RenderContext = { readonly quirks: boolean; readonly rng: Rng; readonly read: number; readonly query: URLSearchParams };

export type SimSurface = {
  readonly id: string;
  readonly title: string;
  readonly path: string;
  readonly kind: 'singleton' | 'collection';
  readonly envelope: Envelope;
  /** ANY of these; empty = no permission needed. */
  readonly readPermissions: readonly string[];
  /** Methods the real API has for this surface, with the permission each needs. */
  readonly writePermissions: Partial<Record<WriteMethod, string>>;
  /** Collections: base for `/{id}` item routes and POST, when it differs from `path`. */
  readonly itemBase?: string;
  readonly sortBy?: 'name' | 'order';
  readonly audit: { readonly serviceName: string; readonly entityType: string };
  /** Keys whose values change without a configuration change (documentation + audit diff). */
  readonly volatileKeys: readonly string[];
  readonly secretFields: readonly string[];
  /** Dotted patterns (relative to an entity or singleton body) of set-like arrays that are
   *  returned in varying order under quirks; '[]' = each array element, '*' = any key. */
  readonly unorderedArrays: readonly string[];
  /** Shape the stored entity for a response (hide, expand, redact). */
  readonly project?: (e: JsonObj, view: 'list' | 'item', ctx: RenderContext) => JsonObj;
  /** Extra per-read noise under quirks, beyond the shared volatile keys. */
  readonly volatile?: (e: JsonObj, ctx: RenderContext) => void;
  readonly validate?: (body: JsonObj) => string | undefined;
};

const inRange = (body: JsonObj, key: string, min: number, max: number): string | undefined => {
  const v = body[key];
  if (v === undefined) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `${key} must be an integer between ${min} and ${max}`;
};

/** Role policies: wildcards saved by an admin come back expanded (reference §8.3). */
function expandWildcardPolicies(role: JsonObj): JsonObj {
  const policies = role.permissionPolicies;
  if (!Array.isArray(policies)) return role;
  const out: JsonValue[] = [];
  for (const p of policies as JsonObj[]) {
    const domain = String(p.domain);
    const entities = PERMISSION_CATALOG[domain] ?? {};
    const actionSet = Array.isArray(p.actionSet) ? p.actionSet.map(String) : [];
    if (p.entityName === '*') {
      // One policy per entity, ids derived from the saved policy, conditions dropped.
      for (const entityName of Object.keys(entities)) {
        const actions = actionSet.includes('*') ? entities[entityName] : actionSet.filter((a) => entities[entityName].includes(a));
        if (actions.length === 0) continue;
        const rng = deriveRng(hashString(String(p.id)), entityName);
        out.push({ id: uuid(rng), domain, entityName, actionSet: [...actions], allowConditions: false });
      }
    } else if (actionSet.includes('*') && entities[String(p.entityName)]) {
      out.push({ ...p, actionSet: [...entities[String(p.entityName)]] });
    } else {
      out.push(p);
    }
  }
  return { ...role, permissionPolicies: out };
}

export const SURFACES: readonly SimSurface[] = [
  {
    id: 'organization', title: 'Organization', path: '/api/v2/organizations/me', kind: 'singleton', envelope: 'none',
    readPermissions: [], writePermissions: { PUT: 'directory:organization:admin' },
    audit: { serviceName: 'Directory', entityType: 'Organization' },
    volatileKeys: ['version', 'selfUri'], secretFields: [], unorderedArrays: [],
  },
  {
    id: 'authentication-settings', title: 'Authentication settings', path: '/api/v2/organizations/authentication/settings',
    kind: 'singleton', envelope: 'none',
    readPermissions: ['directory:organization:admin'], writePermissions: { PATCH: 'directory:organization:admin' },
    audit: { serviceName: 'Directory', entityType: 'AuthOrganization' },
    volatileKeys: [], secretFields: [], unorderedArrays: ['domainAllowlist', 'ipAddressAllowlist', 'inactivityTimeoutExclusions'],
    validate: (b) => {
      const pr = b.passwordRequirements;
      if (pr !== undefined && (pr === null || typeof pr !== 'object' || Array.isArray(pr))) return 'passwordRequirements must be an object';
      return undefined;
    },
  },
  {
    // Deprecated twin of authentication-settings.ipAddressAllowlist (§5.5, §8.14); same data.
    id: 'ip-address-authentication', title: 'IP address authentication (legacy)', path: '/api/v2/organizations/ipaddressauthentication',
    kind: 'singleton', envelope: 'none',
    readPermissions: ['directory:organization:admin'], writePermissions: { PUT: 'directory:organization:admin' },
    audit: { serviceName: 'Directory', entityType: 'AuthOrganization' },
    volatileKeys: [], secretFields: [], unorderedArrays: ['networkWhitelist'],
  },
  {
    id: 'idle-token-timeout', title: 'Idle token timeout', path: '/api/v2/tokens/timeout', kind: 'singleton', envelope: 'none',
    readPermissions: [], writePermissions: { PUT: 'directory:organization:admin' },
    audit: { serviceName: 'Directory', entityType: 'OrganizationSettings' },
    volatileKeys: [], secretFields: [], unorderedArrays: [],
    validate: (b) => inRange(b, 'idleTokenTimeoutSeconds', 300, 28800),
  },
  {
    id: 'recording-settings', title: 'Recording settings', path: '/api/v2/recording/settings', kind: 'singleton', envelope: 'none',
    readPermissions: ['recording:screenRecording:view', 'recording:settings:editScreenRecordings'],
    writePermissions: { PUT: 'recording:settings:editScreenRecordings' },
    audit: { serviceName: 'Quality', entityType: 'RecordingSettings' },
    volatileKeys: ['maxConfigurableScreenRecordingStreams'], secretFields: [], unorderedArrays: [],
    volatile: (e, ctx) => { e.maxConfigurableScreenRecordingStreams = randInt(ctx.rng, 5, 10); },
    validate: (b) => inRange(b, 'recordingPlaybackUrlTtl', 2, 60) ?? inRange(b, 'recordingBatchDownloadUrlTtl', 2, 60),
  },
  {
    id: 'media-retention-policies', title: 'Media retention policies', path: '/api/v2/recording/mediaretentionpolicies',
    kind: 'collection', envelope: 'page-number', sortBy: 'order',
    readPermissions: ['recording:retentionPolicy:view'],
    writePermissions: { POST: 'recording:retentionPolicy:add', PUT: 'recording:retentionPolicy:edit', PATCH: 'recording:retentionPolicy:edit', DELETE: 'recording:retentionPolicy:delete' },
    audit: { serviceName: 'Quality', entityType: 'Policy' },
    volatileKeys: ['createdDate', 'modifiedDate', 'policyErrors', 'selfUri'], secretFields: [],
    unorderedArrays: [
      'mediaPolicies.*.conditions.forQueues', 'mediaPolicies.*.conditions.directions', 'mediaPolicies.*.conditions.wrapupCodes',
      'mediaPolicies.*.conditions.languages', 'mediaPolicies.*.conditions.forUsers',
    ],
    volatile: (e, ctx) => {
      e.policyErrors = chance(ctx.rng, 0.3)
        ? { policyErrorMessages: [{ statusCode: 'OK', userMessage: 'Policy evaluated', errorCode: 'none', correlationId: uuid(ctx.rng), insertDate: stamp(ctx.rng) }] }
        : { policyErrorMessages: [] };
    },
  },
  {
    id: 'routing-settings', title: 'Routing settings', path: '/api/v2/routing/settings', kind: 'singleton', envelope: 'none',
    readPermissions: [], writePermissions: { PUT: 'routing:settings:edit' },
    audit: { serviceName: 'Routing', entityType: 'OrganizationSettings' },
    volatileKeys: [], secretFields: [], unorderedArrays: [],
  },
  {
    id: 'transcription-settings', title: 'Transcription settings', path: '/api/v2/routing/settings/transcription', kind: 'singleton', envelope: 'none',
    readPermissions: ['routing:transcriptionSettings:view'], writePermissions: { PUT: 'routing:transcriptionSettings:edit' },
    audit: { serviceName: 'Routing', entityType: 'RoutingTranscriptionSettings' },
    volatileKeys: [], secretFields: [], unorderedArrays: [],
    validate: (b) => inRange(b, 'transcriptionConfidenceThreshold', 1, 100),
  },
  {
    // Permission for this one is unconfirmed in the reference; the simulator requires none.
    id: 'contact-center-settings', title: 'Contact center settings', path: '/api/v2/routing/settings/contactcenter', kind: 'singleton', envelope: 'none',
    readPermissions: [], writePermissions: { PATCH: 'routing:settings:edit' },
    audit: { serviceName: 'Routing', entityType: 'OrganizationSettings' },
    volatileKeys: [], secretFields: [], unorderedArrays: [],
  },
  {
    id: 'oauth-clients', title: 'OAuth clients', path: '/api/v2/oauth/clients', kind: 'collection', envelope: 'listing-all', sortBy: 'name',
    readPermissions: ['oauth:client:view'],
    writePermissions: { POST: 'oauth:client:add', PUT: 'oauth:client:edit', DELETE: 'oauth:client:delete' },
    audit: { serviceName: 'PeoplePermissions', entityType: 'OAuthClient' },
    volatileKeys: ['dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri', 'dateToDelete'], secretFields: ['secret'],
    unorderedArrays: ['roleIds', 'roleDivisions', 'scope', 'registeredRedirectUri'],
    project: (e, _view, ctx) => {
      // Current API never returns the secret (2025); old builds did — quirks mode behaves like them.
      if (!ctx.quirks) { const { secret: _s, ...rest } = e; return rest; }
      return e;
    },
    validate: (b) => inRange(b, 'accessTokenValiditySeconds', 300, 172800),
  },
  {
    id: 'roles', title: 'Roles', path: '/api/v2/authorization/roles', kind: 'collection', envelope: 'page-number', sortBy: 'name',
    readPermissions: ['authorization:role:view'],
    writePermissions: { POST: 'authorization:role:add', PUT: 'authorization:role:edit', PATCH: 'authorization:role:edit', DELETE: 'authorization:role:delete' },
    audit: { serviceName: 'PeoplePermissions', entityType: 'Role' },
    volatileKeys: ['userCount', 'roleNeedsUpdate', 'unusedPermissions', 'selfUri'], secretFields: [],
    unorderedArrays: ['permissions', 'permissionPolicies', 'permissionPolicies[].actionSet'],
    project: (e, _view, ctx) => {
      const out = expandWildcardPolicies(e);
      // userCount defaults to true; userCount=false leaves it out.
      if (ctx.query.get('userCount') === 'false') delete out.userCount;
      return out;
    },
    volatile: (e, ctx) => {
      if (e.userCount !== undefined) e.userCount = randInt(ctx.rng, 0, 40);
      e.roleNeedsUpdate = chance(ctx.rng, 0.2);
      if (chance(ctx.rng, 0.3)) e.unusedPermissions = ['analytics:conversationDetail:view'];
    },
  },
  {
    id: 'identity-providers', title: 'Identity providers', path: '/api/v2/identityproviders', kind: 'collection', envelope: 'entities-total', sortBy: 'name',
    readPermissions: ['sso:provider:view'], writePermissions: { PUT: 'sso:provider:edit', DELETE: 'sso:provider:delete' },
    audit: { serviceName: 'Directory', entityType: 'AuthOrganization' },
    volatileKeys: ['selfUri'], secretFields: [], unorderedArrays: ['certificates'],
    volatile: (e, ctx) => {
      // Certificates differ textually between reads (§8.9): sometimes PEM-wrapped with line breaks.
      if (Array.isArray(e.certificates)) e.certificates = e.certificates.map((c) => (chance(ctx.rng, 0.5) ? pem(String(c)) : c));
    },
  },
  {
    id: 'integrations', title: 'Integrations', path: '/api/v2/integrations', kind: 'collection', envelope: 'page-number', sortBy: 'name',
    readPermissions: ['integrations:integration:view'],
    writePermissions: { POST: 'integrations:integration:add', PATCH: 'integrations:integration:edit', DELETE: 'integrations:integration:delete' },
    audit: { serviceName: 'Integrations', entityType: 'Integration' },
    volatileKeys: ['reportedState', 'selfUri'], secretFields: [], unorderedArrays: [],
    volatile: (e, ctx) => {
      const healthy = !chance(ctx.rng, 0.15);
      e.reportedState = { code: healthy ? 'ACTIVE' : 'ACTIVATING', effective: healthy ? 'Active' : 'Activating', lastUpdated: stamp(ctx.rng) };
    },
  },
  {
    id: 'integration-credentials', title: 'Integration credentials (metadata)', path: '/api/v2/integrations/credentials/listing',
    itemBase: '/api/v2/integrations/credentials', kind: 'collection', envelope: 'cursor',
    readPermissions: ['integrations:integration:view'],
    writePermissions: { POST: 'integrations:integration:add', PUT: 'integrations:integration:edit', DELETE: 'integrations:integration:delete' },
    audit: { serviceName: 'Integrations', entityType: 'Credential' },
    volatileKeys: ['createdDate', 'modifiedDate'], secretFields: ['credentialFields'], unorderedArrays: [],
    project: (e, view) => {
      const { credentialFields, ...meta } = e;
      if (view === 'list') return meta;
      // Single read: "sensitive fields redacted" (§5.12) — secret-looking keys masked.
      const fields: JsonObj = {};
      for (const [k, v] of Object.entries((credentialFields ?? {}) as JsonObj)) fields[k] = /secret|password|token|key/i.test(k) ? '********' : v;
      return { ...meta, credentialFields: fields };
    },
  },
  {
    id: 'telephony-sites', title: 'Telephony sites', path: '/api/v2/telephony/providers/edges/sites', kind: 'collection', envelope: 'page-number', sortBy: 'name',
    readPermissions: ['telephony:plugin:all'],
    writePermissions: { POST: 'telephony:plugin:all', PUT: 'telephony:plugin:all', DELETE: 'telephony:plugin:all' },
    audit: { serviceName: 'Telephony', entityType: 'Site' },
    volatileKeys: ['version', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'createdByApp', 'modifiedByApp', 'selfUri'],
    secretFields: [], unorderedArrays: [], // mediaRegions order is meaningful: never shuffled
  },
  {
    id: 'trunk-base-settings', title: 'Trunk base settings', path: '/api/v2/telephony/providers/edges/trunkbasesettings',
    kind: 'collection', envelope: 'page-number', sortBy: 'name',
    readPermissions: ['telephony:plugin:all'],
    writePermissions: { POST: 'telephony:plugin:all', PUT: 'telephony:plugin:all', DELETE: 'telephony:plugin:all' },
    audit: { serviceName: 'Telephony', entityType: 'TrunkBase' },
    volatileKeys: ['version', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri'],
    secretFields: ['properties.trunk_authentication_password'],
    unorderedArrays: ['properties.trunk_access_acl_allowList.value.instance'],
  },
  {
    id: 'external-contact-schemas', title: 'External contact schemas', path: '/api/v2/externalcontacts/contacts/schemas',
    kind: 'collection', envelope: 'entities-total', sortBy: 'name',
    readPermissions: ['externalContacts:customFields:view'],
    writePermissions: { POST: 'externalContacts:customFields:add', PUT: 'externalContacts:customFields:edit', DELETE: 'externalContacts:customFields:delete' },
    audit: { serviceName: 'ContactCenter', entityType: 'Schema' },
    volatileKeys: ['version', 'dateCreated', 'createdBy', 'selfUri'], secretFields: [],
    unorderedArrays: ['appliesTo', 'jsonSchema.required'],
  },
];

/** Keys that change on every read under quirks wherever they appear at an entity's top level. */
export const SHARED_VOLATILE_KEYS = ['version', 'dateModified', 'modifiedDate', 'selfUri'] as const;

/** A deterministic instant in late 2026 for volatile timestamps. */
function stamp(rng: Rng): string {
  return new Date(Date.UTC(2026, 9, 1) + Math.floor(rng() * 50 * 86400000)).toISOString();
}

function pem(body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [body];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Shared per-read noise: version ticks, timestamps move, selfUri grows a cache-buster. */
export function applySharedVolatile(e: JsonObj, ctx: RenderContext): void {
  if (typeof e.version === 'number') e.version = e.version + ctx.read;
  for (const key of ['dateModified', 'modifiedDate'] as const) if (typeof e[key] === 'string') e[key] = stamp(ctx.rng);
  if (typeof e.selfUri === 'string') e.selfUri = `${e.selfUri}?_=${hex(ctx.rng, 8)}`;
}

export function surfaceById(id: string): SimSurface {
  const s = SURFACES.find((x) => x.id === id);
  if (!s) throw new Error(`unknown simulator surface ${id}`);
  return s;
}
