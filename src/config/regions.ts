// The Genesys Cloud regions a config may name, as environment domains: the same table the auth
// stage resolves (src/auth/regions.ts), so config and sign-in can never disagree on a region.
import { REGIONS } from '../auth/regions.ts';

export const GENESYS_REGIONS: readonly string[] = REGIONS.map((r) => r.domain);
export type GenesysRegion = string;

export const isGenesysRegion = (s: string): s is GenesysRegion => GENESYS_REGIONS.includes(s);

/** Base URLs (no trailing slash) of a region's API and login hosts. */
export function regionHosts(region: GenesysRegion): { readonly apiBase: string; readonly loginBase: string } {
  return { apiBase: `https://api.${region}`, loginBase: `https://login.${region}` };
}
