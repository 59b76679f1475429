// Loads driftwarden.yaml: YAML + schema (file:line:col errors), then the checks a schema cannot
// express, then defaults and path resolution into a frozen, typed Config.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fail } from '../model/errors.ts';
import { orgId } from '../model/ids.ts';
import { loadYamlWithSchemaLocated, parseYamlWithSchemaLocated, type LocatedYaml, type YamlCodes } from './load-yaml.ts';
import { CONFIG_DEFAULTS, CONFIG_SCHEMA } from './schema.ts';
import { regionHosts } from './regions.ts';
import type { Config, CredentialsSource, OrgConfig, RawConfig } from './config.ts';

export const CONFIG_CODES = {
  syntax: 'DW1101',          // not valid YAML
  schema: 'DW1102',          // unknown key, wrong type, missing required key, bad value
  missing: 'DW1103',         // cannot read the file
  duplicateOrg: 'DW1104',    // two orgs with the same id
  orgTarget: 'DW1105',       // not exactly one of region / apiBase
  badUrl: 'DW1106',          // apiBase not a usable URL (plain http off loopback)
  credentials: 'DW1107',     // not exactly one of credentials.env / file / vault / aws
  surfaceOverlap: 'DW1108',  // a surface both included and excluded
} as const satisfies YamlCodes & Record<string, `DW${number}`>;

/** Reads, validates and resolves a config file. Throws DwFailure (bad-input) with file:line:col. */
export function loadConfig(file: string): Config {
  const abs = resolve(file);
  return buildConfig(loadYamlWithSchemaLocated<RawConfig>(abs, CONFIG_SCHEMA, CONFIG_CODES), abs);
}

/** Same as loadConfig for text already in memory; `file` names it in errors and anchors relative paths. */
export function parseConfig(text: string, file: string): Config {
  const abs = resolve(file);
  return buildConfig(parseYamlWithSchemaLocated<RawConfig>(text, abs, CONFIG_SCHEMA, CONFIG_CODES), abs);
}

function buildConfig({ value: raw, locate }: LocatedYaml<RawConfig>, file: string): Config {
  const dir = dirname(file);
  const at = (path: readonly (string | number)[], on: 'key' | 'value' = 'value') => locate(path, on);
  const bad = (code: `DW${number}`, message: string, path: readonly (string | number)[], on: 'key' | 'value' = 'value'): never => {
    const p = at(path, on);
    return fail(code, 'bad-input', message, p.at, p.sourceLine);
  };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));

  const seen = new Set<string>();
  const orgs = raw.orgs.map((o, i): OrgConfig => {
    if (seen.has(o.id)) bad(CONFIG_CODES.duplicateOrg, `orgs.${i}.id: org "${o.id}" is listed twice; org ids must be unique`, ['orgs', i, 'id']);
    seen.add(o.id);
    return {
      id: orgId(o.id), name: o.name ?? o.id, ...orgTarget(o, i, bad), credentials: credentialsOf(o.credentials, i, abs, bad),
      schedule: o.schedule ?? null, blindAfterMinutes: o.blindAfterMinutes ?? null, heartbeatUrl: o.heartbeatUrl ?? null,
    };
  });

  const include = raw.surfaces?.include;
  const exclude = raw.surfaces?.exclude ?? [];
  exclude.forEach((s, j) => {
    if (include?.includes(s)) bad(CONFIG_CODES.surfaceOverlap, `surfaces.exclude.${j}: "${s}" is also in surfaces.include; keep it in one list`, ['surfaces', 'exclude', j]);
  });

  const config: Config = {
    file,
    dir,
    orgs,
    surfaces: { include: include ? [...include] : 'all', exclude: [...exclude] },
    normalize: { volatileFields: [...(raw.normalize?.volatileFields ?? [])] },
    baselines: { dir: abs(raw.baselines?.dir ?? CONFIG_DEFAULTS.baselinesDir) },
    store: { path: abs(raw.store?.path ?? CONFIG_DEFAULTS.storePath), url: raw.store?.url !== undefined ? storeUrl(raw.store.url, (code, message, path) => fail(code, 'bad-input', message, at(path).at)) : null },
    policies: {
      dirs: (raw.policies?.dirs ?? CONFIG_DEFAULTS.policiesDirs).map(abs),
      data: (raw.policies?.data ?? []).map(abs),
    },
    findings: { defaultSeverity: raw.findings?.defaultSeverity ?? CONFIG_DEFAULTS.defaultSeverity },
    routes: raw.routes !== undefined ? abs(raw.routes) : null,
    rateLimit: { requestsPerMinute: raw.rateLimit?.requestsPerMinute ?? CONFIG_DEFAULTS.requestsPerMinute },
    retry: {
      maxRetries: raw.retry?.maxRetries ?? CONFIG_DEFAULTS.maxRetries,
      maxTotalWaitMs: raw.retry?.maxTotalWaitMs ?? CONFIG_DEFAULTS.maxTotalWaitMs,
    },
    waivers: raw.waivers !== undefined ? abs(raw.waivers) : null,
    waiverPolicy: {
      maxDays: raw.waiverPolicy?.maxDays ?? CONFIG_DEFAULTS.waiverMaxDays,
      warnDays: raw.waiverPolicy?.warnDays ?? CONFIG_DEFAULTS.waiverWarnDays,
    },
    notifications: { reminderHours: raw.notifications?.reminderHours ?? CONFIG_DEFAULTS.reminderHours },
    attribution: { enabled: raw.attribution?.enabled ?? true, lookbackDays: raw.attribution?.lookbackDays ?? 14 },
    vault: { revealWindowMinutes: raw.vault?.revealWindowMinutes ?? CONFIG_DEFAULTS.revealWindowMinutes },
  };
  return deepFreeze(config);
}

type Bad = (code: `DW${number}`, message: string, path: readonly (string | number)[], on?: 'key' | 'value') => never;

function orgTarget(o: RawConfig['orgs'][number], i: number, bad: Bad): Pick<OrgConfig, 'region' | 'apiBase' | 'loginBase'> {
  if (o.region !== undefined && o.apiBase !== undefined) return bad(CONFIG_CODES.orgTarget, `orgs.${i}: set either region or apiBase, not both`, ['orgs', i, 'apiBase'], 'key');
  if (o.region !== undefined) return { region: o.region, ...regionHosts(o.region) };
  if (o.apiBase === undefined) return bad(CONFIG_CODES.orgTarget, `orgs.${i}: set region (a Genesys Cloud domain such as mypurecloud.com) or apiBase`, ['orgs', i]);
  const apiBase = baseUrl(o.apiBase, ['orgs', i, 'apiBase'], bad);
  return { region: null, apiBase, loginBase: apiBase };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Credentials must never travel in clear text, so plain http is only accepted for a local simulator. */
function baseUrl(text: string, path: readonly (string | number)[], bad: Bad): string {
  const name = path.join('.');
  let url: URL;
  try { url = new URL(text); } catch { return bad(CONFIG_CODES.badUrl, `${name}: "${text}" is not a valid URL`, path); }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return bad(CONFIG_CODES.badUrl, `${name}: plain http is only allowed for a loopback simulator; use https`, path);
  if (url.search || url.hash || url.username || url.password) return bad(CONFIG_CODES.badUrl, `${name}: must be a base URL without credentials, query or fragment`, path);
  return url.href.replace(/\/+$/, '');
}

/** The config file lives in git, so the database password must come from PGPASSWORD or ~/.pgpass.
 *  `bad` here points at the line without echoing it: the line may hold that password. */
function storeUrl(text: string, bad: Bad): string {
  const path = ['store', 'url'];
  let url: URL;
  try { url = new URL(text); } catch { return bad(CONFIG_CODES.badUrl, `store.url: "${text.replace(/:[^:@/]*@/, ':***@')}" is not a valid URL`, path); }
  if (url.password || [...url.searchParams.keys()].some((k) => /pass/i.test(k))) return bad(CONFIG_CODES.badUrl, 'store.url: must not contain a password; set PGPASSWORD or use ~/.pgpass', path);
  return text;
}

function credentialsOf(c: RawConfig['orgs'][number]['credentials'], i: number, abs: (p: string) => string, bad: Bad): CredentialsSource {
  const given = (['env', 'file', 'vault', 'aws'] as const).filter((k) => c[k] !== undefined);
  if (given.length > 1) {
    const [first, second] = given as [string, string];
    const message = given.length === 2 && first === 'env' && second === 'file'
      ? `orgs.${i}.credentials: set either env or file, not both`
      : `orgs.${i}.credentials: set exactly one of ${given.join(', ')}`;
    return bad(CONFIG_CODES.credentials, message, ['orgs', i, 'credentials', second], 'key');
  }
  if (c.env) return { kind: 'env', clientIdVar: c.env.clientId, clientSecretVar: c.env.clientSecret };
  if (c.file !== undefined) return { kind: 'file', path: abs(c.file) };
  if (c.vault) {
    const v = c.vault;
    if (v.tokenEnv !== undefined && v.approle) return bad(CONFIG_CODES.credentials, `orgs.${i}.credentials.vault: set either tokenEnv or approle, not both`, ['orgs', i, 'credentials', 'vault', 'approle'], 'key');
    const auth = v.approle
      ? { kind: 'approle' as const, roleIdVar: v.approle.roleIdEnv, secretIdVar: v.approle.secretIdEnv }
      : { kind: 'token' as const, tokenVar: v.tokenEnv ?? 'VAULT_TOKEN' };
    return {
      kind: 'vault', address: baseUrl(v.address, ['orgs', i, 'credentials', 'vault', 'address'], bad),
      mount: v.mount.replace(/^\/+|\/+$/g, ''), path: v.path.replace(/^\/+|\/+$/g, ''), auth,
    };
  }
  if (c.aws) {
    const endpoint = c.aws.endpoint !== undefined ? baseUrl(c.aws.endpoint, ['orgs', i, 'credentials', 'aws', 'endpoint'], bad) : null;
    return { kind: 'aws', secretId: c.aws.secretId, region: c.aws.region, endpoint };
  }
  return bad(CONFIG_CODES.credentials, `orgs.${i}.credentials: set env {clientId, clientSecret} (variable names), file (path), vault {address, mount, path} or aws {secretId, region}`, ['orgs', i, 'credentials']);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
