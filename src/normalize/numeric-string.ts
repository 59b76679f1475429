// Genesys sends some numbers as strings ("30" vs 30). Only strings that are the exact canonical
// decimal text of a safe number are converted, so ids like "007", "+1317...", " 1", "0x1F",
// "1e3", "1.50" or 20-digit account numbers keep their identity as strings.

const MAX_NUMERIC_LENGTH = 24;

/** The number a string canonically spells, or undefined when it is not such a string. */
export function canonicalNumberOf(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > MAX_NUMERIC_LENGTH) return undefined;
  // Cheap rejection first: almost every string in a snapshot starts with a letter.
  const first = s.charCodeAt(0);
  if (first !== 45 /* - */ && (first < 48 || first > 57)) return undefined;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46 /* . */) return undefined;
  }
  const value = Number(s);
  // The round trip rejects leading zeros, trailing fraction zeros, "-0", and lost precision.
  if (!Number.isFinite(value) || String(value) !== s) return undefined;
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return undefined;
  return value;
}
