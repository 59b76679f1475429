// units.parse / units.parse_bytes with OPA's rules: quotes removed, no spaces allowed, a
// number (decimal, optional exponent) followed by an SI or IEC suffix. units.parse keeps the
// case of the first suffix letter (`m` milli vs `M` mega); units.parse_bytes lowercases the
// whole string and truncates to an integer byte count.
import { isString } from './values.ts';

const SI = (p: number): bigint => 10n ** BigInt(p);
const IEC = (p: number): bigint => 2n ** BigInt(p);

const UNIT_FACTORS: Readonly<Record<string, bigint>> = {
  '': 1n, k: SI(3), K: SI(3), ki: IEC(10), Ki: IEC(10), M: SI(6), mi: IEC(20), Mi: IEC(20),
  g: SI(9), G: SI(9), gi: IEC(30), Gi: IEC(30), t: SI(12), T: SI(12), ti: IEC(40), Ti: IEC(40),
  p: SI(15), P: SI(15), pi: IEC(50), Pi: IEC(50), e: SI(18), E: SI(18), ei: IEC(60), Ei: IEC(60),
};
const BYTE_FACTORS: Readonly<Record<string, bigint>> = {
  '': 1n, k: SI(3), kb: SI(3), ki: IEC(10), kib: IEC(10), m: SI(6), mb: SI(6), mi: IEC(20), mib: IEC(20),
  g: SI(9), gb: SI(9), gi: IEC(30), gib: IEC(30), t: SI(12), tb: SI(12), ti: IEC(40), tib: IEC(40),
  p: SI(15), pb: SI(15), pi: IEC(50), pib: IEC(50), e: SI(18), eb: SI(18), ei: IEC(60), eib: IEC(60),
};

/** Number part (digits, dots, optional exponent; an `e` without digits is a unit) + unit. */
function splitAmount(s: string): { num: string; unit: string } {
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)?(.*)$/s.exec(s) as RegExpExecArray;
  return { num: m[1] ?? '', unit: m[2] };
}

/** Exact decimal `num` (validated like Go's big.Float.SetString) as [mantissa, power of 10]. */
function decimal(num: string): [bigint, number] | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(num);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0) - frac.length;
  // Far outside any byte count or float: refuse rather than build a gigantic BigInt.
  if (Math.abs(exp) > 400) return undefined;
  const mant = BigInt((m[1] === '-' ? '-' : '') + (m[2] + frac || '0'));
  return [mant, exp];
}

function scaled(num: string, factor: bigint | number): [bigint, number] | undefined {
  const d = decimal(num);
  if (!d) return undefined;
  if (typeof factor === 'number') return [d[0], d[1] - 3]; // milli
  return [d[0] * factor, d[1]];
}

const toFloat = ([mant, exp]: [bigint, number]): number => Number(`${mant}e${exp}`);

function prepare(raw: string, lower: boolean): string | undefined {
  const s = raw.replaceAll('"', '');
  if (s.includes(' ')) return undefined;
  return lower ? s.toLowerCase() : s;
}

export const UNITS_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'units.parse': (x) => {
    if (!isString(x)) return undefined;
    const s = prepare(x, false);
    if (s === undefined) return undefined;
    const { num, unit: rawUnit } = splitAmount(s);
    if (num === '') return undefined;
    const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit;
    const factor = unit === 'm' ? 0.001 : UNIT_FACTORS[unit];
    if (factor === undefined) return undefined;
    const v = scaled(num, factor);
    return v ? toFloat(v) : undefined;
  },
  'units.parse_bytes': (x) => {
    if (!isString(x)) return undefined;
    const s = prepare(x, true);
    if (s === undefined) return undefined;
    const { num, unit } = splitAmount(s);
    if (num === '') return undefined;
    const factor = BYTE_FACTORS[unit];
    if (factor === undefined) return undefined;
    const v = scaled(num, factor);
    if (!v) return undefined;
    // Truncate toward zero to a whole number of bytes.
    const [mant, exp] = v;
    const whole = exp >= 0 ? mant * 10n ** BigInt(exp) : mant / 10n ** BigInt(-exp);
    return Number(whole);
  },
};
