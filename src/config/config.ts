// The typed, resolved configuration every stage receives: defaults applied, paths absolute.
import type { OrgId } from '../model/ids.ts';
import type { Severity } from '../model/findings.ts';
import type { GenesysRegion } from './regions.ts';

export type CredentialsSource =
  | { readonly kind: 'env'; readonly clientIdVar: string; readonly clientSecretVar: string }
  /** Absolute path of a JSON/YAML file holding `clientId` and `clientSecret`. */
  | { readonly kind: 'file'; readonly path: string }
  /** HashiCorp Vault KV v2: `GET <address>/v1/<mount>/data/<path>`, fields clientId/clientSecret. */
  | { readonly kind: 'vault'; readonly address: string; readonly mount: string; readonly path: string; readonly auth: VaultAuth }
  /** AWS Secrets Manager: SecretString JSON with clientId/clientSecret. */
  | { readonly kind: 'aws'; readonly secretId: string; readonly region: string; readonly endpoint: string | null };

/** How driftwarden signs in to Vault: a token from a variable, or an AppRole login. */
export type VaultAuth =
  | { readonly kind: 'token'; readonly tokenVar: string }
  | { readonly kind: 'approle'; readonly roleIdVar: string; readonly secretIdVar: string };

export type OrgConfig = {
  readonly id: OrgId;
  readonly name: string;
  /** The Genesys region, or null when the org is reached through an explicit apiBase (simulator). */
  readonly region: GenesysRegion | null;
  /** API base URL without trailing slash: `https://api.<region>` or the configured apiBase. */
  readonly apiBase: string;
  /** Token host base URL without trailing slash: `https://login.<region>`, or apiBase (a
   *  simulator serves /oauth/token and /api/v2 from one origin). */
  readonly loginBase: string;
  readonly credentials: CredentialsSource;
  /** Cron expression for the daemon, or null when the org is checked only on demand. */
  readonly schedule: string | null;
  readonly blindAfterMinutes: number | null;
  readonly heartbeatUrl: string | null;
};

export type Config = {
  /** Absolute path of the config file and its directory (the base of every relative path). */
  readonly file: string;
  readonly dir: string;
  readonly orgs: readonly OrgConfig[];
  /** `'all'` = every surface of the catalog. Exclusions apply after inclusion. */
  readonly surfaces: { readonly include: 'all' | readonly string[]; readonly exclude: readonly string[] };
  readonly normalize: { readonly volatileFields: readonly string[] };
  readonly baselines: { readonly dir: string };
  /** `url` (PostgreSQL) holds the run history when set, else the SQLite file at `path`; the
   *  folder of `path` holds local state either way. Open with `openStore(storeLocation(store))`. */
  readonly store: { readonly path: string; readonly url: string | null };
  readonly policies: { readonly dirs: readonly string[]; readonly data: readonly string[] };
  readonly findings: { readonly defaultSeverity: Severity };
  /** Absolute path of routes.yaml, or null when alerts are not routed. */
  readonly routes: string | null;
  readonly rateLimit: { readonly requestsPerMinute: number };
  readonly retry: { readonly maxRetries: number; readonly maxTotalWaitMs: number };
  /** Absolute path of waivers.yaml, or null. */
  readonly waivers: string | null;
  readonly waiverPolicy: { readonly maxDays: number; readonly warnDays: number };
  readonly notifications: { readonly reminderHours: number };
  readonly attribution: { readonly enabled: boolean; readonly lookbackDays: number };
  readonly vault: { readonly revealWindowMinutes: number };
};

/** The config as written (after schema validation), before defaults and path resolution. */
export type RawConfig = {
  readonly orgs: readonly {
    readonly id: string;
    readonly name?: string;
    readonly region?: GenesysRegion;
    readonly apiBase?: string;
    readonly credentials: {
      readonly env?: { readonly clientId: string; readonly clientSecret: string };
      readonly file?: string;
      readonly vault?: { readonly address: string; readonly mount: string; readonly path: string; readonly tokenEnv?: string; readonly approle?: { readonly roleIdEnv: string; readonly secretIdEnv: string } };
      readonly aws?: { readonly secretId: string; readonly region: string; readonly endpoint?: string };
    };
    readonly schedule?: string;
    readonly blindAfterMinutes?: number;
    readonly heartbeatUrl?: string;
  }[];
  readonly surfaces?: { readonly include?: readonly string[]; readonly exclude?: readonly string[] };
  readonly normalize?: { readonly volatileFields?: readonly string[] };
  readonly baselines?: { readonly dir?: string };
  readonly store?: { readonly path?: string; readonly url?: string };
  readonly policies?: { readonly dirs?: readonly string[]; readonly data?: readonly string[] };
  readonly findings?: { readonly defaultSeverity?: Severity };
  readonly routes?: string;
  readonly rateLimit?: { readonly requestsPerMinute?: number };
  readonly retry?: { readonly maxRetries?: number; readonly maxTotalWaitMs?: number };
  readonly waivers?: string;
  readonly waiverPolicy?: { readonly maxDays?: number; readonly warnDays?: number };
  readonly notifications?: { readonly reminderHours?: number };
  readonly attribution?: { readonly enabled?: boolean; readonly lookbackDays?: number };
  readonly vault?: { readonly revealWindowMinutes?: number };
};

/** Surfaces to snapshot out of the catalog's ids, in catalog order. */
export function selectSurfaces(config: Pick<Config, 'surfaces'>, catalog: readonly string[]): { readonly selected: readonly string[]; readonly unknown: readonly string[] } {
  const { include, exclude } = config.surfaces;
  const known = new Set(catalog);
  const named = [...(include === 'all' ? [] : include), ...exclude];
  const wanted = include === 'all' ? known : new Set(include);
  return {
    selected: catalog.filter((s) => wanted.has(s) && !exclude.includes(s)),
    unknown: [...new Set(named.filter((s) => !known.has(s)))],
  };
}
