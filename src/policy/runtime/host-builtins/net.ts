// net.cidr_intersects / cidr_overlap / cidr_is_valid / cidr_expand (IPv4 and IPv6), with Go's
// net.ParseCIDR rules (IPv4 without leading zeros, prefix within the address size).
import { compareStrings, isString } from './values.ts';

export type Ip = { readonly bits: 32 | 128; readonly value: bigint };
export type Cidr = { readonly ip: Ip; readonly prefix: number; readonly network: bigint };

const EXPAND_LIMIT = 1n << 16n;

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIpv6(s: string): bigint | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // Embedded IPv4 (`::ffff:1.2.3.4`): rewrite as two hex groups.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const groups = h.split(':');
    if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => BigInt(parseInt(g, 16)));
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (known > 7) return undefined;
    groups = [...head, ...Array<bigint>(8 - known).fill(0n), ...rest];
  } else {
    groups = head;
    if (groups.length !== 8) return undefined;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseIp(s: string): Ip | undefined {
  if (s.includes(':')) {
    const v = parseIpv6(s);
    return v === undefined ? undefined : { bits: 128, value: v };
  }
  const v = parseIpv4(s);
  return v === undefined ? undefined : { bits: 32, value: v };
}

export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d*)$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > ip.bits) return undefined;
  return { ip, prefix, network: ip.value & maskOf(ip.bits, prefix) };
}

const maskOf = (bits: number, prefix: number): bigint => ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);

const contains = (c: Cidr, ip: Ip): boolean => c.ip.bits === ip.bits && (ip.value & maskOf(c.ip.bits, c.prefix)) === c.network;

export function formatIp(ip: Ip): string {
  if (ip.bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first on ties.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export const NET_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'net.cidr_is_valid': (s) => isString(s) && parseCidr(s) !== undefined,
  'net.cidr_intersects': (a, b) => {
    if (!isString(a) || !isString(b)) return undefined;
    const x = parseCidr(a), y = parseCidr(b);
    if (!x || !y) return undefined;
    const netX: Ip = { bits: x.ip.bits, value: x.network }, netY: Ip = { bits: y.ip.bits, value: y.network };
    return contains(x, netY) || contains(y, netX);
  },
  // Deprecated OPA name of net.cidr_contains(cidr, ip-or-cidr).
  'net.cidr_overlap': (cidr, other) => {
    if (!isString(cidr) || !isString(other)) return undefined;
    const c = parseCidr(cidr);
    if (!c) return undefined;
    const asCidr = parseCidr(other);
    if (asCidr) {
      const last = asCidr.network | (((1n << BigInt(asCidr.ip.bits)) - 1n) ^ maskOf(asCidr.ip.bits, asCidr.prefix));
      return contains(c, { bits: asCidr.ip.bits, value: asCidr.network }) && contains(c, { bits: asCidr.ip.bits, value: last });
    }
    const ip = parseIp(other);
    return ip ? contains(c, ip) : undefined;
  },
  /** All addresses of the block as a set (sorted like Rego sets); undefined above 65536. */
  'net.cidr_expand': (cidr) => {
    if (!isString(cidr)) return undefined;
    const c = parseCidr(cidr);
    if (!c) return undefined;
    const size = 1n << BigInt(c.ip.bits - c.prefix);
    if (size > EXPAND_LIMIT) return undefined;
    const out: string[] = [];
    for (let k = 0n; k < size; k++) out.push(formatIp({ bits: c.ip.bits, value: c.network + k }));
    return out.sort(compareStrings);
  },
};
