// `dw.sprintf(format, values)`: Go's fmt.Sprintf as OPA calls it. OPA converts each Rego
// value before formatting: integers -> int64 (or *big.Int beyond int64), other numbers ->
// float64, strings -> string, everything else -> its Rego text (`[1, 2]`, `{"a": 1}`,
// `true`, `null`) as a string. So `%d` of 1.5 is `%!d(float64=1.5)` and `%t` of true is
// `%!t(string=true)`, exactly as OPA prints them.
// Known gaps: JSON cannot tell 5.0 from 5 (both format as int64); integers beyond 2^53 lost
// precision before they reached the host; sets arrive as arrays (`[1, 2]`, not `{1, 2}`).
import { isString, regoText } from './values.ts';

type GoArg =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'bigint'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

function toGoArg(v: unknown): GoArg {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) {
      const b = BigInt(v);
      return b >= INT64_MIN && b <= INT64_MAX ? { kind: 'int', value: b } : { kind: 'bigint', value: b };
    }
    return { kind: 'float', value: v };
  }
  if (typeof v === 'string') return { kind: 'string', value: v };
  return { kind: 'string', value: regoText(v) };
}

const TYPE_NAMES: Readonly<Record<GoArg['kind'], string>> = { int: 'int64', bigint: '*big.Int', float: 'float64', string: 'string' };

/** Go's fmt rejects widths and precisions beyond one million (BADWIDTH / BADPREC). */
const tooLarge = (n: bigint): boolean => n > 1_000_000n || n < -1_000_000n;

type Spec = {
  minus: boolean; plus: boolean; space: boolean; zero: boolean; sharp: boolean;
  width?: number; prec?: number;
};

export function goSprintf(format: string, values: readonly unknown[]): string {
  const args = values.map(toGoArg);
  let argi = 0;
  let out = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) { out += format.slice(i); break; }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') { spec.minus = true; spec.zero = false; }
      else if (f === '+') spec.plus = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else if (f === '#') spec.sharp = true;
      else break;
    }
    if (format[i] === '*') {
      i++;
      const a = args[argi++];
      if (a?.kind === 'int' && !tooLarge(a.value)) {
        spec.width = Number(a.value);
        if (spec.width < 0) { spec.minus = true; spec.zero = false; spec.width = -spec.width; }
      } else out += '%!(BADWIDTH)';
    } else {
      const w = /^\d+/.exec(format.slice(i))?.[0];
      if (w) {
        i += w.length;
        if (tooLarge(BigInt(w))) out += '%!(BADWIDTH)';
        else spec.width = Number(w);
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        if (a?.kind === 'int' && a.value >= 0n && !tooLarge(a.value)) spec.prec = Number(a.value);
        else out += '%!(BADPREC)';
      } else {
        const p = /^\d+/.exec(format.slice(i))?.[0] ?? '';
        i += p.length;
        if (p !== '' && tooLarge(BigInt(p))) out += '%!(BADPREC)';
        else spec.prec = p === '' ? 0 : Number(p);
      }
    }
    if (i >= format.length) { out += '%!(NOVERB)'; break; }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') { out += '%'; continue; }
    if (argi >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    out += formatArg(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args.slice(argi).map((a) => `${TYPE_NAMES[a.kind]}=${plain(a)}`).join(', ')})`;
  }
  return out;
}

const plain = (a: GoArg): string => formatArg(a, 'v', { minus: false, plus: false, space: false, zero: false, sharp: false });
const badVerb = (a: GoArg, verb: string): string => `%!${verb}(${TYPE_NAMES[a.kind]}=${plain(a)})`;

function formatArg(a: GoArg, verb: string, s: Spec): string {
  if (verb === 'T') return pad(TYPE_NAMES[a.kind], s, false);
  switch (a.kind) {
    case 'int': return formatInt(a.value, verb, s, false) ?? badVerb(a, verb);
    case 'bigint': return formatInt(a.value, verb === 's' ? 'd' : verb, s, true) ?? `%!${verb}(big.Int=${a.value})`;
    case 'float': return formatFloat(a.value, verb, s) ?? badVerb(a, verb);
    case 'string': return formatString(a.value, verb, s) ?? badVerb(a, verb);
  }
}

function pad(text: string, s: Spec, zeroOk: boolean): string {
  const len = [...text].length;
  if (s.width === undefined || len >= s.width) return text;
  const fill = s.width - len;
  if (s.minus) return text + ' '.repeat(fill);
  if (s.zero && zeroOk) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function formatInt(v: bigint, verb: string, s: Spec, big: boolean): string | undefined {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string, prefix = '';
  switch (verb) {
    case 'v': case 'd': digits = abs.toString(10); break;
    case 'b': digits = abs.toString(2); if (s.sharp) prefix = '0b'; break;
    case 'o': digits = abs.toString(8); if (s.sharp) prefix = '0'; break;
    case 'O': digits = abs.toString(8); prefix = '0o'; break;
    case 'x': digits = abs.toString(16); if (s.sharp) prefix = '0x'; break;
    case 'X': digits = abs.toString(16).toUpperCase(); if (s.sharp) prefix = '0X'; break;
    case 'c': if (big) return undefined; return pad(safeChar(v), s, false);
    case 'q': if (big) return undefined; return pad(`'${quoteBody(safeChar(v), "'")}'`, s, false);
    case 'U': {
      if (big) return undefined;
      const hex = abs.toString(16).toUpperCase().padStart(4, '0');
      return pad(`${neg ? '-' : ''}U+${hex}`, s, false);
    }
    default: return undefined;
  }
  if (s.prec !== undefined) {
    if (s.prec === 0 && v === 0n) digits = '';
    digits = digits.padStart(s.prec, '0');
  }
  if (prefix === '0' && digits.startsWith('0')) prefix = '';
  const sign = neg ? '-' : s.plus ? '+' : s.space ? ' ' : '';
  const body = prefix + digits;
  if (s.prec === undefined && s.zero && !s.minus && s.width !== undefined) {
    const fill = s.width - sign.length - body.length;
    return sign + prefix + '0'.repeat(Math.max(0, fill)) + digits;
  }
  return pad(sign + body, s, false);
}

const safeChar = (v: bigint): string => (v >= 0n && v <= 0x10ffffn && !(v >= 0xd800n && v <= 0xdfffn) ? String.fromCodePoint(Number(v)) : '\ufffd');

// ---------------------------------------------------------------- floats (Go strconv)
type Digits = { readonly digits: string; readonly dp: number };

/** Decimal digits of |x| (no trailing zeros) and the decimal point position, either the
 *  shortest round-trip digits or rounded (half to even, on the exact binary value, as Go's
 *  strconv does) to `sig` significant digits. */
function decimalDigits(x: number, sig?: number): Digits {
  const ax = Math.abs(x);
  if (ax === 0) return { digits: '', dp: 0 };
  if (sig === undefined) {
    const [mant, exp] = ax.toExponential().split('e');
    return { digits: mant.replace('.', '').replace(/0+$/, ''), dp: Number(exp) + 1 };
  }
  return roundDigits(exactDecimal(ax), Math.max(1, sig));
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDecimal(ax: number): Digits {
  if (ax === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, ax);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e: number;
  if (expBits === 0) e = -1074;
  else { mant |= 1n << 52n; e = expBits - 1075; }
  let digits: string, dp: number;
  if (e >= 0) { digits = (mant << BigInt(e)).toString(); dp = digits.length; }
  else { digits = (mant * 5n ** BigInt(-e)).toString(); dp = digits.length + e; }
  return { digits: digits.replace(/0+$/, ''), dp };
}

/** Rounds to `nd` digits (half to even); nd may be <= 0 (rounding to a power of ten). */
function roundDigits(d: Digits, nd: number): Digits {
  if (nd >= d.digits.length) return d;
  if (nd < 0) return { digits: '', dp: 0 };
  const next = d.digits[nd];
  const rest = d.digits.slice(nd + 1);
  const prevOdd = nd > 0 && Number(d.digits[nd - 1]) % 2 === 1;
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || prevOdd));
  let kept = d.digits.slice(0, nd);
  let dp = d.dp;
  if (up) {
    const chars = [...kept];
    let k = chars.length - 1;
    while (k >= 0 && chars[k] === '9') { chars[k] = '0'; k--; }
    if (k < 0) { chars.unshift('1'); dp++; } else chars[k] = String(Number(chars[k]) + 1);
    kept = chars.join('');
  }
  kept = kept.replace(/0+$/, '');
  return kept === '' ? { digits: '', dp: 0 } : { digits: kept, dp };
}

function fmtE(d: Digits, prec: number, upper: boolean): string {
  const first = d.digits[0] ?? '0';
  const rest = d.digits.slice(1).padEnd(prec, '0').slice(0, prec);
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const e = `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return first + (prec > 0 ? '.' + rest : '') + e;
}

function fmtF(d: Digits, prec: number): string {
  const nd = d.digits.length;
  const intPart = d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  let frac = '';
  for (let k = 0; k < prec; k++) {
    const j = d.dp + k;
    frac += j >= 0 && j < nd ? d.digits[j] : '0';
  }
  return intPart + (prec > 0 ? '.' + frac : '');
}

function fixed(x: number, prec: number): string {
  const d = exactDecimal(Math.abs(x));
  return fmtF(roundDigits(d, d.dp + prec), prec);
}

function formatG(x: number, prec: number | undefined, upper: boolean): string {
  const shortest = prec === undefined;
  let p = prec === undefined ? -1 : prec === 0 ? 1 : prec;
  const d = shortest ? decimalDigits(x) : decimalDigits(x, p);
  if (shortest) p = d.digits.length;
  let eprec = p;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (d.digits !== '' && (exp < -4 || exp >= eprec)) {
    if (p > d.digits.length) p = d.digits.length;
    return fmtE(d, Math.max(0, p - 1), upper);
  }
  if (p > d.dp) p = d.digits.length;
  return fmtF(d, Math.max(p - d.dp, 0));
}

function formatFloat(x: number, verb: string, s: Spec): string | undefined {
  let body: string;
  switch (verb) {
    case 'v': case 'g': body = formatG(x, s.prec, false); break;
    case 'G': body = formatG(x, s.prec, true); break;
    case 'e': case 'E': body = fmtE(decimalDigits(x, (s.prec ?? 6) + 1), s.prec ?? 6, verb === 'E'); break;
    case 'f': case 'F': body = fixed(x, s.prec ?? 6); break;
    default: return undefined;
  }
  const sign = x < 0 || Object.is(x, -0) ? '-' : s.plus ? '+' : s.space ? ' ' : '';
  return pad(sign + body, s, true);
}

// ---------------------------------------------------------------- strings
function quoteBody(text: string, quote: '"' | "'"): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out;
}

function formatString(v: string, verb: string, s: Spec): string | undefined {
  const truncated = s.prec !== undefined ? [...v].slice(0, s.prec).join('') : v;
  switch (verb) {
    case 'v': case 's': {
      // Go pads strings with zeros too (`%05s` -> `000ab`), sign or not.
      const len = [...truncated].length;
      if (s.zero && !s.minus && s.width !== undefined && len < s.width) return '0'.repeat(s.width - len) + truncated;
      return pad(truncated, s, false);
    }
    case 'q': return pad(`"${quoteBody(truncated, '"')}"`, s, false);
    case 'x': case 'X': {
      const bytes = [...Buffer.from(truncated, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
      let hex = s.space ? bytes.map((b) => (s.sharp ? '0x' + b : b)).join(' ') : (s.sharp ? '0x' : '') + bytes.join('');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, s, false);
    }
    default: return undefined;
  }
}

export const SPRINTF_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'dw.sprintf': (format, values) => {
    if (!isString(format) || !Array.isArray(values)) return undefined;
    return goSprintf(format, values);
  },
};
