// Rego v1 lexer: source text -> tokens (+ comments kept aside for METADATA blocks).
// Each token records whether whitespace precedes it, because Rego is whitespace-sensitive
// in one place: `x[0]`, `x.y` and `f(x)` continue a term only without a gap
// (`x [0]` is two terms), which is what lets newlines separate body expressions.
import type { Pos } from '../ast.ts';
import { ParseError } from './parse-error.ts';

// `contains` is not here: it is a keyword only after a rule head (the parser checks it) and
// otherwise the name of the builtin `contains(s, sub)`.
export const KEYWORDS = new Set([
  'as', 'default', 'else', 'every', 'false', 'if', 'import', 'in', 'not', 'null', 'package', 'some', 'true', 'with',
]);

export type TokenKind = 'ident' | 'keyword' | 'string' | 'number' | 'punct' | 'eof';

export type Token = {
  readonly kind: TokenKind;
  /** Source text for ident/keyword/number/punct; the decoded value for strings. */
  readonly text: string;
  readonly pos: Pos;
  readonly offset: number;
  readonly end: number;
  /** Whitespace or a comment separates this token from the previous one. */
  readonly spaceBefore: boolean;
  /** Line on which the token ends (differs from pos.line only for multi-line raw strings). */
  readonly endLine: number;
  readonly raw?: boolean;
};

export type Comment = { readonly text: string; readonly pos: Pos; readonly offset: number; readonly ownLine: boolean };

export type Lexed = { readonly tokens: readonly Token[]; readonly comments: readonly Comment[] };

// Longest first so `:=` wins over `:`.
const PUNCTS = [':=', '==', '!=', '<=', '>=', '{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '|', '&', '=', '<', '>', '+', '-', '*', '/', '%'];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);

export function lex(text: string, file: string): Lexed {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0, line = 1, lineStart = 0;
  let space = true;
  let lineHasToken = false;
  const posAt = (offset: number): Pos => ({ file, line, col: offset - lineStart + 1 });
  const err = (offset: number, code: `DW${number}`, message: string): never => {
    throw new ParseError({ code, message, pos: posAt(offset) });
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { i++; line++; lineStart = i; space = true; lineHasToken = false; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') { i++; space = true; continue; }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      comments.push({ text: text.slice(i + 1, stop).replace(/\r$/, ''), pos: posAt(i), offset: i, ownLine: !lineHasToken });
      i = stop; space = true; continue;
    }
    const start = i;
    const pos = posAt(i);
    const push = (kind: TokenKind, tokText: string, raw?: boolean): void => {
      tokens.push({ kind, text: tokText, pos, offset: start, end: i, spaceBefore: space, endLine: line, ...(raw ? { raw } : {}) });
      space = false; lineHasToken = true;
    };
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i])) i++;
      const word = text.slice(start, i);
      push(KEYWORDS.has(word) ? 'keyword' : 'ident', word);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (isDigit(text[i] ?? '')) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) { i++; while (isDigit(text[i] ?? '')) i++; }
      if (text[i] === 'e' || text[i] === 'E') {
        let j = i + 1;
        if (text[j] === '+' || text[j] === '-') j++;
        if (!isDigit(text[j] ?? '')) err(i, 'DW3002', 'malformed number: the exponent needs digits');
        i = j; while (isDigit(text[i] ?? '')) i++;
      }
      if (isIdentStart(text[i] ?? '')) err(i, 'DW3002', `malformed number: unexpected "${text[i]}" after ${text.slice(start, i)}`);
      // OPA rejects leading zeros (`007`) but accepts `0.5` and `0e3`.
      if (c === '0' && isDigit(text[start + 1] ?? '')) err(start, 'DW3002', `malformed number ${text.slice(start, i)}: no leading zeros allowed`);
      // `.5` -> `0.5`: same value, and valid JSON number text for later stages.
      const num = text.slice(start, i);
      push('number', num.startsWith('.') ? '0' + num : num);
      continue;
    }
    if (c === '"') { i++; const value = readString(start); push('string', value); continue; }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) err(start, 'DW3003', 'unterminated raw string: missing closing backtick');
      const value = text.slice(i + 1, end);
      // Raw strings may span lines: keep line accounting right.
      for (let k = i + 1; k < end; k++) if (text[k] === '\n') { line++; lineStart = k + 1; }
      i = end + 1;
      tokens.push({ kind: 'string', text: value, pos, offset: start, end: i, spaceBefore: space, endLine: line, raw: true });
      space = false; lineHasToken = true;
      continue;
    }
    const punct = PUNCTS.find((p) => text.startsWith(p, i));
    if (punct) { i += punct.length; push('punct', punct); continue; }
    err(i, 'DW3002', `illegal character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'eof', text: '', pos: posAt(i), offset: i, end: i, spaceBefore: true, endLine: line });
  return { tokens, comments };

  // Decodes a JSON-style string literal (OPA decodes them with json.Unmarshal).
  function readString(start: number): string {
    let out = '';
    for (;;) {
      if (i >= text.length || text[i] === '\n') err(start, 'DW3003', 'unterminated string: missing closing " on this line');
      const ch = text[i];
      if (ch === '"') { i++; return fixLoneSurrogates(out); }
      if (ch !== '\\') { out += ch; i++; continue; }
      const esc = text[i + 1];
      switch (esc) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (hex.length < 4 || ![...hex].every(isHex)) err(i, 'DW3004', 'invalid \\u escape: expected 4 hex digits');
          // Surrogate pairs (\ud83d\ude00) combine naturally in a UTF-16 JS string; a lone
          // surrogate becomes U+FFFD as Go's json.Unmarshal does.
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          err(i, 'DW3004', `illegal escape sequence \\${esc ?? ''} in string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
      }
      i += 2;
    }
  }
}

/** Replaces unpaired surrogates by U+FFFD (Go's json decoder does the same). */
export function fixLoneSurrogates(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
