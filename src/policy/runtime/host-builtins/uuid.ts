// uuid.parse(s) -> {version, variant} (+ time, clocksequence, nodeid, macvariables for
// versions 1 and 2, + id and domain for version 2), the fields OPA reports. Accepts the forms
// Go's google/uuid parses: canonical, `urn:uuid:...`, `{...}` and 32 bare hex digits.
import { isString } from './values.ts';

/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 0x01b21dd213814000n;

function uuidBytes(s: string): Buffer | undefined {
  let t = s;
  if (t.length === 45 && t.slice(0, 9).toLowerCase() === 'urn:uuid:') t = t.slice(9);
  else if (t.length === 38 && t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  if (t.length === 36) {
    if (t[8] !== '-' || t[13] !== '-' || t[18] !== '-' || t[23] !== '-') return undefined;
    t = t.replaceAll('-', '');
  }
  return /^[0-9a-fA-F]{32}$/.test(t) ? Buffer.from(t, 'hex') : undefined;
}

function variantOf(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

export function parseUuid(s: string): Record<string, unknown> | undefined {
  const b = uuidBytes(s);
  if (!b) return undefined;
  const version = b[6] >> 4;
  const out: Record<string, unknown> = { version, variant: variantOf(b[8]) };
  if (version === 1 || version === 2) {
    const timeLow = BigInt(b.readUInt32BE(0)), timeMid = BigInt(b.readUInt16BE(4)), timeHi = BigInt(b.readUInt16BE(6) & 0x0fff);
    const t = (timeHi << 48n) | (timeMid << 32n) | timeLow;
    out['time'] = Number((t - GREGORIAN_OFFSET) * 100n);
    out['clocksequence'] = b.readUInt16BE(8) & 0x3fff;
    const node = b.subarray(10, 16);
    out['nodeid'] = [...node].map((x) => x.toString(16).padStart(2, '0')).join('-');
    out['macvariables'] = `${node[0] & 0x02 ? 'local' : 'global'}:${node[0] & 0x01 ? 'multicast' : 'unicast'}`;
  }
  if (version === 2) {
    out['id'] = b.readUInt32BE(0);
    const domains = ['Person', 'Group', 'Org'];
    out['domain'] = domains[b[9]] ?? `Domain${b[9]}`;
  }
  return out;
}

export const UUID_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'uuid.parse': (s) => (isString(s) ? parseUuid(s) : undefined),
};
