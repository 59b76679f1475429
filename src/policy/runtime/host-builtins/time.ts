// time.* builtins with Go's time package semantics: nanosecond timestamps (int64 range,
// exact BigInt arithmetic), RFC 3339 with nanoseconds, Go duration strings, Go layouts
// (`2006-01-02T15:04:05Z07:00`, named constants like RFC1123Z), IANA time zones via Intl
// (`""`/`UTC` = UTC; `Local` = UTC, as driftwarden evaluates in UTC).
// Known gap: timestamps arrive as JS numbers, so values above 2^53 ns (after 1970-04-15)
// have lost their last digits before they reach the host.
import { isInteger, isNumber, isString } from './values.ts';

const NS_PER_S = 1_000_000_000n;
const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;
const inInt64 = (v: bigint): boolean => v >= INT64_MIN && v <= INT64_MAX;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const GO_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};
const layoutOf = (name: string): string => GO_LAYOUTS[name] ?? name;

// ---------------------------------------------------------------- calendar arithmetic
/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const daysIn = (y: number, m: number): number => daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);

// ---------------------------------------------------------------- zones
type Zone = { readonly name: string; readonly fixed?: number };
const UTC: Zone = { name: 'UTC', fixed: 0 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOf(tz: string): Zone | undefined {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return UTC;
  if (!formatters.has(tz)) {
    try {
      formatters.set(tz, new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short',
      }));
    } catch {
      return undefined;
    }
  }
  return { name: tz };
}

/** Offset east of UTC in seconds and the zone abbreviation at the instant `sec`. */
function zoneAt(zone: Zone, sec: number): { offset: number; abbrev: string } {
  if (zone.fixed !== undefined) return { offset: zone.fixed, abbrev: 'UTC' };
  const f = formatters.get(zone.name) as Intl.DateTimeFormat;
  const parts = Object.fromEntries(f.formatToParts(new Date(sec * 1000)).map((p) => [p.type, p.value]));
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const local = daysFromCivil(year, Number(parts['month']), Number(parts['day'])) * 86400
    + Number(parts['hour']) * 3600 + Number(parts['minute']) * 60 + Number(parts['second']);
  const offset = local - sec;
  const name = parts['timeZoneName'] ?? '';
  return { offset, abbrev: /^[A-Z]{2,5}$/.test(name) ? name : numericZone(offset, false, false) };
}

function numericZone(offset: number, colon: boolean, withSeconds: boolean, hoursOnly = false): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  const ss = String(a % 60).padStart(2, '0');
  if (hoursOnly) return sign + hh;
  return sign + hh + (colon ? ':' : '') + mm + (withSeconds ? (colon ? ':' : '') + ss : '');
}

// ---------------------------------------------------------------- broken-down time
type Civil = {
  readonly year: number; readonly month: number; readonly day: number; readonly yday: number; readonly weekday: number;
  readonly hour: number; readonly minute: number; readonly second: number; readonly nanos: number;
  readonly offset: number; readonly abbrev: string;
};

function civilOf(ns: bigint, zone: Zone): Civil {
  let sec = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) { nanos += NS_PER_S; sec -= 1n; }
  const s = Number(sec);
  const { offset, abbrev } = zoneAt(zone, s);
  const local = s + offset;
  const days = Math.floor(local / 86400);
  const sod = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year, month, day, yday: days - daysFromCivil(year, 1, 1) + 1, weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(sod / 3600), minute: Math.floor((sod % 3600) / 60), second: sod % 60, nanos: Number(nanos), offset, abbrev,
  };
}

/** A timestamp argument: a number of ns within int64 (fractions truncated). */
function nsOf(v: unknown): bigint | undefined {
  if (!isNumber(v)) return undefined;
  const b = BigInt(Math.trunc(v));
  return inInt64(b) ? b : undefined;
}

/** `ns` or `[ns, tz]` or `[ns, tz, layout]` (OPA's tzTime operand). */
function tzTimeOf(v: unknown): { ns: bigint; zone: Zone; layout: string } | undefined {
  let nsv: unknown = v, tz = '', layout = GO_LAYOUTS['RFC3339Nano'];
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    nsv = v[0];
    if (v.length > 1) { if (!isString(v[1])) return undefined; tz = v[1]; }
    if (v.length > 2) { if (!isString(v[2])) return undefined; layout = layoutOf(v[2]); }
  }
  const ns = nsOf(nsv);
  const zone = zoneOf(tz);
  return ns === undefined || !zone ? undefined : { ns, zone, layout };
}

// ---------------------------------------------------------------- Go layouts
type Std =
  | 'Jan' | 'January' | 'Mon' | 'Monday' | 'MST' | '1' | '01' | '2' | '_2' | '02' | '__2' | '002' | '06' | '2006'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | 'PM' | 'pm'
  | 'Z070000' | 'Z07:00:00' | 'Z0700' | 'Z07:00' | 'Z07' | '-070000' | '-07:00:00' | '-0700' | '-07:00' | '-07'
  | `frac0:${number}` | `frac9:${number}`;

type Chunk = { readonly literal: string; readonly std?: Std };

const startsWithLower = (s: string): boolean => s.length > 0 && s[0] >= 'a' && s[0] <= 'z';

/** Splits a layout into literal text + std element chunks (Go's nextStdChunk). */
export function layoutChunks(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let lit = '';
  let i = 0;
  const emit = (std: Std, len: number): void => { chunks.push({ literal: lit, std }); lit = ''; i += len; };
  const at = (s: string): boolean => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i];
    if (c === 'J' && at('Jan')) {
      if (at('January')) { emit('January', 7); continue; }
      if (!startsWithLower(layout.slice(i + 3))) { emit('Jan', 3); continue; }
    } else if (c === 'M' && (at('Mon') || at('MST'))) {
      if (at('Monday')) { emit('Monday', 6); continue; }
      if (at('Mon') && !startsWithLower(layout.slice(i + 3))) { emit('Mon', 3); continue; }
      if (at('MST')) { emit('MST', 3); continue; }
    } else if (c === '0') {
      const n = layout[i + 1];
      if (n !== undefined && n >= '1' && n <= '6') { emit(`0${n}` as Std, 2); continue; }
      if (at('002')) { emit('002', 3); continue; }
    } else if (c === '1') {
      if (layout[i + 1] === '5') { emit('15', 2); continue; }
      emit('1', 1); continue;
    } else if (c === '2') {
      if (at('2006')) { emit('2006', 4); continue; }
      emit('2', 1); continue;
    } else if (c === '_') {
      if (layout[i + 1] === '2') {
        if (layout.startsWith('2006', i + 1)) { lit += '_'; i++; emit('2006', 4); continue; }
        emit('_2', 2); continue;
      }
      if (at('__2')) { emit('__2', 3); continue; }
    } else if (c === '3' || c === '4' || c === '5') {
      emit(c, 1); continue;
    } else if (c === 'P' && layout[i + 1] === 'M') { emit('PM', 2); continue; }
    else if (c === 'p' && layout[i + 1] === 'm') { emit('pm', 2); continue; }
    else if (c === '-' || c === 'Z') {
      const z = c === 'Z';
      const forms = ['070000', '07:00:00', '0700', '07:00', '07'];
      const f = forms.find((x) => layout.startsWith(x, i + 1));
      if (f) { emit(`${c}${f}` as Std, f.length + 1); continue; }
      if (z) { lit += c; i++; continue; }
    } else if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const ch = layout[i + 1];
      let j = i + 1;
      while (j < layout.length && layout[j] === ch) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        lit += c;
        i++;
        emit(`${ch === '0' ? 'frac0' : 'frac9'}:${j - i}` as Std, j - i);
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (lit !== '') chunks.push({ literal: lit });
  return chunks;
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

export function formatTime(c: Civil, layout: string): string {
  let out = '';
  for (const chunk of layoutChunks(layout)) {
    out += chunk.literal;
    const std = chunk.std;
    if (!std) continue;
    if (std.startsWith('frac')) {
      const [kind, n] = std.split(':');
      let digits = pad(c.nanos, 9).slice(0, Number(n));
      if (kind === 'frac9') {
        digits = digits.replace(/0+$/, '');
        // Go drops the separator too when nothing is left.
        if (digits === '') { out = out.slice(0, -1); continue; }
      }
      out += digits;
      continue;
    }
    switch (std as Std) {
      case 'Jan': out += MONTHS[c.month - 1].slice(0, 3); break;
      case 'January': out += MONTHS[c.month - 1]; break;
      case 'Mon': out += WEEKDAYS[c.weekday].slice(0, 3); break;
      case 'Monday': out += WEEKDAYS[c.weekday]; break;
      case 'MST': out += c.abbrev; break;
      case '1': out += c.month; break;
      case '01': out += pad(c.month, 2); break;
      case '2': out += c.day; break;
      case '_2': out += pad(c.day, 2, ' '); break;
      case '02': out += pad(c.day, 2); break;
      case '__2': out += pad(c.yday, 3, ' '); break;
      case '002': out += pad(c.yday, 3); break;
      case '06': out += pad(((c.year % 100) + 100) % 100, 2); break;
      case '2006': out += c.year < 0 ? '-' + pad(-c.year, 4) : pad(c.year, 4); break;
      case '15': out += pad(c.hour, 2); break;
      case '3': out += c.hour % 12 === 0 ? 12 : c.hour % 12; break;
      case '03': out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break;
      case '4': out += c.minute; break;
      case '04': out += pad(c.minute, 2); break;
      case '5': out += c.second; break;
      case '05': out += pad(c.second, 2); break;
      case 'PM': out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += c.hour >= 12 ? 'pm' : 'am'; break;
      default: {
        const z = std.startsWith('Z');
        if (z && c.offset === 0) { out += 'Z'; break; }
        const form = std.slice(1);
        out += numericZone(c.offset, form.includes(':'), form.length >= 6, form === '07');
      }
    }
  }
  return out;
}

/** Go's time.Parse (UTC unless the value carries an offset). Undefined on any mismatch. */
export function parseTime(layout: string, value: string): bigint | undefined {
  let v = value;
  let year = 0, month = 1, day = 1, yday = -1, hour = 0, minute = 0, second = 0, nanos = 0n;
  let pm: boolean | undefined, hour12 = false, offset = 0;
  const chunks = layoutChunks(layout);
  const num = (min: number, max: number, fixed: boolean): number | undefined => {
    const m = (fixed ? /^\d{2}/ : /^\d{1,2}/).exec(v);
    if (!m) return undefined;
    v = v.slice(m[0].length);
    const n = Number(m[0]);
    return n < min || n > max ? undefined : n;
  };
  const lookup = (names: readonly string[]): number | undefined => {
    const i = names.findIndex((n) => v.slice(0, n.length).toLowerCase() === n.toLowerCase());
    if (i >= 0) v = v.slice(names[i].length);
    return i >= 0 ? i : undefined;
  };
  for (let ci = 0; ci < chunks.length; ci++) {
    const { literal, std } = chunks[ci];
    if (std?.startsWith('frac9')) {
      // `.999`: the separator and the digits are both optional.
      const base = literal.slice(0, -1), sep = literal.slice(-1);
      if (!v.startsWith(base)) return undefined;
      v = v.slice(base.length);
      const m = /^[.,](\d+)/.exec(v);
      if (m && m[0][0] === sep) { nanos = BigInt(m[1].slice(0, 9).padEnd(9, '0')); v = v.slice(m[0].length); }
      continue;
    }
    if (!v.startsWith(literal)) return undefined;
    v = v.slice(literal.length);
    if (!std) continue;
    let ok: number | undefined = 0;
    if (std.startsWith('frac')) {
      const n = std.split(':')[1];
      const m = new RegExp(`^\\d{${n}}`).exec(v);
      if (!m) return undefined;
      v = v.slice(m[0].length);
      nanos = BigInt(m[0].slice(0, 9).padEnd(9, '0'));
      continue;
    }
    switch (std as Std) {
      case '2006': { const m = /^\d{4}/.exec(v); if (!m) return undefined; year = Number(m[0]); v = v.slice(4); break; }
      case '06': { const m = /^\d{2}/.exec(v); if (!m) return undefined; const y = Number(m[0]); year = y >= 69 ? 1900 + y : 2000 + y; v = v.slice(2); break; }
      case 'Jan': ok = lookup(MONTHS.map((x) => x.slice(0, 3))); if (ok !== undefined) month = ok + 1; break;
      case 'January': ok = lookup(MONTHS); if (ok !== undefined) month = ok + 1; break;
      case 'Mon': ok = lookup(WEEKDAYS.map((x) => x.slice(0, 3))); break;
      case 'Monday': ok = lookup(WEEKDAYS); break;
      case '1': case '01': ok = num(1, 12, std === '01'); if (ok !== undefined) month = ok; break;
      case '_2': if (v.startsWith(' ')) v = v.slice(1); ok = num(1, 31, false); if (ok !== undefined) day = ok; break;
      case '2': case '02': ok = num(1, 31, std === '02'); if (ok !== undefined) day = ok; break;
      case '__2': case '002': {
        const m = (std === '002' ? /^\d{3}/ : /^ {0,2}\d{1,3}/).exec(v);
        if (!m) return undefined;
        v = v.slice(m[0].length); yday = Number(m[0].trim());
        if (yday < 1 || yday > 366) return undefined;
        break;
      }
      case '15': ok = num(0, 23, false); if (ok !== undefined) hour = ok; break;
      case '3': case '03': ok = num(1, 12, std === '03'); if (ok !== undefined) { hour = ok; hour12 = true; } break;
      case '4': case '04': ok = num(0, 59, std === '04'); if (ok !== undefined) minute = ok; break;
      case '5': case '05': {
        ok = num(0, 59, std === '05');
        if (ok !== undefined) second = ok;
        // Go accepts a fraction after seconds even when the layout has none.
        const nextStd = chunks[ci + 1];
        const m = /^[.,](\d+)/.exec(v);
        if (m && !(nextStd && nextStd.std?.startsWith('frac') && /^[.,]$/.test(nextStd.literal))) {
          nanos = BigInt(m[1].slice(0, 9).padEnd(9, '0'));
          v = v.slice(m[0].length);
        }
        break;
      }
      case 'PM': case 'pm': {
        const m = /^(AM|PM|am|pm)/.exec(v);
        if (!m) return undefined;
        pm = m[1].toUpperCase() === 'PM'; v = v.slice(2);
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT|[A-Z]{3,5})([+-]\d{1,2})?/.exec(v);
        if (!m) return undefined;
        v = v.slice(m[0].length);
        if (m[2]) offset = Number(m[2]) * 3600;
        break;
      }
      default: {
        if (std.startsWith('Z') && (v.startsWith('Z'))) { v = v.slice(1); offset = 0; break; }
        const form = std.slice(1);
        const colon = form.includes(':');
        const re = form === '07' ? /^([+-])(\d{2})/
          : form.length >= 6 ? (colon ? /^([+-])(\d{2}):(\d{2}):(\d{2})/ : /^([+-])(\d{2})(\d{2})(\d{2})/)
          : colon ? /^([+-])(\d{2}):(\d{2})/ : /^([+-])(\d{2})(\d{2})/;
        const m = re.exec(v);
        if (!m) return undefined;
        v = v.slice(m[0].length);
        const h = Number(m[2]), mi = Number(m[3] ?? 0), s = Number(m[4] ?? 0);
        if (h > 24 || mi > 59 || s > 59) return undefined;
        offset = (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
      }
    }
    if (ok === undefined) return undefined;
  }
  if (v !== '') return undefined;
  if (hour12) {
    if (pm === true && hour < 12) hour += 12;
    else if (pm === false && hour === 12) hour = 0;
  } else if (pm !== undefined && hour > 12) {
    return undefined;
  }
  if (yday >= 0) {
    const d = daysFromCivil(year, 1, 1) + yday - 1;
    const [y2, m2, d2] = civilFromDays(d);
    if (y2 !== year) return undefined;
    month = m2; day = d2;
  }
  if (day > daysIn(year, month)) return undefined;
  const secs = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offset);
  const ns = secs * NS_PER_S + nanos;
  return inInt64(ns) ? ns : undefined;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 (Go's time.RFC3339 parsing, which accepts any fraction) -> ns since epoch. */
export function parseRfc3339Ns(s: string): bigint | undefined {
  const m = RFC3339_RE.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[8].slice(1, 3)), om = Number(m[8].slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (m[8][0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const nanos = m[7] ? BigInt(m[7].slice(0, 9).padEnd(9, '0')) : 0n;
  const ns = (BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offset)) * NS_PER_S + nanos;
  return inInt64(ns) ? ns : undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};

/** Go's time.ParseDuration -> ns. */
export function parseDurationNs(input: string): bigint | undefined {
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = DURATION_UNITS[m[3]];
    if (unit === undefined) return undefined;
    let v = BigInt(m[1] || '0') * BigInt(unit);
    if (m[2]) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale)), f/scale from the digits.
      const digits = m[2].slice(0, 18);
      const scale = 10 ** digits.length;
      v += BigInt(Math.trunc(Number(digits) * (unit / scale)));
    }
    total += v;
    if (total > 2n ** 63n) return undefined;
    s = s.slice(m[0].length);
  }
  if (!neg && total > INT64_MAX) return undefined;
  return neg ? -total : total;
}

/** Go's AddDate in UTC: components overflow into the next unit (Oct 31 + 1 month = Dec 1). */
function addDate(ns: bigint, years: number, months: number, days: number): bigint | undefined {
  const c = civilOf(ns, UTC);
  const totalMonths = c.year * 12 + (c.month - 1) + years * 12 + months;
  const y = Math.floor(totalMonths / 12), m = totalMonths - y * 12 + 1;
  const dayNumber = daysFromCivil(y, m, 1) + (c.day - 1) + days;
  const secs = BigInt(dayNumber) * 86400n + BigInt(c.hour * 3600 + c.minute * 60 + c.second);
  const out = secs * NS_PER_S + BigInt(c.nanos);
  return inInt64(out) ? out : undefined;
}

/** OPA's time.diff: [years, months, days, hours, minutes, seconds] between two instants. */
function diff(a: Civil, b: Civil): number[] {
  let year = b.year - a.year, month = b.month - a.month, day = b.day - a.day;
  let hour = b.hour - a.hour, min = b.minute - a.minute, sec = b.second - a.second;
  if (sec < 0) { sec += 60; min--; }
  if (min < 0) { min += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) {
    // Days in a's month: Go normalises day 32 of that month into the next one.
    const overflow = civilFromDays(daysFromCivil(a.year, a.month, 1) + 31)[2];
    day += 32 - overflow;
    month--;
  }
  if (month < 0) { month += 12; year--; }
  return [year, month, day, hour, min, sec];
}

const toNumber = (ns: bigint): number => Number(ns);

export const TIME_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'time.now_ns': () => Date.now() * 1e6,
  'time.parse_rfc3339_ns': (s) => {
    if (!isString(s)) return undefined;
    const ns = parseRfc3339Ns(s);
    return ns === undefined ? undefined : toNumber(ns);
  },
  'time.parse_ns': (layout, value) => {
    if (!isString(layout) || !isString(value)) return undefined;
    const ns = parseTime(layoutOf(layout), value);
    return ns === undefined ? undefined : toNumber(ns);
  },
  'time.parse_duration_ns': (s) => {
    if (!isString(s)) return undefined;
    const ns = parseDurationNs(s);
    return ns === undefined ? undefined : toNumber(ns);
  },
  'time.date': (x) => {
    const t = tzTimeOf(x);
    if (!t) return undefined;
    const c = civilOf(t.ns, t.zone);
    return [c.year, c.month, c.day];
  },
  'time.clock': (x) => {
    const t = tzTimeOf(x);
    if (!t) return undefined;
    const c = civilOf(t.ns, t.zone);
    return [c.hour, c.minute, c.second];
  },
  'time.weekday': (x) => {
    const t = tzTimeOf(x);
    return t ? WEEKDAYS[civilOf(t.ns, t.zone).weekday] : undefined;
  },
  'time.format': (x) => {
    const t = tzTimeOf(x);
    return t ? formatTime(civilOf(t.ns, t.zone), t.layout) : undefined;
  },
  'time.add_date': (x, years, months, days) => {
    const ns = nsOf(x);
    if (ns === undefined || !isInteger(years) || !isInteger(months) || !isInteger(days)) return undefined;
    // int64 nanoseconds span ±292 years: anything larger overflows anyway.
    if (Math.abs(years) > 1e4 || Math.abs(months) > 1e5 || Math.abs(days) > 1e7) return undefined;
    const out = addDate(ns, years, months, days);
    return out === undefined ? undefined : toNumber(out);
  },
  'time.diff': (x, y) => {
    const a = tzTimeOf(x), b = tzTimeOf(y);
    if (!a || !b) return undefined;
    // Both are viewed in the first operand's zone; order does not matter.
    let ca = civilOf(a.ns, a.zone), cb = civilOf(b.ns, a.zone);
    if (a.ns > b.ns) [ca, cb] = [cb, ca];
    return diff(ca, cb);
  },
};
