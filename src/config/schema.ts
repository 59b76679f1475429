// The JSON Schema of driftwarden.yaml. It is the single source of truth for what a config may
// contain: the loader validates with it, and `renderConfigSchema()` prints it for the docs
// (the same text is checked in as driftwarden.schema.json, kept in sync by a test).
import { SEVERITIES } from '../model/findings.ts';
import { GENESYS_REGIONS } from './regions.ts';

/** Values used when a key is left out. The schema's `default` annotations are taken from here. */
export const CONFIG_DEFAULTS = {
  baselinesDir: 'baselines',
  storePath: '.driftwarden/driftwarden.db',
  policiesDirs: ['policies'],
  defaultSeverity: 'medium',
  // Genesys allows 300 requests/min per client-credentials token, and individual services less
  // (reference §3.3); staying well below leaves room for other tools sharing the OAuth client.
  requestsPerMinute: 180,
  maxRetries: 5,
  // The Go SDK gives up on a Retry-After above 180 s; two minutes in total keeps a run bounded.
  maxTotalWaitMs: 120_000,
  waiverMaxDays: 90,
  waiverWarnDays: 14,
  reminderHours: 24,
  revealWindowMinutes: 60,
} as const;

/** Org ids become directory names and database keys, so they are kept to a safe alphabet. */
export const ORG_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
/** Surface ids become file names (`baselines/<org>/<surface>.json`). */
export const SURFACE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*$';
const ENV_VAR_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

const path = { type: 'string', minLength: 1 } as const;
const pathList = { type: 'array', items: path } as const;

// Both keys are optional here and "exactly one" is checked after validation: a oneOf would make
// ajv report the first branch's complaint, which misleads when the user meant the second.
const credentials = {
  type: 'object',
  additionalProperties: false,
  description: 'Where the OAuth client id and secret come from: exactly one of env (variable names), file (JSON/YAML with clientId and clientSecret), vault (HashiCorp Vault KV v2) or aws (AWS Secrets Manager).',
  properties: {
    env: {
      type: 'object',
      additionalProperties: false,
      required: ['clientId', 'clientSecret'],
      properties: {
        clientId: { type: 'string', pattern: ENV_VAR_PATTERN, description: 'Name of the variable holding the client id.' },
        clientSecret: { type: 'string', pattern: ENV_VAR_PATTERN, description: 'Name of the variable holding the client secret.' },
      },
    },
    file: { ...path, description: 'File with clientId and clientSecret, relative to the config file.' },
    vault: {
      type: 'object',
      additionalProperties: false,
      required: ['address', 'mount', 'path'],
      description: 'HashiCorp Vault KV v2 secret with fields clientId and clientSecret, read per run. Auth: a token from tokenEnv (default VAULT_TOKEN) or AppRole.',
      properties: {
        address: { type: 'string', pattern: '^https?://', description: 'Vault address, e.g. https://vault.example.com:8200 (http only on loopback).' },
        mount: { type: 'string', minLength: 1, description: 'KV v2 mount, e.g. secret.' },
        path: { type: 'string', minLength: 1, description: 'Secret path inside the mount, e.g. driftwarden/prod.' },
        tokenEnv: { type: 'string', pattern: ENV_VAR_PATTERN, description: 'Name of the variable holding a Vault token.' },
        approle: {
          type: 'object',
          additionalProperties: false,
          required: ['roleIdEnv', 'secretIdEnv'],
          properties: {
            roleIdEnv: { type: 'string', pattern: ENV_VAR_PATTERN, description: 'Name of the variable holding the AppRole role_id.' },
            secretIdEnv: { type: 'string', pattern: ENV_VAR_PATTERN, description: 'Name of the variable holding the AppRole secret_id.' },
          },
        },
      },
    },
    aws: {
      type: 'object',
      additionalProperties: false,
      required: ['secretId', 'region'],
      description: 'AWS Secrets Manager secret (JSON with clientId and clientSecret), read per run with the default AWS credential chain.',
      properties: {
        secretId: { type: 'string', minLength: 1, description: 'Secret name or ARN.' },
        region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d+$', description: 'AWS region, e.g. eu-west-1.' },
        endpoint: { type: 'string', pattern: '^https?://', description: 'Endpoint override (VPC endpoint, local test server; http only on loopback).' },
      },
    },
  },
} as const;

const org = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'credentials'],
  properties: {
    id: { type: 'string', pattern: ORG_ID_PATTERN, description: 'Short stable name; used for baseline folders and run records.' },
    name: { type: 'string', minLength: 1, description: 'Display name (defaults to id).' },
    region: { enum: GENESYS_REGIONS, description: 'Genesys Cloud environment domain. Exactly one of region or apiBase.' },
    apiBase: { type: 'string', pattern: '^https?://', description: 'Base URL of a simulator serving both /oauth/token and /api/v2 (http only on loopback). Exactly one of region or apiBase.' },
    credentials,
    schedule: { type: 'string', minLength: 1, description: 'Cron expression (5 or 6 fields) for `driftwarden daemon`.' },
    blindAfterMinutes: { type: 'integer', minimum: 1, description: 'Raise "monitoring blind" when no complete run succeeded for this long (default: 3 schedule intervals).' },
    heartbeatUrl: { type: 'string', pattern: '^https?://', description: 'Pinged (GET) after each complete, successful run.' },
  },
} as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'driftwarden.yaml',
  description: 'Configuration of driftwarden. Unknown keys are errors; relative paths are resolved against the directory of the config file.',
  type: 'object',
  additionalProperties: false,
  required: ['orgs'],
  properties: {
    orgs: { type: 'array', minItems: 1, items: org },
    surfaces: {
      type: 'object',
      additionalProperties: false,
      description: 'Which configuration surfaces to snapshot. Without include, every catalog surface.',
      properties: {
        include: { type: 'array', minItems: 1, items: { type: 'string', pattern: SURFACE_ID_PATTERN } },
        exclude: { type: 'array', items: { type: 'string', pattern: SURFACE_ID_PATTERN }, default: [] },
      },
    },
    normalize: {
      type: 'object',
      additionalProperties: false,
      properties: {
        volatileFields: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], description: 'Extra fields to drop before diffing, on top of the catalog.' },
      },
    },
    baselines: {
      type: 'object',
      additionalProperties: false,
      properties: { dir: { ...path, default: CONFIG_DEFAULTS.baselinesDir } },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      properties: {
        path: { ...path, default: CONFIG_DEFAULTS.storePath, description: 'SQLite file of the run history; its folder also holds local state (keys, reports, caches).' },
        url: { type: 'string', pattern: '^postgres(ql)?://', description: 'PostgreSQL database of the run history instead of the SQLite file, e.g. postgres://driftwarden@db.internal:5432/driftwarden (password from PGPASSWORD or ~/.pgpass, never here).' },
      },
    },
    policies: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dirs: { ...pathList, default: CONFIG_DEFAULTS.policiesDirs, description: 'Folders of .rego policies.' },
        data: { ...pathList, default: [], description: 'JSON/YAML files merged into the policy data document.' },
      },
    },
    findings: {
      type: 'object',
      additionalProperties: false,
      properties: { defaultSeverity: { enum: SEVERITIES, default: CONFIG_DEFAULTS.defaultSeverity } },
    },
    routes: { ...path, description: 'routes.yaml file (alert routing tree).' },
    waivers: { ...path, description: 'waivers.yaml file (accepted exceptions with owner, reason and expiry).' },
    waiverPolicy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxDays: { type: 'integer', minimum: 1, maximum: 3660, default: CONFIG_DEFAULTS.waiverMaxDays, description: 'Longest allowed waiver.' },
        warnDays: { type: 'integer', minimum: 0, maximum: 365, default: CONFIG_DEFAULTS.waiverWarnDays, description: 'List waivers expiring within this many days in every run summary.' },
      },
    },
    notifications: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reminderHours: { type: 'number', minimum: 0, default: CONFIG_DEFAULTS.reminderHours, description: 'Re-send an ongoing finding after this long (0 = never).' },
      },
    },
    attribution: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Query the Genesys Audit API for who changed each drifted setting.' },
        lookbackDays: { type: 'integer', minimum: 1, maximum: 365, default: 14 },
      },
    },
    vault: {
      type: 'object',
      additionalProperties: false,
      properties: {
        revealWindowMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: CONFIG_DEFAULTS.revealWindowMinutes, description: 'How long an approved reveal request stays usable.' },
      },
    },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      properties: { requestsPerMinute: { type: 'integer', minimum: 1, maximum: 3000, default: CONFIG_DEFAULTS.requestsPerMinute } },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxRetries: { type: 'integer', minimum: 0, maximum: 20, default: CONFIG_DEFAULTS.maxRetries },
        maxTotalWaitMs: { type: 'integer', minimum: 0, default: CONFIG_DEFAULTS.maxTotalWaitMs },
      },
    },
  },
} as const;

/** The schema as the canonical JSON text docs show (2-space indent, trailing newline). */
export function renderConfigSchema(): string {
  return JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n';
}
