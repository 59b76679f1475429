// Front door of the Rego v1 parser: text -> AST (../ast.ts), or a DwFailure whose message is
// the formatted diagnostic (`file:line:col DW3001 ...` + source line + caret).
import type { Body, Module, Term } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { throwDiagnostics } from '../diagnostics.ts';
import { attachAnnotations } from './metadata.ts';
import { ParseError } from './parse-error.ts';
import { Parser } from './parser.ts';

export { ParseError } from './parse-error.ts';
export { PARSE_CODES, type ParseCode } from './codes.ts';
export { packagePath } from './metadata.ts';

/** Parses one Rego v1 module, METADATA annotations attached. Throws DwFailure (DW30xx). */
export function parseModule(text: string, file: string): Module {
  return withDiagnostics(text, () => {
    const parsed = new Parser(text, file).parseModule();
    const result = attachAnnotations(parsed, text);
    if (result.diagnostics.length > 0) throwDiagnostics(result.diagnostics, () => text);
    return result.module;
  });
}

/** Parses a query (expressions separated by `;` or new lines), e.g. `data.a.b = x`. */
export function parseQuery(text: string, file = 'query'): Body {
  return withDiagnostics(text, () => new Parser(text, file).parseQueryBody());
}

/** Parses a single term, e.g. an `input_term` like `{"a": {1, 2}}`. */
export function parseTerm(text: string, file = 'term'): Term {
  return withDiagnostics(text, () => new Parser(text, file).parseSingleTerm());
}

/** Like parseModule, but returns diagnostics instead of throwing. */
export function tryParseModule(text: string, file: string): { module?: Module; diagnostics: readonly Diagnostic[] } {
  try {
    const parsed = new Parser(text, file).parseModule();
    const result = attachAnnotations(parsed, text);
    return result.diagnostics.length > 0 ? { diagnostics: result.diagnostics } : { module: result.module, diagnostics: [] };
  } catch (e) {
    if (e instanceof ParseError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

function withDiagnostics<T>(text: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ParseError) throwDiagnostics([e.diagnostic], () => text);
    throw e;
  }
}
