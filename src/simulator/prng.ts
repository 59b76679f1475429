// Seeded randomness for the simulator: every quirk and fault draws from here, so one seed
// reproduces one run byte for byte. mulberry32 is tiny, fast and good enough for test data.
import { mulberry32, type Rng } from '../model/prng.ts';

export { mulberry32, type Rng };

/** FNV-1a, used to mix names into seeds so each stream is independent of the others. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stream that depends only on the seed and the parts, not on how many draws others made. */
export function deriveRng(seed: number, ...parts: readonly (string | number)[]): Rng {
  return mulberry32(hashString(`${seed >>> 0}|${parts.join('|')}`));
}

export const randInt = (rng: Rng, min: number, maxInclusive: number): number =>
  min + Math.floor(rng() * (maxInclusive - min + 1));

export const chance = (rng: Rng, p: number): boolean => p > 0 && rng() < p;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** Fisher-Yates on a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function hex(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
}

/** A version-4 shaped UUID from the seeded stream (Genesys ids are UUIDs). */
export function uuid(rng: Rng): string {
  const h = hex(rng, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rng() * 4)];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
