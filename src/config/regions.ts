// The Genesys Cloud regions a config may name, as environment domains. The API host is
// `api.<domain>` and the token host `login.<domain>` (reference §1: the SDKs' PureCloudRegionHosts).
export const GENESYS_REGIONS = [
  'mypurecloud.com',        // us-east-1
  'use2.us-gov-pure.cloud', // us-east-2 (FedRAMP)
  'usw2.pure.cloud',        // us-west-2
  'cac1.pure.cloud',        // ca-central-1
  'sae1.pure.cloud',        // sa-east-1
  'mxc1.pure.cloud',        // mx-central-1
  'mypurecloud.ie',         // eu-west-1
  'euw2.pure.cloud',        // eu-west-2
  'mypurecloud.de',         // eu-central-1
  'euc2.pure.cloud',        // eu-central-2
  'mec1.pure.cloud',        // me-central-1
  'aps1.pure.cloud',        // ap-south-1
  'mypurecloud.jp',         // ap-northeast-1
  'apne2.pure.cloud',       // ap-northeast-2
  'apne3.pure.cloud',       // ap-northeast-3
  'apse1.pure.cloud',       // ap-southeast-1
  'mypurecloud.com.au',     // ap-southeast-2
] as const;
export type GenesysRegion = (typeof GENESYS_REGIONS)[number];

export const isGenesysRegion = (s: string): s is GenesysRegion => (GENESYS_REGIONS as readonly string[]).includes(s);

/** Base URLs (no trailing slash) of a region's API and login hosts. */
export function regionHosts(region: GenesysRegion): { readonly apiBase: string; readonly loginBase: string } {
  return { apiBase: `https://api.${region}`, loginBase: `https://login.${region}` };
}
