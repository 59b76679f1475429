// Genesys Cloud regions (reference §1): each region has one domain; the token URL is
// https://login.<domain>/oauth/token and the API host https://api.<domain>. A custom base URL
// (the simulator) serves both from one origin. Plain http is allowed for loopback hosts only.
import { fail } from '../model/errors.ts';

export type RegionDef = { readonly key: string; readonly awsRegion: string; readonly domain: string };

/** The 17 SDK region keys plus the EU sovereign cloud (no SDK key yet; keyed by its AWS name). */
export const REGIONS: readonly RegionDef[] = [
  { key: 'us_east_1', awsRegion: 'us-east-1', domain: 'mypurecloud.com' },
  { key: 'us_east_2', awsRegion: 'us-east-2', domain: 'use2.us-gov-pure.cloud' },
  { key: 'us_west_2', awsRegion: 'us-west-2', domain: 'usw2.pure.cloud' },
  { key: 'ca_central_1', awsRegion: 'ca-central-1', domain: 'cac1.pure.cloud' },
  { key: 'sa_east_1', awsRegion: 'sa-east-1', domain: 'sae1.pure.cloud' },
  { key: 'mx_central_1', awsRegion: 'mx-central-1', domain: 'mxc1.pure.cloud' },
  { key: 'eu_west_1', awsRegion: 'eu-west-1', domain: 'mypurecloud.ie' },
  { key: 'eu_west_2', awsRegion: 'eu-west-2', domain: 'euw2.pure.cloud' },
  { key: 'eu_central_1', awsRegion: 'eu-central-1', domain: 'mypurecloud.de' },
  { key: 'eu_central_2', awsRegion: 'eu-central-2', domain: 'euc2.pure.cloud' },
  { key: 'me_central_1', awsRegion: 'me-central-1', domain: 'mec1.pure.cloud' },
  { key: 'ap_south_1', awsRegion: 'ap-south-1', domain: 'aps1.pure.cloud' },
  { key: 'ap_northeast_1', awsRegion: 'ap-northeast-1', domain: 'mypurecloud.jp' },
  { key: 'ap_northeast_2', awsRegion: 'ap-northeast-2', domain: 'apne2.pure.cloud' },
  { key: 'ap_northeast_3', awsRegion: 'ap-northeast-3', domain: 'apne3.pure.cloud' },
  { key: 'ap_southeast_1', awsRegion: 'ap-southeast-1', domain: 'apse1.pure.cloud' },
  { key: 'ap_southeast_2', awsRegion: 'ap-southeast-2', domain: 'mypurecloud.com.au' },
  { key: 'eusc_de_east_1', awsRegion: 'eusc-de-east-1', domain: 'edee1.eusc-pure.cloud' },
];

export type GenesysEndpoints = {
  /** Region key ('us_east_1') or the custom base URL as given. */
  readonly region: string;
  readonly tokenUrl: string;
  /** Origin that /api/v2 paths are appended to, without a trailing slash. */
  readonly apiBase: string;
  /** True only for http:// on a loopback host: openid-client must then allow insecure requests. */
  readonly insecureLoopback: boolean;
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname);

export function findRegion(name: string): RegionDef | undefined {
  const n = name.trim().toLowerCase();
  return REGIONS.find((r) => r.key === n || r.awsRegion === n || r.domain === n);
}

/** Resolves a region key, AWS region name, domain, or a custom base URL (`http://127.0.0.1:PORT`). */
export function resolveEndpoints(regionOrUrl: string): GenesysEndpoints {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(regionOrUrl)) return customEndpoints(regionOrUrl);
  const r = findRegion(regionOrUrl);
  if (!r) {
    return fail('DW4005', 'bad-input',
      `unknown Genesys region "${regionOrUrl}"; use one of ${REGIONS.map((x) => x.key).join(', ')} or a base URL`);
  }
  return { region: r.key, tokenUrl: `https://login.${r.domain}/oauth/token`, apiBase: `https://api.${r.domain}`, insecureLoopback: false };
}

function customEndpoints(raw: string): GenesysEndpoints {
  let url: URL;
  try { url = new URL(raw); } catch { return fail('DW4006', 'bad-input', `invalid base URL "${raw}"`); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('DW4006', 'bad-input', `base URL must be http(s), got "${url.protocol}"`);
  }
  const insecure = url.protocol === 'http:';
  if (insecure && !isLoopbackHost(url.hostname)) {
    return fail('DW4006', 'bad-input', `refusing plain http to non-loopback host "${url.hostname}"; use https`);
  }
  if (url.username || url.password) return fail('DW4006', 'bad-input', 'base URL must not carry credentials');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { region: base, tokenUrl: `${base}/oauth/token`, apiBase: base, insecureLoopback: insecure };
}
