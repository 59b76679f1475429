// Recursive-descent parser for Rego v1 (OPA 1.x default syntax), producing ../ast.ts.
// Structure and precedence follow OPA's v1/ast/parser.go (facts taken, code our own):
//   expression  := term [ (`=` | `:=`) term ]          with* modifiers after it
//   term        := in-term                              (`x in xs`, `k, v in xs`)
//   in-term     := relation { `in` relation }
//   relation    := or { (`==` `!=` `<` `<=` `>` `>=`) or }
//   or          := and { `|` and }       and := arith { `&` arith }
//   arith       := factor { (`+` `-`) factor }   factor := primary { (`*` `/` `%`) primary }
// All binary operators are left-associative. `k, v in xs` is only recognised where a comma
// cannot mean something else (expression sides, rule values, some/every), never inside
// collection literals or call arguments.
import type {
  ArrayTerm, Body, BooleanTerm, CallTerm, Expr, ExprKind, Import, Module, Pos, RefTerm, Rule, RuleHead, RuleKind,
  StringTerm, Term, VarTerm, WithModifier,
} from '../ast.ts';
import type { DwCode } from '../../../model/errors.ts';
import { lex } from './lexer.ts';
import type { Comment, Token, TokenKind } from './lexer.ts';
import { ParseError } from './parse-error.ts';
import { appendRef, callName, containsVar, headText } from './term-helpers.ts';

/** Where each top-level statement starts; METADATA blocks attach to the next one. */
export type StatementStart =
  | { readonly kind: 'package'; readonly line: number }
  | { readonly kind: 'rule'; readonly line: number; readonly ruleIndex: number };

export type ParsedModule = {
  readonly module: Omit<Module, 'annotations'>;
  readonly comments: readonly Comment[];
  readonly statements: readonly StatementStart[];
};

const RELATION_OPS: Readonly<Record<string, string>> = { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const ARITH_OPS: Readonly<Record<string, string>> = { '+': 'plus', '-': 'minus' };
const FACTOR_OPS: Readonly<Record<string, string>> = { '*': 'mul', '/': 'div', '%': 'rem' };
const MEMBER_2 = 'internal.member_2';
const MEMBER_3 = 'internal.member_3';
/** Import roots that only switch on syntax; v1 has it all, so they are accepted and dropped. */
const SYNTAX_IMPORT_ROOTS = new Set(['future', 'rego']);
const IMPORT_ROOTS = new Set(['data', 'input']);

type End = '}' | ']' | 'eof';

export class Parser {
  private readonly toks: readonly Token[];
  private i = 0;
  private wildcards = 0;
  private readonly primaryMemo = new Map<number, { wild: number; term?: Term; error?: ParseError; end: number; wildAfter: number }>();
  /** Calls written as `x in xs` / `k, v in xs` (some/every accept only these). */
  private readonly inCalls = new WeakSet<Term>();
  readonly comments: readonly Comment[];

  constructor(private readonly text: string, private readonly file: string) {
    const lexed = lex(text, file);
    this.toks = lexed.tokens;
    this.comments = lexed.comments;
  }

  // ------------------------------------------------------------ token helpers
  private get tok(): Token { return this.toks[this.i]; }
  private kind(): TokenKind { return this.toks[this.i].kind; }
  private get prev(): Token { return this.toks[Math.max(0, this.i - 1)]; }
  private peek(k = 1): Token { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  private advance(): Token { const t = this.tok; if (t.kind !== 'eof') this.i++; return t; }
  private isPunct(p: string, t: Token = this.tok): boolean { return t.kind === 'punct' && t.text === p; }
  private isKw(k: string, t: Token = this.tok): boolean { return t.kind === 'keyword' && t.text === k; }
  /** `contains` is a keyword only after a rule head; elsewhere it is the builtin's name. */
  private isContains(): boolean { return this.tok.kind === 'ident' && this.tok.text === 'contains'; }
  private error(code: DwCode, message: string, pos: Pos = this.tok.pos): never {
    throw new ParseError({ code, message, pos });
  }
  private describe(t: Token = this.tok): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'string') return t.raw ? 'raw string' : `string ${JSON.stringify(t.text)}`;
    if (t.kind === 'number') return `number ${t.text}`;
    if (t.kind === 'keyword') return `keyword "${t.text}"`;
    if (t.kind === 'ident') return `name "${t.text}"`;
    return `"${t.text}"`;
  }
  private unexpected(expected: string): never {
    return this.error('DW3001', `unexpected ${this.describe()}, expected ${expected}`);
  }
  private expectPunct(p: string, expected = `"${p}"`): Token {
    if (!this.isPunct(p)) this.unexpected(expected);
    return this.advance();
  }
  /** Runs `f`; on a ParseError rewinds to where it started and returns undefined. */
  private attempt<T>(f: () => T): T | undefined {
    const saved = this.i, savedWild = this.wildcards;
    try { return f(); } catch (e) {
      if (!(e instanceof ParseError) || e.committed) throw e;
      this.i = saved; this.wildcards = savedWild;
      return undefined;
    }
  }
  /** True when the current token starts on a later line than the previous token ended. */
  private onNewLine(): boolean { return this.i === 0 || this.tok.pos.line > this.prev.endLine; }

  // ------------------------------------------------------------ module
  parseModule(): ParsedModule {
    const statements: StatementStart[] = [];
    if (!this.isKw('package')) {
      this.error('DW3010', `a module must start with a package declaration (e.g. \`package driftwarden.drift\`), found ${this.describe()}`);
    }
    const pkgTok = this.advance();
    statements.push({ kind: 'package', line: pkgTok.pos.line });
    const pkgPath = this.parsePackagePath();
    const imports: Import[] = [];
    const rules: Rule[] = [];
    while (this.kind() !== 'eof') {
      if (!this.onNewLine()) this.unexpected('a new line before the next statement');
      if (this.isKw('import')) {
        const imp = this.parseImport();
        if (imp) imports.push(imp);
      } else if (this.isKw('package')) {
        this.error('DW3010', 'a module can only have one package declaration');
      } else if (this.isKw('default') || this.kind() === 'ident') {
        statements.push({ kind: 'rule', line: this.tok.pos.line, ruleIndex: rules.length });
        rules.push(this.parseRule());
      } else {
        this.unexpected('a rule, an import or the end of the file');
      }
    }
    return {
      module: { file: this.file, package: pkgPath, packagePos: pkgTok.pos, imports, rules },
      comments: this.comments,
      statements,
    };
  }

  private parsePackagePath(): string[] {
    const path: string[] = [];
    if (this.kind() !== 'ident') this.unexpected('a package name');
    path.push(this.advance().text);
    for (;;) {
      if (this.isPunct('.') && !this.tok.spaceBefore) {
        this.advance();
        if (this.kind() !== 'ident') this.unexpected('a name after "."');
        path.push(this.advance().text);
      } else if (this.isPunct('[') && !this.tok.spaceBefore) {
        this.advance();
        if (this.kind() !== 'string') this.unexpected('a string in a package path');
        path.push(this.advance().text);
        this.expectPunct(']');
      } else break;
    }
    // `package data.x` names the same package as `package x`.
    return path[0] === 'data' && path.length > 1 ? path.slice(1) : path;
  }

  private parseImport(): Import | undefined {
    const importTok = this.advance();
    if (this.kind() !== 'ident') this.unexpected('an import path such as data.lib or input.x');
    const headTok = this.advance();
    const head: VarTerm = { type: 'var', name: headTok.text, pos: headTok.pos };
    const path: Term[] = [];
    for (;;) {
      if (this.isPunct('.') && !this.tok.spaceBefore) {
        this.advance();
        if (this.kind() !== 'ident' && this.kind() !== 'keyword') this.unexpected('a name after "."');
        const t = this.advance();
        path.push({ type: 'string', value: t.text, pos: t.pos });
      } else if (this.isPunct('[') && !this.tok.spaceBefore) {
        this.advance();
        if (this.kind() !== 'string') this.unexpected('a string in an import path');
        const t = this.advance();
        path.push({ type: 'string', value: t.text, pos: t.pos });
        this.expectPunct(']');
      } else break;
    }
    let alias: string | undefined;
    if (this.isKw('as')) {
      this.advance();
      if (this.kind() !== 'ident') this.unexpected('an alias name after "as"');
      alias = this.advance().text;
    }
    if (SYNTAX_IMPORT_ROOTS.has(head.name)) {
      const text = [head.name, ...path.map((p) => (p as StringTerm).value)].join('.');
      if (text !== 'rego.v1' && text !== 'future.keywords' && !text.startsWith('future.keywords.')) {
        this.error('DW3009', `unknown import ${text}: only rego.v1 and future.keywords... are known`, headTok.pos);
      }
      return undefined;
    }
    if (!IMPORT_ROOTS.has(head.name)) {
      this.error('DW3009', `import must begin with data or input, found ${head.name}`, headTok.pos);
    }
    const pathTerm: RefTerm | VarTerm = path.length === 0 ? head : { type: 'ref', head, path, pos: head.pos };
    return { path: pathTerm, ...(alias !== undefined ? { alias } : {}), pos: importTok.pos };
  }

  // ------------------------------------------------------------ rules
  private parseRule(): Rule {
    const startTok = this.tok;
    const isDefault = this.isKw('default');
    if (isDefault) this.advance();
    const head = this.parseRuleHead(isDefault, startTok.pos);
    if (isDefault) {
      if (this.isKw('if') || this.isPunct('{')) this.error('DW3006', 'a default rule cannot have a body: write `default p := <value>`');
      if (this.isKw('else')) this.error('DW3006', 'a default rule cannot have an else branch');
      return { head, body: [], isDefault, elses: [], annotations: [], pos: startTok.pos };
    }
    let body: Body = [];
    if (this.isKw('if')) {
      this.advance();
      body = this.parseIfBody();
    } else if (this.isPunct('{')) {
      const oldPartialSet = head.kind === 'partial-object' && head.ref.length === 2 && !head.value;
      this.error('DW3005', oldPartialSet
        ? `rego v1 requires \`contains\` and \`if\` for a partial set rule: write \`${headText({ ...head, ref: head.ref.slice(0, 1) })} contains ${head.ref[1].type === 'var' ? head.ref[1].name : '<value>'} if { ... }\``
        : `rego v1 requires \`if\` before a rule body: write \`${this.text.slice(startTok.offset, this.prev.end)} if { ... }\``);
    } else if (head.kind !== 'partial-set' && head.value === undefined) {
      this.error('DW3008', `rule ${headText(head)} needs a value (\`:= v\`), \`contains\` or a body (\`if ...\`)`, head.pos);
    }
    const elses: { value?: Term; body: Body; pos: Pos }[] = [];
    while (this.isKw('else')) {
      if (head.kind !== 'complete' && head.kind !== 'function') {
        this.error('DW3007', 'else can only follow complete rules and functions');
      }
      const elseTok = this.advance();
      let value: Term | undefined;
      if (this.isPunct(':=') || this.isPunct('=')) {
        this.advance();
        value = this.parseInfix(true);
      } else if (!this.isKw('if') && !this.isPunct('{')) {
        this.unexpected('an else value (`else := v`) or a body (`else if { ... }`)');
      }
      let elseBody: Body = [];
      if (this.isKw('if')) {
        this.advance();
        elseBody = this.parseIfBody();
      } else if (this.isPunct('{')) {
        this.error('DW3005', 'rego v1 requires `if` before an else body: write `else if { ... }` or `else := v if { ... }`');
      }
      elses.push({ value: value ?? { type: 'boolean', value: true, pos: elseTok.pos }, body: elseBody, pos: elseTok.pos });
    }
    return { head, body, isDefault, elses, annotations: [], pos: startTok.pos };
  }

  private parseRuleHead(isDefault: boolean, rulePos: Pos): RuleHead {
    if (this.kind() !== 'ident') {
      this.unexpected(isDefault ? 'a rule name after default' : 'a rule name');
    }
    const nameTok = this.advance();
    const ref: Term[] = [{ type: 'string', value: nameTok.text, pos: nameTok.pos }];
    let args: Term[] | undefined;
    for (;;) {
      if (this.isPunct('.') && args === undefined) {
        this.advance();
        if (this.kind() !== 'ident' && this.kind() !== 'keyword') this.unexpected('a name after "." in the rule head');
        const t = this.advance();
        ref.push({ type: 'string', value: t.text, pos: t.pos });
      } else if (this.isPunct('[') && args === undefined) {
        this.advance();
        ref.push(this.parseInfix(false));
        this.expectPunct(']');
      } else if (this.isPunct('(') && args === undefined) {
        this.advance();
        args = this.parseList(')');
        if (args.length === 0) this.error('DW3008', 'a function needs at least one parameter', nameTok.pos);
      } else break;
    }
    let key: Term | undefined, value: Term | undefined, assign = false;
    if (this.isContains()) {
      if (isDefault) this.error('DW3006', 'a default rule cannot use contains');
      if (args) this.error('DW3007', 'contains can only be used with multi-value rules (e.g. p contains x if { ... }), not functions');
      this.advance();
      key = this.parseInfix(true);
    } else if (this.isPunct(':=') || this.isPunct('=')) {
      assign = this.advance().text === ':=';
      value = this.parseInfix(true);
    } else if (isDefault) {
      this.unexpected('`:=` or `=` and the default value');
    }
    if (isDefault && value && containsVar(value)) {
      this.error('DW3006', 'the value of a default rule must be a constant (no variables, references or calls)', value.pos);
    }
    if (isDefault && args) {
      const seen = new Set<string>();
      for (const a of args) {
        if (a.type !== 'var') this.error('DW3006', 'the parameters of a default function must be plain variables', a.pos);
        if (seen.has(a.name)) this.error('DW3006', `the parameters of a default function cannot repeat ${a.name}`, a.pos);
        seen.add(a.name);
      }
    }
    const dynamic = ref.slice(1).some((t) => t.type !== 'string');
    const kind: RuleKind = args ? 'function' : key ? 'partial-set' : dynamic ? 'partial-object' : 'complete';
    if (kind !== 'partial-set' && value === undefined && this.isKw('if')) {
      value = { type: 'boolean', value: true, pos: nameTok.pos } satisfies BooleanTerm;
    }
    return {
      ref, kind,
      ...(args ? { args } : {}),
      ...(key ? { key } : {}),
      ...(value ? { value } : {}),
      assign,
      pos: isDefault ? nameTok.pos : rulePos,
    };
  }

  /** After `if`: either `{ body }` or a single expression (OPA tries the expression first
   *  and falls back to a braced body when it reads a set literal like `{ x }`). */
  private parseIfBody(): Body {
    if (this.isPunct('{')) {
      const lit = this.attempt(() => {
        const e = this.parseLiteral();
        if (e.kind.type === 'term' && e.kind.term.type === 'set') throw new ParseError({ code: 'DW3001', message: 'set literal', pos: e.pos });
        if (e.kind.type === 'term' && e.kind.term.type === 'object' && e.kind.term.items.length === 0 && !e.negated && e.with.length === 0) {
          throw new ParseError({ code: 'DW3001', message: 'found an empty body: write at least one expression before "}"', pos: this.prev.pos }, true);
        }
        if (!this.atStatementEnd()) throw new ParseError({ code: 'DW3001', message: 'not a single expression', pos: this.tok.pos });
        return e;
      });
      if (lit) return [lit];
      const open = this.advance();
      const body = this.parseBody('}', open);
      this.expectPunct('}', '"}" or a new line before the next expression');
      return body;
    }
    if (this.kind() === 'eof') this.unexpected('a rule body after `if`');
    return [this.parseLiteral()];
  }

  private atStatementEnd(): boolean {
    return this.kind() === 'eof' || this.isKw('else') || this.onNewLine();
  }

  // ------------------------------------------------------------ bodies and expressions
  /** Expressions separated by `;` or new lines, up to (not including) `end`; `open` is
   *  the bracket that started the body, blamed when the file ends before `end`. */
  parseBody(end: End, open?: Token): Body {
    const body: Expr[] = [];
    const atEnd = (): boolean => (end === 'eof' ? this.kind() === 'eof' : this.isPunct(end));
    if (atEnd()) this.error('DW3001', end === 'eof' ? 'empty query' : `found an empty body: write at least one expression before "${end}"`);
    for (;;) {
      if (end !== 'eof' && this.kind() === 'eof') {
        this.error('DW3001', `"${open?.text ?? ''}" is never closed: the file ends before its "${end}"`, open?.pos ?? this.tok.pos);
      }
      body.push(this.parseLiteral());
      if (this.isPunct(';')) {
        this.advance();
        if (atEnd()) return body;
        continue;
      }
      if (atEnd()) return body;
      if (!this.onNewLine()) this.unexpected(end === 'eof' ? '";", a new line or the end of the query' : `";", a new line or "${end}"`);
    }
  }

  parseLiteral(): Expr {
    const start = this.tok;
    let negated = false;
    if (this.isKw('not')) { this.advance(); negated = true; }
    let kind: ExprKind;
    if (this.isKw('some')) {
      if (negated) this.error('DW3001', 'some cannot be negated');
      kind = this.parseSome();
    } else if (this.isKw('every')) {
      if (negated) this.error('DW3001', 'every cannot be negated');
      kind = this.parseEvery();
    } else {
      kind = this.parseExprKind();
    }
    const withs: WithModifier[] = [];
    while (this.isKw('with')) withs.push(this.parseWith());
    return { kind, negated, with: withs, pos: start.pos };
  }

  private parseExprKind(): ExprKind {
    const left = this.parseInfix(true);
    if (this.isPunct('=') || this.isPunct(':=')) {
      const op = this.advance().text;
      const right = this.parseInfix(true);
      return op === '=' ? { type: 'unify', left, right } : { type: 'assign', left, right };
    }
    return { type: 'term', term: left };
  }

  private parseWith(): WithModifier {
    const withTok = this.advance();
    const target = this.parsePrimary();
    if (!(target.type === 'var' || (target.type === 'ref' && target.head.type === 'var' && target.path.every((p) => p.type === 'string')))) {
      this.error('DW3001', 'the target of with must be input, data, a reference into them, or a function name', target.pos);
    }
    if (!this.isKw('as')) this.unexpected('"as" after the with target');
    this.advance();
    const value = this.parseInfix(true);
    return { target, value, pos: withTok.pos };
  }

  private parseSome(): ExprKind {
    this.advance();
    // `some x, y` declares vars; anything followed by `in` (or a pattern) is `some ... in xs`.
    let j = this.i;
    let plainVars = true;
    for (;;) {
      if (this.toks[j].kind !== 'ident') { plainVars = false; break; }
      j++;
      if (this.isPunct(',', this.toks[j])) { j++; continue; }
      const after = this.toks[j];
      // `some x in xs`, or a pattern/ref/call before `in` (`some numbers.range(1, 2) in xs`).
      if (this.isKw('in', after) || (after.kind === 'punct' && !after.spaceBefore && ['.', '[', '('].includes(after.text))) plainVars = false;
      break;
    }
    if (plainVars) {
      const vars: VarTerm[] = [];
      for (;;) {
        const t = this.advance();
        vars.push({ type: 'var', name: t.text, pos: t.pos });
        if (!this.isPunct(',')) break;
        this.advance();
      }
      return { type: 'some-decl', vars };
    }
    const t = this.parseInfix(true);
    if (t.type !== 'call' || !this.inCalls.has(t)) {
      this.error('DW3001', 'expected `some x, y`, `some x in xs` or `some k, v in xs`', t.pos);
    }
    const a = t.args;
    return a.length === 2
      ? { type: 'some-in', value: a[0], collection: a[1] }
      : { type: 'some-in', key: a[0], value: a[1], collection: a[2] };
  }

  private parseEvery(): ExprKind {
    const everyTok = this.advance();
    const t = this.parseInfix(true);
    if (t.type !== 'call' || !this.inCalls.has(t)) {
      this.error('DW3001', 'expected `every x in xs { ... }` or `every k, v in xs { ... }`', everyTok.pos);
    }
    const [key, value, domain] = t.args.length === 2 ? [undefined, t.args[0], t.args[1]] : [t.args[0], t.args[1], t.args[2]];
    if (key && key.type !== 'var') this.error('DW3001', 'the key of every must be a variable', key.pos);
    if (value.type !== 'var') this.error('DW3001', 'the value of every must be a variable', value.pos);
    if (!this.isPunct('{')) this.unexpected('"{" and the body of every');
    const open = this.advance();
    const body = this.parseBody('}', open);
    this.expectPunct('}', '"}" or a new line before the next expression');
    return { type: 'every', ...(key ? { key: key as VarTerm } : {}), value: value as VarTerm, domain, body };
  }

  // ------------------------------------------------------------ terms by precedence
  /** `keyVal`: whether `k, v in xs` may be read here (not inside lists/arguments). */
  parseInfix(keyVal: boolean): Term {
    let lhs = this.parseRelation();
    if (keyVal && this.isPunct(',')) {
      const mid = this.attempt(() => {
        this.advance();
        const m = this.parseRelation();
        if (!this.isKw('in')) throw new ParseError({ code: 'DW3001', message: 'not k, v in xs', pos: this.tok.pos });
        return m;
      });
      if (mid) {
        const inTok = this.advance();
        lhs = this.memberCall(MEMBER_3, inTok, [lhs, mid, this.parseRelation()]);
      }
    }
    while (this.isKw('in')) {
      const inTok = this.advance();
      lhs = this.memberCall(MEMBER_2, inTok, [lhs, this.parseRelation()]);
    }
    return lhs;
  }

  private memberCall(op: string, inTok: Token, args: Term[]): CallTerm {
    const call: CallTerm = { type: 'call', op, opPos: inTok.pos, args, pos: args[0].pos };
    this.inCalls.add(call);
    return call;
  }

  private parseBinary(next: () => Term, ops: Readonly<Record<string, string>>): Term {
    let lhs = next();
    while (this.kind() === 'punct' && Object.hasOwn(ops, this.tok.text)) {
      const opTok = this.advance();
      const rhs = next();
      lhs = { type: 'call', op: ops[opTok.text], opPos: opTok.pos, args: [lhs, rhs], pos: lhs.pos };
    }
    return lhs;
  }
  private parseRelation(): Term { return this.parseBinary(() => this.parseOr(), RELATION_OPS); }
  /** A comprehension's head (`[x + 1 | …]`): every operator but `|`, which starts the body. */
  private parseComprehensionHead(): Term { return this.parseBinary(() => this.parseAnd(), RELATION_OPS); }
  private parseOr(): Term { return this.parseBinary(() => this.parseAnd(), { '|': 'or' }); }
  private parseAnd(): Term { return this.parseBinary(() => this.parseArith(), { '&': 'and' }); }
  private parseArith(): Term { return this.parseBinary(() => this.parseFactor(), ARITH_OPS); }
  private parseFactor(): Term { return this.parseBinary(() => this.parsePrimary(), FACTOR_OPS); }

  /** A single term with its `.x`, `[i]` and `(args)` continuations (no infix operators).
   *  Memoised per start token (as OPA's parser does): collection literals are parsed
   *  speculatively, and without the memo nested literals would be re-parsed 2^depth times. */
  parsePrimary(): Term {
    const start = this.i, wild = this.wildcards;
    const hit = this.primaryMemo.get(start);
    if (hit && hit.wild === wild) {
      if (hit.error) throw hit.error;
      this.i = hit.end;
      this.wildcards = hit.wildAfter;
      return hit.term as Term;
    }
    try {
      const term = this.parsePrimaryUncached();
      this.primaryMemo.set(start, { wild, term, end: this.i, wildAfter: this.wildcards });
      return term;
    } catch (e) {
      if (e instanceof ParseError) this.primaryMemo.set(start, { wild, error: e, end: start, wildAfter: wild });
      throw e;
    }
  }

  private parsePrimaryUncached(): Term {
    const t = this.tok;
    let term: Term;
    switch (t.kind) {
      case 'number': this.advance(); term = { type: 'number', value: t.text, pos: t.pos }; break;
      case 'string': this.advance(); term = { type: 'string', value: t.text, pos: t.pos }; break;
      case 'keyword':
        if (t.text === 'null') { this.advance(); term = { type: 'null', pos: t.pos }; break; }
        if (t.text === 'true' || t.text === 'false') { this.advance(); term = { type: 'boolean', value: t.text === 'true', pos: t.pos }; break; }
        return this.error('DW3001', `unexpected keyword "${t.text}", expected a term`);
      case 'ident':
        this.advance();
        if (t.text === 'set' && this.isPunct('(') && !this.tok.spaceBefore && this.isPunct(')', this.peek())) {
          this.advance(); this.advance();
          term = { type: 'set', items: [], pos: t.pos };
          break;
        }
        term = { type: 'var', name: t.text === '_' ? this.freshWildcard() : t.text, pos: t.pos };
        break;
      case 'punct':
        if (t.text === '[') { term = this.parseArray(); break; }
        if (t.text === '{') { term = this.parseBrace(); break; }
        if (t.text === '(') {
          this.advance();
          term = this.parseInfix(true);
          this.expectPunct(')');
          break;
        }
        if (t.text === '-') {
          // As OPA: `-` before a number is part of the literal; before a name it is
          // `minus(0, ref)`; anything else is an error.
          this.advance();
          const n = this.tok;
          if (n.kind === 'number') {
            this.advance();
            term = { type: 'number', value: '-' + n.text, pos: t.pos };
            break;
          }
          if (n.kind === 'ident') {
            const operand = this.parsePrimary();
            return { type: 'call', op: 'minus', opPos: t.pos, args: [{ type: 'number', value: '0', pos: t.pos }, operand], pos: t.pos };
          }
          return this.unexpected('a number or a name after unary "-"');
        }
        return this.unexpected('a term');
      default:
        return this.unexpected('a term');
    }
    return this.parseTermFinish(term);
  }

  private freshWildcard(): string { return `$_${this.wildcards++}`; }

  private parseTermFinish(head: Term): Term {
    let term = head;
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'punct' || t.spaceBefore) return term;
      if ((t.text === '.' || t.text === '[') && (term.type === 'string' || term.type === 'number' || term.type === 'boolean' || term.type === 'null')) {
        this.error('DW3001', `illegal reference: a ${term.type} cannot be indexed`, term.pos);
      }
      if (t.text === '.') {
        this.advance();
        // Keywords are fine after a dot (`input.in`, `data.x.if`), as in OPA 1.x.
        if ((this.kind() !== 'ident' && this.kind() !== 'keyword') || this.tok.spaceBefore) this.unexpected('a name after "."');
        const seg = this.advance();
        term = appendRef(term, { type: 'string', value: seg.text, pos: seg.pos });
      } else if (t.text === '[') {
        this.advance();
        const index = this.parseInfix(false);
        this.expectPunct(']');
        term = appendRef(term, index);
      } else if (t.text === '(') {
        const op = callName(term);
        if (op === undefined) this.error('DW3001', 'only names like f, lib.f or data.lib.f can be called', t.pos);
        this.advance();
        const args = this.parseList(')');
        term = { type: 'call', op, opPos: term.pos, args, pos: term.pos };
      } else return term;
    }
  }

  /** Comma-separated terms up to `close` (trailing comma allowed); consumes `close`. */
  private parseList(close: ')' | ']' | '}'): Term[] {
    const items: Term[] = [];
    while (!this.isPunct(close)) {
      items.push(this.parseInfix(false));
      if (this.isPunct(',')) { this.advance(); continue; }
      if (!this.isPunct(close)) this.unexpected(`"," or "${close}"`);
    }
    this.advance();
    return items;
  }

  private parseArray(): Term {
    const open = this.advance();
    if (this.isPunct(']')) { this.advance(); return { type: 'array', items: [], pos: open.pos }; }
    // `[x | body]` wins over `[x | y]` (set union) as in OPA: try the comprehension head first.
    const head = this.attempt(() => {
      const h = this.parseComprehensionHead();
      if (!this.isPunct('|')) throw new ParseError({ code: 'DW3001', message: 'not a comprehension', pos: this.tok.pos });
      return h;
    });
    if (head) {
      this.advance();
      return { type: 'arraycompr', term: head, body: this.commitBody(open, ']'), pos: open.pos };
    }
    const items = this.parseList(']');
    return { type: 'array', items, pos: open.pos } satisfies ArrayTerm;
  }

  private parseBrace(): Term {
    const open = this.advance();
    if (this.isPunct('}')) { this.advance(); return { type: 'object', items: [], pos: open.pos }; }
    const compr = this.attempt((): Term => {
      const h = this.parseComprehensionHead();
      if (this.isPunct('|')) {
        this.advance();
        return { type: 'setcompr', term: h, body: this.commitBody(open), pos: open.pos };
      }
      if (this.isPunct(':')) {
        this.advance();
        const v = this.parseComprehensionHead();
        if (this.isPunct('|')) {
          this.advance();
          return { type: 'objectcompr', key: h, value: v, body: this.commitBody(open), pos: open.pos };
        }
      }
      throw new ParseError({ code: 'DW3001', message: 'not a comprehension', pos: this.tok.pos });
    });
    if (compr) return compr;
    const first = this.parseInfix(false);
    if (this.isPunct(':')) {
      this.advance();
      const items: (readonly [Term, Term])[] = [[first, this.parseInfix(false)]];
      while (this.isPunct(',')) {
        this.advance();
        if (this.isPunct('}')) break;
        const k = this.parseInfix(false);
        this.expectPunct(':', '":" after the object key');
        items.push([k, this.parseInfix(false)]);
      }
      this.expectPunct('}', '"," or "}"');
      return { type: 'object', items, pos: open.pos };
    }
    const items: Term[] = [first];
    while (this.isPunct(',')) {
      this.advance();
      if (this.isPunct('}')) break;
      items.push(this.parseInfix(false));
    }
    this.expectPunct('}', '"," or "}"');
    return { type: 'set', items, pos: open.pos };
  }

  /** A comprehension body after `|`: errors inside it are real errors, never backtracked. */
  private commitBody(open: Token, end: '}' | ']' = '}'): Body {
    try {
      const body = this.parseBody(end, open);
      this.expectPunct(end, `"${end}" or a new line before the next expression`);
      return body;
    } catch (e) {
      if (e instanceof ParseError && !e.committed) throw new ParseError(e.diagnostic, true);
      throw e;
    }
  }

  // ------------------------------------------------------------ entry points for queries/terms
  parseQueryBody(): Body {
    const body = this.parseBody('eof');
    return body;
  }

  parseSingleTerm(): Term {
    const t = this.parseInfix(false);
    if (this.kind() !== 'eof') this.unexpected('the end of the term');
    return t;
  }
}
