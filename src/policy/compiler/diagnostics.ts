// Compiler diagnostics: a stable code, one sentence, and the exact source position.
// Shared by parse/, check/ and plan/ so every stage prints errors the same way:
//   policies/auth.rego:12:9 DW3101 unsafe variable x in rule body
//     allow if x > 1
//              ^
import { DwFailure, dwError, formatDwError } from '../../model/errors.ts';
import type { DwCode, DwError } from '../../model/errors.ts';
import type { Pos } from './ast.ts';

export type Diagnostic = { readonly code: DwCode; readonly message: string; readonly pos: Pos };

/** The 1-based line of `text`, without its line terminator ('' when out of range). */
export function sourceLineOf(text: string, line: number): string {
  const lines = text.split('\n');
  const raw = lines[line - 1] ?? '';
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

export function diagnosticToDwError(d: Diagnostic, sourceText?: string): DwError {
  const at = { file: d.pos.file, line: d.pos.line, col: d.pos.col };
  return dwError(d.code, 'bad-input', d.message, at, sourceText === undefined ? undefined : sourceLineOf(sourceText, d.pos.line));
}

/** `file:line:col CODE message`, then the source line and a caret under the column. */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  return formatDwError(diagnosticToDwError(d, sourceText));
}

/** Throws one DwFailure carrying the first diagnostic; its message lists all of them. */
export function throwDiagnostics(diags: readonly Diagnostic[], sourceOf: (file: string) => string | undefined): never {
  if (diags.length === 0) throw new Error('throwDiagnostics called without diagnostics');
  const first = diags[0];
  const failure = new DwFailure(diagnosticToDwError(first, sourceOf(first.pos.file)));
  if (diags.length > 1) {
    failure.message = diags.map((d) => formatDiagnostic(d, sourceOf(d.pos.file))).join('\n');
  }
  throw failure;
}
