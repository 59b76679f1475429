// What most commands need before they can work: the config, the orgs asked for, the surfaces,
// the store, and the redaction rules. Built once per command invocation.
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { selectSurfaces, type Config, type OrgConfig } from '../config/config.ts';
import { SURFACES, type SurfaceDef } from '../genesys/surfaces.ts';
import { compileRedactionRules, secretFieldsFromCatalog, type RedactionRules } from '../redact/rules.ts';
import { loadOrCreateKey } from '../pipeline/keys.ts';
import { loadRoutes } from '../route/load-routes.ts';
import { channelSecrets } from '../notify/create-notifiers.ts';
import { openStore, storeLocation } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { fail } from '../model/errors.ts';
import type { CommandContext } from './command.ts';

export const DEFAULT_CONFIG = 'driftwarden.yaml';

export function configPath(ctx: CommandContext): string {
  return resolve(ctx.cwd, (ctx.values.config as string | undefined) ?? ctx.env.DRIFTWARDEN_CONFIG ?? DEFAULT_CONFIG);
}

export function loadConfigFor(ctx: CommandContext): Config {
  return loadConfig(configPath(ctx));
}

export function selectOrgs(config: Config, wanted: string | undefined): readonly OrgConfig[] {
  if (!wanted) return config.orgs;
  const org = config.orgs.find((o) => o.id === wanted);
  if (!org) return fail('DW1020', 'bad-input', `org "${wanted}" is not in ${config.file}; configured: ${config.orgs.map((o) => o.id).join(', ')}`);
  return [org];
}

export function surfacesFor(config: Config): readonly SurfaceDef[] {
  const { selected, unknown } = selectSurfaces(config, SURFACES.map((s) => s.id));
  if (unknown.length) fail('DW1021', 'bad-input', `${config.file}: unknown surface(s) ${unknown.join(', ')}; known: ${SURFACES.map((s) => s.id).join(', ')}`);
  return SURFACES.filter((s) => selected.includes(s.id));
}

/** Local state lives beside the store file: keys, reports, caches. */
export const stateDir = (config: Config): string => dirname(config.store.path);
export const reportDir = (config: Config): string => join(stateDir(config), 'reports');

export function redactionFor(config: Config, env: NodeJS.ProcessEnv): RedactionRules {
  const key = loadOrCreateKey(join(stateDir(config), 'keys', 'fingerprint.key'), 'DRIFTWARDEN_FINGERPRINT_KEY', env);
  // Channel credentials (webhook URLs, routing keys, SMTP passwords) are scrubbed from findings
  // and checked for in every outgoing body, like any other secret the process holds.
  const knownSecrets = config.routes ? channelSecrets(loadRoutes(config.routes, env)) : [];
  return compileRedactionRules({ fingerprintKey: key, secretFields: secretFieldsFromCatalog(SURFACES), knownSecrets });
}

export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeLocation(config.store));
  try { return await fn(store); } finally { await store.close(); }
}
