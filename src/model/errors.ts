// Errors are values: a stable code, one sentence, and where it applies a source location.
// Codes are grouped by the stage that raises them and documented in docs/errors.md.
//   DW1xxx config / CLI input      DW2xxx baselines, snapshots, data files
//   DW3xxx policy compiler         DW4xxx Genesys API / auth / coverage
//   DW5xxx notify / route / outbox DW6xxx store / vault      DW9xxx internal
export type DwCode = `DW${number}`;

export type SourceLocation = { readonly file: string; readonly line: number; readonly col: number };

export const ERROR_KINDS = ['bad-input', 'upstream', 'coverage', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export type DwError = {
  readonly code: DwCode;
  readonly kind: ErrorKind;
  readonly message: string;
  readonly at?: SourceLocation;
  /** The offending source line, when known, so the CLI can print it with a caret. */
  readonly sourceLine?: string;
};

/** Thrown form of a DwError, for code paths where a value cannot be returned. */
export class DwFailure extends Error {
  readonly error: DwError;
  constructor(error: DwError) {
    super(formatDwError(error));
    this.name = 'DwFailure';
    this.error = error;
  }
}

export function dwError(code: DwCode, kind: ErrorKind, message: string, at?: SourceLocation, sourceLine?: string): DwError {
  return { code, kind, message, ...(at ? { at } : {}), ...(sourceLine !== undefined ? { sourceLine } : {}) };
}

export const fail = (code: DwCode, kind: ErrorKind, message: string, at?: SourceLocation, sourceLine?: string): never => {
  throw new DwFailure(dwError(code, kind, message, at, sourceLine));
};

/** `file:line:col DW1234 message`, then the source line and a caret when known. */
export function formatDwError(e: DwError): string {
  const where = e.at ? `${e.at.file}:${e.at.line}:${e.at.col} ` : '';
  let out = `${where}${e.code} ${e.message}`;
  if (e.sourceLine !== undefined && e.at) {
    // Keep the source line's tabs in the caret's indent so the caret lines up under
    // tab-indented code (Rego is formatted with tabs).
    const indent = e.sourceLine.slice(0, Math.max(0, e.at.col - 1)).replace(/[^\t]/g, ' ');
    out += `\n  ${e.sourceLine}\n  ${indent.padEnd(Math.max(0, e.at.col - 1), ' ')}^`;
  }
  return out;
}

/** Exit codes shared by every command: 0 clean, 1 drift, 2 bad input, 3 upstream/coverage, 4 internal. */
export const EXIT = { clean: 0, drift: 1, badInput: 2, upstream: 3, internal: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(kind: ErrorKind): ExitCode {
  switch (kind) {
    case 'bad-input': return EXIT.badInput;
    case 'upstream':
    case 'coverage': return EXIT.upstream;
    case 'internal': return EXIT.internal;
  }
}

/** Turns a line/col out of a text and an offset (1-based both), for parsers that track offsets. */
export function locate(text: string, offset: number): { line: number; col: number; sourceLine: string } {
  let line = 1, start = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; start = i + 1; }
  const end = text.indexOf('\n', start);
  return { line, col: offset - start + 1, sourceLine: text.slice(start, end < 0 ? text.length : end) };
}
