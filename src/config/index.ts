export { CONFIG_CODES, loadConfig, parseConfig } from './load-config.ts';
export { selectSurfaces, type Config, type CredentialsSource, type OrgConfig, type RawConfig } from './config.ts';
export { CONFIG_DEFAULTS, CONFIG_SCHEMA, ORG_ID_PATTERN, SURFACE_ID_PATTERN, renderConfigSchema } from './schema.ts';
export { GENESYS_REGIONS, isGenesysRegion, regionHosts, type GenesysRegion } from './regions.ts';
