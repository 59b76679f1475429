// The parser's internal failure: a Diagnostic travelling up the recursive descent.
// The public entry points turn it into a DwFailure with the formatted source line + caret.
import type { Diagnostic } from '../diagnostics.ts';

export class ParseError extends Error {
  readonly diagnostic: Diagnostic;
  /** Raised after the parser committed to an alternative (e.g. inside a comprehension
   *  body): backtracking must not swallow it. */
  readonly committed: boolean;
  constructor(diagnostic: Diagnostic, committed = false) {
    super(`${diagnostic.pos.file}:${diagnostic.pos.line}:${diagnostic.pos.col} ${diagnostic.code} ${diagnostic.message}`);
    this.name = 'ParseError';
    this.diagnostic = diagnostic;
    this.committed = committed;
  }
}
