// The slice of the Genesys permission catalog the seed roles use. Needed because the API expands
// wildcards on read (reference §8.3): a policy saved as actionSet ["*"] comes back as explicit
// actions, and entityName "*" comes back as one policy per entity, without its conditions.
export const PERMISSION_CATALOG: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  authorization: { role: ['view', 'add', 'edit', 'delete'], division: ['view', 'add', 'edit', 'delete'], grant: ['add', 'delete'] },
  directory: { user: ['view', 'add', 'edit', 'delete'], organization: ['admin'], group: ['view', 'add', 'edit', 'delete'] },
  routing: {
    queue: ['view', 'add', 'edit', 'delete', 'join'], skill: ['view', 'manage'],
    wrapupCode: ['view', 'add', 'edit', 'delete'], transcriptionSettings: ['view', 'edit'], settings: ['view', 'edit'],
  },
  recording: {
    retentionPolicy: ['view', 'add', 'edit', 'delete'], recording: ['view', 'delete', 'export'],
    screenRecording: ['view'], settings: ['editScreenRecordings'],
  },
  telephony: { plugin: ['all'], sites: ['view'] },
  integrations: { integration: ['view', 'add', 'edit', 'delete'], action: ['view', 'execute'] },
  oauth: { client: ['view', 'add', 'edit', 'delete'] },
  sso: { provider: ['view', 'add', 'edit', 'delete'] },
  analytics: { conversationDetail: ['view'], queueObservation: ['view'], userObservation: ['view'] },
  quality: { evaluation: ['view', 'add', 'edit'], calibration: ['view', 'add'] },
  externalContacts: { contact: ['view', 'add', 'edit'], customFields: ['view', 'add', 'edit', 'delete'] },
  audits: { audit: ['view'] },
  limits: { organization: ['view'], count: ['view'] },
};

/** `domain:entity:action` triples of the catalog, used to generate realistic roles. */
export const ALL_PERMISSIONS: readonly string[] = Object.entries(PERMISSION_CATALOG).flatMap(([domain, entities]) =>
  Object.entries(entities).flatMap(([entity, actions]) => actions.map((a) => `${domain}:${entity}:${a}`)));
