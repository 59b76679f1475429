// io.jwt.decode(token) -> [header, payload, signature as hex]. No verification (that is
// io.jwt.verify_*, not offered). A header with `cty: JWT` wraps a nested token, which is
// decoded in its place, as OPA does. Anything malformed -> undefined.
import { isRecord, isString } from './values.ts';

function b64urlDecode(segment: string): Buffer | undefined {
  const s = segment.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, 'base64url');
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function decodeJwt(token: string, depth = 0): [Record<string, unknown>, Record<string, unknown>, string] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || depth > 8) return undefined;
  const [h, p, sig] = parts.map(b64urlDecode);
  if (!h || !p || !sig) return undefined;
  const header = parseJsonObject(h);
  if (!header) return undefined;
  if (isString(header['cty']) && header['cty'].toUpperCase() === 'JWT') return decodeJwt(p.toString('utf8'), depth + 1);
  const payload = parseJsonObject(p);
  if (!payload) return undefined;
  return [header, payload, sig.toString('hex')];
}

export const JWT_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'io.jwt.decode': (token) => (isString(token) ? decodeJwt(token) : undefined),
};
