// semver.is_valid / semver.compare with Semantic Versioning 2.0.0 rules: no `v` prefix, no
// leading zeros in numeric parts, pre-release identifiers compared numerically when numeric
// (numeric < alphanumeric, a shorter list is smaller when equal so far), build metadata ignored.
import { isString } from './values.ts';

// The regular expression recommended by semver.org.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

type Version = { readonly core: readonly bigint[]; readonly pre: readonly string[] };

export function parseSemver(s: string): Version | undefined {
  const m = SEMVER.exec(s);
  if (!m) return undefined;
  return { core: [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const c = cmp(a.core[i], b.core[i]);
    if (c !== 0) return c;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return cmp(b.pre.length, a.pre.length) === 0 ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i], y = b.pre[i];
    const xn = /^\d+$/.test(x), yn = /^\d+$/.test(y);
    const c = xn && yn ? cmp(BigInt(x), BigInt(y)) : xn ? -1 : yn ? 1 : cmp(x, y);
    if (c !== 0) return c;
  }
  return cmp(a.pre.length, b.pre.length);
}

export const SEMVER_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'semver.is_valid': (v) => isString(v) && parseSemver(v) !== undefined,
  'semver.compare': (a, b) => {
    if (!isString(a) || !isString(b)) return undefined;
    const va = parseSemver(a), vb = parseSemver(b);
    return va && vb ? compareSemver(va, vb) : undefined;
  },
};
