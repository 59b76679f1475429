// A total order over JSON values, used to sort set arrays and keyed arrays deterministically.
// Strings compare by UTF-16 code units (never locale), so the order is the same on every machine.
import type { Json } from '../model/findings.ts';

const rankOf = (v: Json): number => {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean': return 1;
    case 'number': return 2;
    case 'string': return 3;
    default: return Array.isArray(v) ? 4 : 5;
  }
};

export function compareJson(a: Json, b: Json): number {
  if (a === b) return 0;
  const ra = rankOf(a), rb = rankOf(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0: return 0;
    case 1: return a ? 1 : -1; // a !== b, so exactly one is true
    case 2: return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3: return (a as string) < (b as string) ? -1 : 1;
    case 4: {
      const xa = a as readonly Json[], xb = b as readonly Json[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareJson(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length - xb.length;
    }
    default: {
      const oa = a as { readonly [k: string]: Json }, ob = b as { readonly [k: string]: Json };
      const ka = Object.keys(oa).sort(), kb = Object.keys(ob).sort();
      const n = Math.min(ka.length, kb.length);
      for (let i = 0; i < n; i++) {
        if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      }
      if (ka.length !== kb.length) return ka.length - kb.length;
      for (const k of ka) {
        const c = compareJson(oa[k], ob[k]);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}
