// regex.* builtins with Go (RE2) semantics on top of JavaScript RegExp.
// The pattern is translated from RE2 syntax to a JS `u`-mode pattern (leading `(?i)`-style
// flags, `\z`, `\A`, `(?P<name>...)`, POSIX classes, `\Q...\E`, octal/hex escapes, RE2's
// `.`/`\s` definitions); RE2 features JS lacks and JS features RE2 rejects (backreferences,
// lookaround) make the pattern invalid, as in Go. Match iteration follows Go's rules for
// empty matches (FindAll*, ReplaceAll*, Split).
import { isInteger, isString } from './values.ts';

class UnsupportedPattern extends Error {}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const NEGATED_POSIX: Readonly<Record<string, string>> = { alnum: '[^0-9A-Za-z]', alpha: '[^A-Za-z]', digit: '\\D', space: '[^\\t\\n\\v\\f\\r ]', upper: '[^A-Z]', lower: '[^a-z]', word: '\\W', xdigit: '[^0-9A-Fa-f]' };
const RE2_SPACE = '\\t\\n\\f\\r ';
const GENERAL_CATEGORIES = new Set(['L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Cs', 'Co', 'Cn']);
/** Characters JS u-mode allows after a backslash outside a class. */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

export type CompiledRegex = { readonly re: RegExp; readonly groupNames: readonly (string | undefined)[] };

/** Translates an RE2 pattern to a JS RegExp source + flags; throws UnsupportedPattern. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  let i = 0;
  let flags = 'u';
  let dotAll = false;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    if (lead[1].includes('U')) throw new UnsupportedPattern('ungreedy flag');
    for (const f of new Set(lead[1])) { flags += f; if (f === 's') dotAll = true; }
    i = lead[0].length;
  }
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, false);
      out += text; i = next; continue;
    }
    if (c === '[') { const [text, next] = translateClass(pattern, i); out += text; i = next; continue; }
    if (c === '(') {
      if (pattern.startsWith('(?P<', i)) { out += '(?<'; i += 4; continue; }
      if (pattern.startsWith('(?<', i) && !pattern.startsWith('(?<=', i) && !pattern.startsWith('(?<!', i)) { out += '(?<'; i += 3; continue; }
      if (pattern.startsWith('(?:', i)) { out += '(?:'; i += 3; continue; }
      if (pattern[i + 1] === '?') throw new UnsupportedPattern('group flags or lookaround');
      out += '('; i++; continue;
    }
    if (c === '.') { out += dotAll ? '[\\s\\S]' : '[^\\n]'; i++; continue; }
    if (c === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (rep && out !== '' && !out.endsWith('(') && !out.endsWith('|')) {
        if (Number(rep[1]) > 1000 || (rep[3] !== undefined && rep[3] !== '' && Number(rep[3]) > 1000)) throw new UnsupportedPattern('repeat count too large');
        out += rep[0]; i += rep[0].length; continue;
      }
      out += '\\{'; i++; continue;
    }
    if (c === '}' || c === ']') { out += '\\' + c; i++; continue; }
    out += c; i++;
  }
  return { source: out, flags };
}

function translateEscape(p: string, i: number, inClass: boolean): [string, number] {
  const c = p[i + 1];
  if (c === undefined) throw new UnsupportedPattern('trailing backslash');
  switch (c) {
    case 'A': if (inClass) break; return ['(?<![\\s\\S])', i + 2];
    case 'z': if (inClass) break; return ['(?![\\s\\S])', i + 2];
    case 'b': case 'B': if (inClass) break; return ['\\' + c, i + 2];
    case 'd': case 'D': case 'w': case 'W': case 'f': case 'n': case 'r': case 't': case 'v': return ['\\' + c, i + 2];
    case 's': return [inClass ? RE2_SPACE : `[${RE2_SPACE}]`, i + 2];
    case 'S': return [inClass ? '\\S' : `[^${RE2_SPACE}]`, i + 2];
    case 'a': return ['\\x07', i + 2];
    case 'Q': {
      if (inClass) break;
      const end = p.indexOf('\\E', i + 2);
      const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
      return [escapeLiteral(lit), end < 0 ? p.length : end + 2];
    }
    case 'x': {
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        const hex = end < 0 ? '' : p.slice(i + 3, end);
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) throw new UnsupportedPattern('bad \\x{}');
        return [`\\u{${hex}}`, end + 1];
      }
      const hex = p.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UnsupportedPattern('bad \\x');
      return [`\\x${hex}`, i + 4];
    }
    case 'p': case 'P': {
      let name: string, next: number;
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end < 0) throw new UnsupportedPattern('bad \\p{');
        name = p.slice(i + 3, end); next = end + 1;
      } else { name = p[i + 2] ?? ''; next = i + 3; }
      let negate = c === 'P';
      if (name.startsWith('^')) { negate = !negate; name = name.slice(1); }
      if (!/^[A-Za-z_]+$/.test(name)) throw new UnsupportedPattern('bad unicode class');
      const prop = GENERAL_CATEGORIES.has(name) ? name : name === 'Any' ? 'Any' : `Script=${name}`;
      return [`\\${negate ? 'P' : 'p'}{${prop}}`, next];
    }
    default: break;
  }
  if (c >= '0' && c <= '7') {
    // RE2: `\1`..`\9` alone are backreferences (unsupported); `\0`, `\12`, `\123` are octal.
    const m = /^[0-7]{1,3}/.exec(p.slice(i + 1))?.[0] ?? '';
    if (c !== '0' && m.length < 2) throw new UnsupportedPattern('backreference');
    return [`\\u{${parseInt(m, 8).toString(16)}}`, i + 1 + m.length];
  }
  if (c === '8' || c === '9') throw new UnsupportedPattern('backreference');
  if (/[A-Za-z]/.test(c)) throw new UnsupportedPattern(`invalid escape \\${c}`);
  // Escaped punctuation is a literal in RE2; JS u-mode only accepts some escapes.
  if (JS_SYNTAX.has(c) || (inClass && c === '-')) return ['\\' + c, i + 2];
  return [c, i + 2];
}

function translateClass(p: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') { out += '^'; i++; }
  if (p[i] === ']') { out += '\\]'; i++; }
  // RE2 `[[:^alpha:]]` / `[^[:alpha:]]` have no direct JS u-mode spelling inside a class
  // unless they are the whole class: handle that common case.
  const whole = /^\[\[:(\^?)([a-z]+):\]\]/.exec(p.slice(start));
  if (whole) {
    const neg = whole[1] === '^';
    const set = POSIX_CLASSES[whole[2]];
    if (!set) throw new UnsupportedPattern('unknown POSIX class');
    return [neg ? (NEGATED_POSIX[whole[2]] ?? `[^${set}]`) : `[${set}]`, start + whole[0].length];
  }
  for (;;) {
    if (i >= p.length) throw new UnsupportedPattern('missing ]');
    const c = p[i];
    if (c === ']') return [out + ']', i + 1];
    if (c === '[' && p[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (!m || !POSIX_CLASSES[m[2]]) throw new UnsupportedPattern('unknown POSIX class');
      if (m[1] === '^') throw new UnsupportedPattern('negated POSIX class inside a class');
      out += POSIX_CLASSES[m[2]]; i += m[0].length; continue;
    }
    if (c === '\\') { const [text, next] = translateEscape(p, i, true); out += text; i = next; continue; }
    if (c === '[') { out += '\\['; i++; continue; }
    out += c; i++;
  }
}

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, (m) => (m === '-' ? '\\x2d' : '\\' + m));
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, CompiledRegex | null>();

/** Compiles (and caches) an RE2 pattern; undefined when RE2 or the translation rejects it. */
export function compileRe2(pattern: string): CompiledRegex | undefined {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit ?? undefined;
  let compiled: CompiledRegex | null;
  try {
    const { source, flags } = translateRe2(pattern);
    const re = new RegExp(source, flags + 'g');
    compiled = { re, groupNames: groupNamesOf(source) };
  } catch {
    compiled = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled ?? undefined;
}

/** Name of each capture group in order (undefined for unnamed ones). */
function groupNamesOf(source: string): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c !== '(') continue;
    if (source[i + 1] !== '?') { names.push(undefined); continue; }
    const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
    if (named) names.push(named[1]);
  }
  return names;
}

/** Go's allMatches: successive non-overlapping matches; an empty match right after the
 *  previous match is skipped. `limit` < 0 means all. */
export function allMatches(r: CompiledRegex, s: string, limit: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const re = r.re;
  let pos = 0, prevEnd = -1;
  while ((limit < 0 || out.length < limit) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index, end = start + m[0].length;
    let accept = true;
    if (end === pos) {
      if (start === prevEnd) accept = false;
      pos += runeWidth(s, pos);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

const runeWidth = (s: string, i: number): number => {
  if (i >= s.length) return 1;
  const cp = s.codePointAt(i) ?? 0;
  return cp > 0xffff ? 2 : 1;
};

/** Go's Regexp.Expand for `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, m: RegExpExecArray, names: readonly (string | undefined)[]): string {
  let out = '';
  let t = template;
  for (;;) {
    const at = t.indexOf('$');
    if (at < 0) break;
    out += t.slice(0, at);
    t = t.slice(at + 1);
    if (t.startsWith('$')) { out += '$'; t = t.slice(1); continue; }
    const brace = t.startsWith('{');
    const body = brace ? t.slice(1) : t;
    const nm = /^[\p{L}\p{Nd}_]+/u.exec(body)?.[0] ?? '';
    if (nm === '' || (brace && body[nm.length] !== '}')) { out += '$'; continue; }
    t = body.slice(nm.length + (brace ? 1 : 0));
    let num = /^\d+$/.test(nm) && nm.length < 9 ? Number(nm) : -1;
    if (nm.length > 1 && nm[0] === '0') num = -1;
    if (num >= 0) out += m[num] ?? '';
    else {
      const idx = names.indexOf(nm);
      if (idx >= 0) out += m[idx + 1] ?? '';
    }
  }
  return out + t;
}

/** Go's ReplaceAllString. */
export function replaceAll(r: CompiledRegex, src: string, template: string): string {
  const re = r.re;
  let out = '';
  let lastEnd = 0, search = 0;
  while (search <= src.length) {
    re.lastIndex = search;
    const m = re.exec(src);
    if (!m) break;
    const start = m.index, end = start + m[0].length;
    out += src.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expandTemplate(template, m, r.groupNames);
    lastEnd = end;
    const w = runeWidth(src, search);
    if (search + w > end) search += w;
    else if (search + 1 > end) search++;
    else search = end;
  }
  return out + src.slice(lastEnd);
}

/** Go's Split(s, -1). */
export function split(r: CompiledRegex, s: string, source: string): string[] {
  if (source.length > 0 && s.length === 0) return [''];
  const parts: string[] = [];
  let beg = 0, end = 0;
  for (const m of allMatches(r, s, -1)) {
    end = m.index;
    if (m.index + m[0].length !== 0) parts.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return parts;
}

function templateRegex(template: string, ds: string, de: string): CompiledRegex | undefined {
  if (ds.length !== 1 || de.length !== 1) return undefined;
  const idxs: number[] = [];
  let level = 0, idx = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === ds) { if (++level === 1) idx = i; }
    else if (template[i] === de) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) return undefined;
    }
  }
  if (level !== 0) return undefined;
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = template.slice(end, idxs[i]);
    end = idxs[i + 1];
    const patt = template.slice(idxs[i] + 1, end - 1);
    if (!compileRe2(`^${patt}$`)) return undefined;
    pattern += `${quoteMeta(raw)}(${patt})`;
  }
  pattern += quoteMeta(template.slice(end)) + '$';
  return compileRe2(pattern);
}

function matches(pattern: unknown, value: unknown): boolean | undefined {
  if (!isString(pattern) || !isString(value)) return undefined;
  const r = compileRe2(pattern);
  if (!r) return undefined;
  r.re.lastIndex = 0;
  return r.re.test(value);
}

function goSplit(pattern: unknown, value: unknown): unknown {
  if (!isString(pattern) || !isString(value)) return undefined;
  const r = compileRe2(pattern);
  return r ? split(r, value, pattern) : undefined;
}

export const REGEX_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'regex.match': matches,
  re_match: matches,
  'regex.is_valid': (pattern) => isString(pattern) && compileRe2(pattern) !== undefined,
  'regex.find_n': (pattern, value, n) => {
    if (!isString(pattern) || !isString(value) || !isInteger(n)) return undefined;
    const r = compileRe2(pattern);
    return r ? allMatches(r, value, n).map((m) => m[0]) : undefined;
  },
  'regex.find_all_string_submatch_n': (pattern, value, n) => {
    if (!isString(pattern) || !isString(value) || !isInteger(n)) return undefined;
    const r = compileRe2(pattern);
    return r ? allMatches(r, value, n).map((m) => Array.from(m, (g) => g ?? '')) : undefined;
  },
  'regex.replace': (s, pattern, value) => {
    if (!isString(s) || !isString(pattern) || !isString(value)) return undefined;
    const r = compileRe2(pattern);
    return r ? replaceAll(r, s, value) : undefined;
  },
  'regex.split': goSplit,
  // The SDK's own JS `regex.split` wins over customBuiltins and splices capture groups into
  // the result (JS String.split); the planner can alias regex.split to this Go version.
  'dw.regex.split': goSplit,
  'regex.template_match': (template, value, ds, de) => {
    if (!isString(template) || !isString(value) || !isString(ds) || !isString(de)) return undefined;
    const r = templateRegex(template, ds, de);
    if (!r) return undefined;
    r.re.lastIndex = 0;
    return r.re.test(value);
  },
};
