// crypto.md5/sha1/sha256 and crypto.hmac.* over UTF-8 strings, hex output (node:crypto).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isString } from './values.ts';

const hash = (algorithm: string) => (x: unknown): unknown => (isString(x) ? createHash(algorithm).update(x, 'utf8').digest('hex') : undefined);
const hmac = (algorithm: string) => (x: unknown, key: unknown): unknown =>
  isString(x) && isString(key) ? createHmac(algorithm, Buffer.from(key, 'utf8')).update(x, 'utf8').digest('hex') : undefined;

export const CRYPTO_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'crypto.md5': hash('md5'),
  'crypto.sha1': hash('sha1'),
  'crypto.sha256': hash('sha256'),
  'crypto.hmac.md5': hmac('md5'),
  'crypto.hmac.sha1': hmac('sha1'),
  'crypto.hmac.sha256': hmac('sha256'),
  'crypto.hmac.sha512': hmac('sha512'),
  'crypto.hmac.equal': (a, b) => {
    if (!isString(a) || !isString(b)) return undefined;
    const x = Buffer.from(a, 'utf8'), y = Buffer.from(b, 'utf8');
    return x.length === y.length && timingSafeEqual(x, y);
  },
};
