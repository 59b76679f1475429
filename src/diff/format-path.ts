// The one textual form of a drift path (DriftPath.pathText), and its exact inverse.
//
//   segment                         text                      example
//   object key, identifier-like     .name (no dot first)      entities[id=abc].name
//   object key, anything else       ["json string"]           properties["a.b"]
//   ordered array position          [3]                       numberPlans[3]
//   keyed array element             [field=value]             entities[id=abc-123]
//   composite-key element           [f1=v1,f2=v2]             policies[domain=routing,entityName=queue]
//   set ('$value') element          [=value]                  ipAddressAllowlist[=10.0.0.0/8]
//   the surface root                (empty string)
//
// An identifier-like key matches /^[A-Za-z_$][A-Za-z0-9_$-]*$/. A key field name is bare when
// identifier-like, else a JSON string. A composite key 'f1+f2' with a tuple value is written as
// its field=value pairs joined by ','. A value is bare when it is a string of the characters
// [A-Za-z0-9_.:/@+*~-] that would not read back as a number or true/false/null; numbers,
// booleans and null are written as JSON; other strings as JSON strings; objects and arrays
// as canonical JSON. parsePath(formatPath(p)) deep-equals p for every path.
import type { DriftPathSegments, Json, KeyedSegment, PathSegment } from '../model/findings.ts';
import { fail } from '../model/errors.ts';
import { canonicalJson } from '../normalize/canonical-json.ts';
import { SET_KEY } from '../normalize/types.ts';

const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const BARE_VALUE = /^[A-Za-z0-9_.:/@+*~-]+$/;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export function formatPath(path: DriftPathSegments): string {
  let out = '';
  for (let i = 0; i < path.length; i++) out += formatSegment(path[i], i === 0);
  return out;
}

export function formatSegment(seg: PathSegment, first: boolean): string {
  if (typeof seg === 'number') return `[${seg}]`;
  if (typeof seg === 'string') return BARE_KEY.test(seg) ? (first ? seg : '.' + seg) : `[${JSON.stringify(seg)}]`;
  if (seg.key === SET_KEY) return `[=${formatValue(seg.value)}]`;
  const parts = seg.key.split('+');
  const v = seg.value;
  if (parts.length > 1 && Array.isArray(v) && v.length === parts.length) {
    return `[${parts.map((p, i) => `${formatField(p)}=${formatValue(v[i])}`).join(',')}]`;
  }
  return `[${formatField(seg.key)}=${formatValue(v)}]`;
}

const formatField = (name: string): string => (BARE_KEY.test(name) ? name : JSON.stringify(name));

function formatValue(v: Json): string {
  if (typeof v === 'string') {
    const bare = BARE_VALUE.test(v) && !JSON_NUMBER.test(v) && v !== 'true' && v !== 'false' && v !== 'null';
    return bare ? v : JSON.stringify(v);
  }
  if (typeof v === 'number') return JSON.stringify(v); // JSON: always reads back with JSON_NUMBER
  return canonicalJson(v);
}

/** Reads a path written by formatPath; DW2310 when the text is not one. */
export function parsePath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  const bad = (why: string): never =>
    fail('DW2310', 'bad-input', `drift path '${text}' is malformed at offset ${i}: ${why}`);
  const readBareKey = (): string => {
    const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(text.slice(i));
    if (!m) bad('expected a key name');
    i += m![0].length;
    return m![0];
  };
  const readJsonString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) bad('unterminated string');
    i++;
    try { return JSON.parse(text.slice(start, i)) as string; } catch { return bad('invalid string escape'); }
  };
  const readValue = (): Json => {
    const c = text[i];
    if (c === '"') return readJsonString();
    if (c === '{' || c === '[') {
      const start = i;
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') { readJsonString(); continue; }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        i++;
        if (depth === 0) break;
      }
      try { return JSON.parse(text.slice(start, i)) as Json; } catch { return bad('invalid JSON value'); }
    }
    const start = i;
    while (i < text.length && text[i] !== ']' && text[i] !== ',') i++;
    const token = text.slice(start, i);
    if (token === '') bad('empty value');
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (JSON_NUMBER.test(token)) return Number(token);
    if (!BARE_VALUE.test(token)) bad('value needs JSON quotes');
    return token;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) bad(`expected '${c}'`);
    i++;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (out.length === 0) bad("a path does not start with '.'");
      i++;
      out.push(readBareKey());
    } else if (c === '[') {
      i++;
      const d = text[i];
      if (d !== undefined && d >= '0' && d <= '9') {
        const m = /^(0|[1-9][0-9]*)\]/.exec(text.slice(i));
        if (!m) bad('expected an array position');
        out.push(Number(m![1]));
        i += m![0].length;
      } else if (d === '=') {
        i++;
        out.push(keyed(SET_KEY, readValue()));
        expect(']');
      } else {
        const name = d === '"' ? readJsonString() : readBareKey();
        if (text[i] === ']') {
          if (d !== '"') bad('a bracketed key must be a JSON string');
          i++;
          out.push(name);
        } else {
          expect('=');
          const names = [name], values = [readValue()];
          while (text[i] === ',') { // composite key: more field=value pairs
            i++;
            names.push(text[i] === '"' ? readJsonString() : readBareKey());
            expect('=');
            values.push(readValue());
          }
          expect(']');
          out.push(names.length === 1 ? keyed(name, values[0]) : keyed(names.join('+'), values));
        }
      }
    } else if (out.length === 0) {
      out.push(readBareKey());
    } else {
      bad("expected '.' or '['");
    }
  }
  return out;
}

const keyed = (key: string, value: Json): KeyedSegment => ({ key, value });
