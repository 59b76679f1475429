// The seed organization: realistic bodies for every surface, built deterministically from the
// seed. Pure data — no HTTP here. Canary strings (CANARY-<hex>) are planted in every
// secret-bearing field and in two free-text fields so leak tests have something to look for.
import { AUDITOR_PERMISSIONS } from './clients.ts';
import { PERMISSION_CATALOG } from './permission-catalog.ts';
import { deriveRng, hex, pick, randInt, uuid, type Rng } from './prng.ts';
import type { JsonObj, JsonValue, SimClient } from './types.ts';

export const DEFAULT_ORG_ID = '7a3f0c8e-1111-4a2b-9c3d-000000000001';
export const DEFAULT_ORG_NAME = 'Acme Support';
/** The role granted to the read-only service account (reference §5.9 example id). */
export const CONFIG_AUDITOR_ROLE_ID = '6b2a1c3d-6666-4e5f-9a0b-000000000006';
export const HOME_DIVISION_ID = '0e9f8d7c-7777-4a1b-8c2d-000000000007';
export const ADMIN_USER_ID = 'a1b2c3d4-8888-4e5f-8a9b-000000000008';

export type OrgState = {
  readonly singletons: Map<string, JsonObj>;
  readonly collections: Map<string, JsonObj[]>;
};

export type SeedOrg = { readonly state: OrgState; readonly canaries: readonly string[] };

export type SeedParams = {
  readonly seed: number;
  readonly orgId: string;
  readonly orgName: string;
  readonly clients: readonly SimClient[];
};

// Fixed instants so the seed is identical on every machine and every run.
const iso = (day: number, sec = 0): string => new Date(Date.UTC(2025, 0, 1) + day * 86400000 + sec * 1000).toISOString();

const ref = (id: string): JsonObj => ({ id });

function fakeCertificate(rng: Rng): string {
  // Base64 body only, like the API returns; obviously fake.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let body = 'MIIC+FAKE';
  for (let i = 0; i < 300; i++) body += alphabet[Math.floor(rng() * 64)];
  return `${body}==`;
}

export function buildSeedOrg(p: SeedParams): SeedOrg {
  const rng = deriveRng(p.seed, 'seed-org');
  const canaries: string[] = [];
  const canary = (): string => {
    const c = `CANARY-${hex(rng, 24)}`;
    canaries.push(c);
    return c;
  };
  const slug = p.orgName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const domain = `${slug.split('-')[0] || 'acme'}.example`;

  const sites = buildSites(rng);
  const singletons = new Map<string, JsonObj>([
    ['organization', {
      id: p.orgId, name: p.orgName, defaultLanguage: 'en', defaultCountryCode: 'US',
      thirdPartyOrgName: slug, thirdPartyURI: '', domain, version: 42, state: 'active',
      defaultSiteId: sites[0].id as string, supportURI: `support@${domain}`, voicemailEnabled: true,
      productPlatform: 'GenesysCloud', selfUri: `/api/v2/organizations/${p.orgId}`,
      features: {
        realtimeCIC: false, purecloud: true, hipaa: false, ucEnabled: true, pci: false, purecloudVoice: true,
        xmppFederation: false, chat: true, informalPhotos: true, directory: true, contactCenter: true,
        unifiedCommunications: true, custserv: false,
      },
    }],
    ['authentication-settings', {
      multifactorAuthenticationRequired: true,
      domainAllowlistEnabled: true,
      domainAllowlist: [`crm.${domain}`, `portal.${domain}`, `wallboard.${domain}`],
      ipAddressAllowlist: ['203.0.113.0/24', '198.51.100.17/32', '192.0.2.64/26', '198.51.100.200/32'],
      passwordRequirements: {
        minimumLength: 12, minimumDigits: 1, minimumLetters: 0, minimumUpper: 1, minimumLower: 1,
        minimumSpecials: 1, minimumAgeSeconds: 86400, expirationDays: 90,
      },
      inactivityTimeoutExclusions: [],
    }],
    ['idle-token-timeout', { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 1800 }],
    ['recording-settings', {
      maxSimultaneousStreams: 2, maxConfigurableScreenRecordingStreams: 5,
      regionalRecordingStorageEnabled: false, recordingPlaybackUrlTtl: 60, recordingBatchDownloadUrlTtl: 60,
    }],
    ['routing-settings', { resetAgentScoreOnPresenceChange: false }],
    ['transcription-settings', {
      transcription: 'EnabledQueueFlow', transcriptionConfidenceThreshold: 70,
      lowLatencyTranscriptionEnabled: false, contentSearchEnabled: true,
    }],
    ['contact-center-settings', { removeSkillsFromBlindTransfer: true }],
  ]);

  const roles = buildRoles(rng, canary);
  const collections = new Map<string, JsonObj[]>([
    ['media-retention-policies', buildRetentionPolicies(rng, canary)],
    ['oauth-clients', buildOAuthClients(rng, p.clients, canary)],
    ['roles', roles],
    ['identity-providers', buildIdentityProviders(rng, domain)],
    ['integrations', buildIntegrations(rng, canary)],
    ['integration-credentials', buildCredentials(rng)],
    ['telephony-sites', sites],
    ['trunk-base-settings', buildTrunkBases(rng, canary)],
    ['external-contact-schemas', buildContactSchemas(rng)],
  ]);
  return { state: { singletons, collections }, canaries };
}

function buildSites(rng: Rng): JsonObj[] {
  const rows: readonly [string, boolean, string, readonly string[], string, string][] = [
    ['PureCloud Voice - AWS', true, 'Cloud', ['us-east-1'], 'HQ', 'America/New_York'],
    ['Indianapolis Contact Center', false, 'Premises', ['us-east-1', 'us-west-2'], 'Indianapolis', 'America/Indiana/Indianapolis'],
    ['London Office', false, 'Cloud', ['eu-west-2', 'eu-west-1'], 'London', 'Europe/London'],
  ];
  return rows.map(([name, managed, mediaModel, mediaRegions, location, tz], i): JsonObj => {
    const id = i === 0 ? '2f6e9d1c-3333-4c5d-9e6f-000000000003' : uuid(rng);
    return {
      id, name, version: 7 + i, state: 'active', managed, mediaModel,
      location: { id: uuid(rng), name: location },
      mediaRegions: [...mediaRegions], mediaRegionsUseLatencyBased: false,
      callerId: `+1317555${String(100 + i).padStart(4, '0')}`, callerName: 'Acme',
      edgeAutoUpdateConfig: {
        timeZone: tz, rrule: 'FREQ=WEEKLY;BYDAY=SU',
        start: '2021-08-08T08:00:00.000000', end: '2021-08-08T11:00:00.000000',
      },
      dateCreated: iso(0), dateModified: iso(90 + i * 7, 3600 * 11),
      createdBy: ADMIN_USER_ID, modifiedBy: ADMIN_USER_ID,
      selfUri: `/api/v2/telephony/providers/edges/sites/${id}`,
    };
  });
}

function buildRetentionPolicies(rng: Rng, canary: () => string): JsonObj[] {
  const queueIds = Array.from({ length: 5 }, () => uuid(rng));
  const rows: readonly [string, number, number, boolean, string][] = [
    ['Retain sales calls 2y', 365, 730, true, ''],
    ['PCI calls - delete after 90d', 0, 90, true, 'Card payment lines; never archive'],
    ['Support chats 1y', 0, 365, true, ''],
    // Free text is where people paste things they should not: a canary lives here.
    ['Legal hold - escalations', 1825, 3650, true, `Temporary export for counsel, vendor key ${canary()} (remove after case closes)`],
    ['Email 180d', 0, 180, false, ''],
    ['Screen recordings 30d', 0, 30, true, 'Quality team request'],
  ];
  return rows.map(([name, archiveDays, deleteDays, enabled, description], i): JsonObj => {
    const id = i === 0 ? '51a1f0d2-4444-4e6f-8a9b-000000000004' : uuid(rng);
    const retentionDuration: JsonObj = archiveDays > 0
      ? { archiveRetention: { days: archiveDays, storageMedium: 'CLOUDARCHIVE' }, deleteRetention: { days: deleteDays } }
      : { deleteRetention: { days: deleteDays } };
    const forQueues = [queueIds[i % 5], queueIds[(i + 2) % 5]].map(ref);
    return {
      id, name, order: i + 1, description, enabled,
      createdDate: iso(30 + i), modifiedDate: iso(120 + i * 3, 29643),
      mediaPolicies: {
        callPolicy: {
          actions: { retainRecording: true, deleteRecording: false, alwaysDelete: false, retentionDuration },
          conditions: {
            forQueues, directions: i % 2 === 0 ? ['INBOUND', 'OUTBOUND'] : ['INBOUND'],
            wrapupCodes: [], languages: [], forUsers: [],
          },
        },
        chatPolicy: {}, emailPolicy: {}, messagePolicy: {},
      },
      policyErrors: { policyErrorMessages: [] },
      selfUri: `/api/v2/recording/mediaretentionpolicies/${id}`,
    };
  });
}

function buildOAuthClients(rng: Rng, clients: readonly SimClient[], canary: () => string): JsonObj[] {
  const base = (id: string, name: string, description: string, grant: string, validity: number): JsonObj => ({
    id, name, description, accessTokenValiditySeconds: validity, registeredRedirectUri: [],
    roleIds: [CONFIG_AUDITOR_ROLE_ID],
    roleDivisions: [{ roleId: CONFIG_AUDITOR_ROLE_ID, divisionId: HOME_DIVISION_ID }],
    authorizedGrantType: grant, scope: [], state: 'active',
    dateCreated: iso(9, 32400), dateModified: iso(60, 60310),
    createdBy: { id: ADMIN_USER_ID }, modifiedBy: { id: ADMIN_USER_ID },
    selfUri: `/api/v2/oauth/clients/${id}`,
  });
  const simulatorClients = clients.map((c, i) => base(c.clientId, c.name,
    c.permissions.includes('*') ? 'configuration automation (full admin)' : 'read-only config snapshots', 'CLIENT-CREDENTIALS',
    i === 0 ? 3600 : 86400));
  const legacyId = uuid(rng);
  const legacy: JsonObj = {
    ...base(legacyId, 'Legacy WFM export', 'nightly schedule export (pre-2025 client)', 'CLIENT-CREDENTIALS', 86400),
    // Stored secret: the API stopped returning it in 2025 (§5.9); the quirks mode echoes it like old builds.
    secret: canary(),
  };
  const zendeskId = uuid(rng);
  const zendesk: JsonObj = { ...base(zendeskId, 'Zendesk sync', 'ticket sync middleware', 'CLIENT-CREDENTIALS', 7200), secret: canary() };
  const desktopId = uuid(rng);
  const desktop: JsonObj = {
    ...base(desktopId, 'Agent desktop (implicit)', 'embedded agent UI', 'TOKEN', 86400),
    registeredRedirectUri: ['https://desktop.acme.example/callback', 'https://desktop-staging.acme.example/callback'],
    roleIds: [], roleDivisions: [], scope: ['conversations', 'users:readonly', 'routing', 'presence'],
  };
  const retiredId = uuid(rng);
  const retired: JsonObj = {
    ...base(retiredId, 'Old BI connector', 'replaced by the data lake export', 'CLIENT-CREDENTIALS', 3600),
    state: 'inactive', dateToDelete: iso(400),
  };
  return [...simulatorClients, legacy, zendesk, desktop, retired];
}

/** One policy per `domain:entity`, with the actions of the given permissions. */
function policiesFor(rng: Rng, permissions: readonly string[]): JsonObj[] {
  const grouped = new Map<string, string[]>();
  for (const perm of permissions) {
    const [domain, entity, action] = perm.split(':');
    const key = `${domain}:${entity}`;
    grouped.set(key, [...(grouped.get(key) ?? []), action]);
  }
  return [...grouped].map(([key, actions]) => {
    const [domain, entityName] = key.split(':');
    return { id: uuid(rng), domain, entityName, actionSet: actions, allowConditions: false };
  });
}

function randomPermissions(rng: Rng, count: number): string[] {
  const out = new Set<string>();
  const domains = Object.keys(PERMISSION_CATALOG);
  while (out.size < count) {
    const domain = pick(rng, domains);
    const entity = pick(rng, Object.keys(PERMISSION_CATALOG[domain]));
    out.add(`${domain}:${entity}:${pick(rng, PERMISSION_CATALOG[domain][entity])}`);
  }
  return [...out];
}

const BUILT_IN_ROLES: readonly [string, string][] = [
  ['admin', 'Admin'], ['employee', 'Employee'], ['agent', 'Agent'], ['supervisor', 'Supervisor'],
  ['masterAdmin', 'Master Admin'], ['user', 'User'], ['communicateAdmin', 'Communicate - Admin'],
  ['communicateUser', 'Communicate - User'], ['qualityAdmin', 'Quality Administrator'],
  ['qualityEvaluator', 'Quality Evaluator'], ['telephonyAdmin', 'Telephony Admin'],
  ['trustedExternalUser', 'Trusted External User'], ['developer', 'Developer'], ['architect', 'Architect'],
  ['reportingAdmin', 'Reporting Admin'], ['outboundAdmin', 'Outbound Admin'], ['outboundAgent', 'Outbound Agent'],
  ['recordingAdmin', 'Recording Administrator'], ['speechAnalyticsAdmin', 'Speech and Text Analytics Admin'],
  ['contactCenterManager', 'Contact Center Manager'], ['routingAdmin', 'Routing Admin'],
  ['wfmAdmin', 'Workforce Management Admin'], ['learningAdmin', 'Learning Admin'],
  ['scriptingAdmin', 'Scripting Admin'], ['responseAdmin', 'Response Admin'], ['knowledgeAdmin', 'Knowledge Admin'],
];

function buildRoles(rng: Rng, canary: () => string): JsonObj[] {
  const role = (id: string, name: string, description: string, policies: JsonObj[], builtIn: string | null): JsonObj => ({
    id, name, description, defaultRoleId: builtIn, permissions: [], permissionPolicies: policies,
    userCount: randInt(rng, 0, 40), roleNeedsUpdate: false, base: false, default: builtIn !== null,
    selfUri: `/api/v2/authorization/roles/${id}`,
  });
  const roles: JsonObj[] = BUILT_IN_ROLES.map(([key, name]) =>
    role(uuid(rng), name, `Built-in ${name} role`, policiesFor(rng, randomPermissions(rng, randInt(rng, 2, 8))), key));
  roles.push(role(CONFIG_AUDITOR_ROLE_ID, 'Config Auditor', 'Read-only configuration access', policiesFor(rng, AUDITOR_PERMISSIONS), null));
  // Saved with wildcards: the API expands them on read (§8.3).
  roles.push(role(uuid(rng), 'Legacy Queue Manager', 'Predates the wildcard deprecation', [
    { id: uuid(rng), domain: 'routing', entityName: 'queue', actionSet: ['*'], allowConditions: false },
    { id: uuid(rng), domain: 'quality', entityName: '*', actionSet: ['view'], allowConditions: true },
  ], null));
  roles.push(role(uuid(rng), 'Vendor Support Access', `Break-glass role. Shared login note: ${canary()}`,
    policiesFor(rng, ['directory:user:view', 'routing:queue:view']), null));
  const teams = ['EMEA', 'NA', 'APAC', 'LATAM'];
  const functions = ['Tier 1 Agent', 'Tier 2 Agent', 'Team Lead', 'Workforce Planner', 'Quality Coach', 'Reporting Analyst', 'Outbound Dialer', 'Telephony Engineer'];
  for (const team of teams) {
    for (const fn of functions) {
      roles.push(role(uuid(rng), `${team} ${fn}`, `${fn} for the ${team} region`,
        policiesFor(rng, randomPermissions(rng, randInt(rng, 1, 6))), null));
    }
  }
  return roles; // 26 built-in + 3 + 32 = 61 roles: three pages at the default page size of 25
}

function buildIdentityProviders(rng: Rng, domain: string): JsonObj[] {
  const base = (id: string, name: string, disabled: boolean, extra: JsonObj): JsonObj => ({
    id, name, disabled, ...extra, selfUri: `/api/v2/identityproviders/${id}`,
  });
  const customId = uuid(rng);
  return [
    base('okta', 'Okta', false, {
      issuerURI: 'http://www.okta.example/exk1fakeissuer',
      ssoTargetURI: `https://acme.okta.example/app/genesys/sso/saml`,
      sloURI: '', sloBinding: 'HTTP Redirect', relyingPartyIdentifier: 'urn:acme:genesys',
      certificates: [fakeCertificate(rng), fakeCertificate(rng)],
      nameIdentifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      signAuthnRequests: false, endpointCompression: false,
    }),
    base('gsuite', 'GSuite', true, {
      issuerURI: 'https://accounts.google.example/o/saml2?idpid=FAKE123',
      ssoTargetURI: 'https://accounts.google.example/o/saml2/idp?idpid=FAKE123',
      relyingPartyIdentifier: `genesys-${domain}`, certificates: [fakeCertificate(rng)],
    }),
    base(customId, 'Acme Keycloak (generic SAML)', false, {
      issuerURI: `https://sso.${domain}/realms/contact-center`,
      ssoTargetURI: `https://sso.${domain}/realms/contact-center/protocol/saml`,
      sloURI: `https://sso.${domain}/realms/contact-center/protocol/saml/logout`, sloBinding: 'HTTP Post',
      relyingPartyIdentifier: `urn:${domain}:genesys`,
      certificates: [fakeCertificate(rng), fakeCertificate(rng), fakeCertificate(rng)],
      nameIdentifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      signAuthnRequests: true, endpointCompression: false, logoImageData: `PHN2ZyBGQUtF${hex(rng, 40)}`,
    }),
  ];
}

const INTEGRATION_TYPES: readonly [string, string][] = [
  ['purecloud-data-actions', 'Genesys Cloud Data Actions'],
  ['salesforce-datadip', 'Salesforce Data Actions'],
  ['zendesk-datadip', 'Zendesk Data Actions'],
  ['custom-rest-actions', 'Web Services Data Actions'],
  ['aws-lambda-data-actions', 'AWS Lambda Data Actions'],
  ['embedded-client-app', 'Client Application'],
  ['microsoft-teams', 'Microsoft Teams'],
  ['purecloud-for-salesforce', 'Genesys Cloud for Salesforce'],
];

function buildIntegrations(rng: Rng, canary: () => string): JsonObj[] {
  const out: JsonObj[] = [];
  const systems = ['Billing API', 'CRM Lookup', 'Order Status', 'Loyalty', 'Identity Verify'];
  for (const region of ['NA', 'EMEA', 'APAC']) {
    for (const [typeId, typeName] of INTEGRATION_TYPES) {
      const suffix = typeId === 'custom-rest-actions' || typeId === 'aws-lambda-data-actions' ? ` - ${pick(rng, systems)}` : '';
      out.push(integration(rng, `${typeName} ${region}${suffix}`, typeId, typeName, ''));
    }
  }
  out[0] = { ...out[0], id: '3c4d5e6f-9999-4a0b-8c1d-000000000009', selfUri: '/api/v2/integrations/3c4d5e6f-9999-4a0b-8c1d-000000000009' };
  out.push(integration(rng, 'Wallboard (client app)', 'embedded-client-app', 'Client Application', 'Owned by the WFM team'));
  out.push(integration(rng, 'Payments webhook', 'custom-rest-actions', 'Web Services Data Actions', `Header X-Api-Key was ${canary()} before rotation`));
  out.push(integration(rng, 'Retired survey tool', 'custom-rest-actions', 'Web Services Data Actions', 'Disabled pending removal'));
  out[out.length - 1].intendedState = 'DISABLED';
  return out; // 27 integrations: two pages at the default page size of 25
}

function integration(rng: Rng, name: string, typeId: string, typeName: string, notes: string): JsonObj {
  const id = uuid(rng);
  const attributes: JsonObj = typeId === 'embedded-client-app' ? { displayType: 'standalone', sandbox: 'allow-scripts,allow-same-origin' } : {};
  return {
    id, name,
    integrationType: { id: typeId, name: typeName, selfUri: `/api/v2/integrations/types/${typeId}` },
    notes, intendedState: 'ENABLED',
    reportedState: { code: 'ACTIVE', effective: 'Active', lastUpdated: iso(150, randInt(rng, 0, 86399)) },
    attributes, selfUri: `/api/v2/integrations/${id}`,
  };
}

function buildCredentials(rng: Rng): JsonObj[] {
  const types = ['basicAuth', 'userDefined', 'salesforce', 'zendesk', 'userDefinedOAuth'];
  return Array.from({ length: 30 }, (_, i): JsonObj => {
    const type = types[i % types.length];
    return {
      id: uuid(rng), name: `${type} credential ${String(i + 1).padStart(2, '0')}`,
      createdDate: iso(10 + i), modifiedDate: iso(100 + i, randInt(rng, 0, 86399)),
      type: { name: type },
      // Only returned by GET /credentials/{id}, redacted (§5.12).
      credentialFields: { loginUrl: 'https://login.vendor.example', clientId: `svc-${hex(rng, 8)}`, clientSecret: '********' },
    };
  });
}

function buildTrunkBases(rng: Rng, canary: () => string): JsonObj[] {
  const prop = (value: JsonValue): JsonObj => ({ type: Array.isArray(value) ? 'array' : typeof value, value: { default: Array.isArray(value) ? [] : '', instance: value } });
  const rows: readonly [string, string, string, readonly string[], boolean][] = [
    ['Twilio BYOC Carrier', 'EXTERNAL', 'external_sip_pcv_byoc_carrier.json', ['54.172.60.0/30', '54.244.51.0/30', '54.171.127.192/30'], true],
    ['Lumen SIP Trunk', 'EXTERNAL', 'external_sip_pcv_byoc_carrier.json', ['4.68.0.0/16', '8.9.0.0/16'], true],
    ['Phone Trunk Base - Polycom', 'PHONE', 'phone_trunk.json', [], false],
  ];
  return rows.map(([name, trunkType, metabase, acl, auth]): JsonObj => {
    const id = uuid(rng);
    const properties: JsonObj = {
      trunk_label: prop(name),
      trunk_access_acl_allowList: prop([...acl]),
      trunk_transport_sip_domain: prop(`${name.split(' ')[0].toLowerCase()}.pstn.example`),
      trunk_media_codec: prop(['audio/opus', 'audio/PCMU', 'audio/PCMA']),
    };
    if (auth) {
      properties.trunk_authentication_userName = prop(`acme-${hex(rng, 6)}`);
      properties.trunk_authentication_password = prop(canary());
    }
    return {
      id, name, state: 'active', trunkType, managed: false,
      trunkMetabase: { id: metabase, name: trunkType === 'PHONE' ? 'Polycom Phone Trunk' : 'Generic BYOC Carrier' },
      properties, version: 3,
      dateCreated: iso(20), dateModified: iso(140, 7200), createdBy: ADMIN_USER_ID, modifiedBy: ADMIN_USER_ID,
      selfUri: `/api/v2/telephony/providers/edges/trunkbasesettings/${id}`,
    };
  });
}

function buildContactSchemas(rng: Rng): JsonObj[] {
  const schema = (name: string, props: JsonObj, required: string[]): JsonObj => {
    const id = uuid(rng);
    return {
      id, name, version: 2, appliesTo: ['CONTACT'], enabled: true,
      jsonSchema: {
        $schema: 'http://json-schema.org/draft-04/schema#', title: name, description: `${name} custom fields`,
        properties: props, required,
      },
      createdBy: { id: ADMIN_USER_ID }, dateCreated: iso(50),
      selfUri: `/api/v2/externalcontacts/contacts/schemas/${id}`,
    };
  };
  return [
    schema('Customer tier', {
      tier_text: { allOf: [{ $ref: '#/definitions/text' }], title: 'Tier', minLength: 1, maxLength: 20 },
      since_date: { allOf: [{ $ref: '#/definitions/date' }], title: 'Customer since' },
    }, ['tier_text']),
    schema('Consent flags', {
      marketingOptIn_checkbox: { allOf: [{ $ref: '#/definitions/checkbox' }], title: 'Marketing opt-in' },
      recordingConsent_checkbox: { allOf: [{ $ref: '#/definitions/checkbox' }], title: 'Recording consent' },
    }, []),
  ];
}
