// METADATA annotations: a `# METADATA` comment line followed by YAML in the comment lines
// directly below it, attached to the next statement (OPA's annotation format).
//   # METADATA
//   # title: MFA disabled
//   # custom:
//   #   severity: high
//   mfa_disabled contains finding if { ... }
// Default scope: `package` above a package declaration, `rule` above a rule. `document`
// applies to every rule of the same path in the module.
import { parseDocument } from 'yaml';
import { ANNOTATION_SCOPES } from '../ast.ts';
import type { Annotation, AnnotationScope, Module, Pos, Rule, Term } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Comment } from './lexer.ts';
import type { ParsedModule, StatementStart } from './parser.ts';

type Block = { readonly header: Comment; readonly lines: readonly Comment[] };

const KNOWN_KEYS = new Set([
  'scope', 'title', 'description', 'entrypoint', 'organizations', 'related_resources', 'authors', 'schemas', 'custom',
  // Accepted like OPA, not represented in the AST.
  'labels', 'compile',
]);

class MetadataError extends Error {
  constructor(readonly pos: Pos, message: string) { super(message); }
}

export function attachAnnotations(parsed: ParsedModule, _text: string): { module: Module; diagnostics: readonly Diagnostic[] } {
  const { module } = parsed;
  const diagnostics: Diagnostic[] = [];
  const all: Annotation[] = [];
  const byRule = new Map<number, Annotation[]>();
  const documentScoped: { annotation: Annotation; path: string }[] = [];

  for (const block of findBlocks(parsed.comments)) {
    try {
      const target = nextStatement(parsed.statements, block);
      if (!target) throw new MetadataError(block.header.pos, 'METADATA block is not followed by a package or a rule');
      const raw = parseBlockYaml(block);
      const scope = readScope(raw, block, target);
      const path = target.kind === 'package'
        ? packagePath(module.package)
        : packagePath(module.package) + refPath(module.rules[target.ruleIndex].head.ref);
      const annotation = toAnnotation(raw, block, scope, path);
      all.push(annotation);
      if (target.kind === 'rule') {
        if (scope === 'document') documentScoped.push({ annotation, path });
        else byRule.set(target.ruleIndex, [...(byRule.get(target.ruleIndex) ?? []), annotation]);
      }
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      diagnostics.push({ code: 'DW3020', message: e.message, pos: e.pos });
    }
  }

  const rules: Rule[] = module.rules.map((rule, i) => {
    const path = packagePath(module.package) + refPath(rule.head.ref);
    const own = byRule.get(i) ?? [];
    const docs = documentScoped.filter((d) => d.path === path).map((d) => d.annotation);
    return own.length + docs.length === 0 ? rule : { ...rule, annotations: [...own, ...docs] };
  });
  return { module: { ...module, rules, annotations: all }, diagnostics };
}

function findBlocks(comments: readonly Comment[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (!c.ownLine || c.text.trim() !== 'METADATA') continue;
    const lines: Comment[] = [];
    let last = c;
    for (let j = i + 1; j < comments.length; j++) {
      const n = comments[j];
      if (!n.ownLine || n.pos.line !== last.pos.line + 1) break;
      lines.push(n);
      last = n;
    }
    blocks.push({ header: c, lines });
    i += lines.length;
  }
  return blocks;
}

function nextStatement(statements: readonly StatementStart[], block: Block): StatementStart | undefined {
  const lastLine = (block.lines.at(-1) ?? block.header).pos.line;
  return statements.find((s) => s.line > lastLine);
}

/** Text after `#`, one leading space removed (as OPA does), so indentation is relative. */
const yamlLineOf = (c: Comment): string => (c.text.startsWith(' ') ? c.text.slice(1) : c.text);

function parseBlockYaml(block: Block): Record<string, unknown> {
  const text = block.lines.map(yamlLineOf).join('\n');
  if (text.trim() === '') throw new MetadataError(block.header.pos, 'expected YAML after # METADATA, found nothing');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const line = block.lines[Math.min((at?.line ?? 1) - 1, block.lines.length - 1)];
    const shift = line.text.startsWith(' ') ? 2 : 1; // '#' and the stripped space
    const pos: Pos = { ...line.pos, col: line.pos.col + shift + (at?.col ?? 1) - 1 };
    throw new MetadataError(pos, `invalid YAML in METADATA block: ${firstLine(problem.message)}`);
  }
  const value: unknown = doc.toJS();
  if (!isRecord(value)) throw new MetadataError(block.lines[0].pos, 'a METADATA block must be a YAML mapping (key: value lines)');
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new MetadataError(lineOfKey(block, key), `unknown METADATA key "${key}" (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
  }
  return value;
}

function readScope(raw: Record<string, unknown>, block: Block, target: StatementStart): AnnotationScope {
  const given = raw['scope'];
  if (given === undefined) return target.kind === 'package' ? 'package' : 'rule';
  if (typeof given !== 'string' || !(ANNOTATION_SCOPES as readonly string[]).includes(given)) {
    throw new MetadataError(lineOfKey(block, 'scope'), `invalid METADATA scope ${JSON.stringify(given)}: use one of ${ANNOTATION_SCOPES.join(', ')}`);
  }
  const scope = given as AnnotationScope;
  const onPackage = scope === 'package' || scope === 'subpackages';
  if (onPackage && target.kind !== 'package') {
    throw new MetadataError(lineOfKey(block, 'scope'), `METADATA scope ${scope} must be placed above the package declaration, not above a rule`);
  }
  if (!onPackage && target.kind !== 'rule') {
    throw new MetadataError(lineOfKey(block, 'scope'), `METADATA scope ${scope} must be placed above a rule, not above the package declaration`);
  }
  return scope;
}

function toAnnotation(raw: Record<string, unknown>, block: Block, scope: AnnotationScope, path: string): Annotation {
  const bad = (key: string, what: string): never => {
    throw new MetadataError(lineOfKey(block, key), `invalid METADATA ${key}: ${what}`);
  };
  const str = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : bad(key, 'expected a string');
  };
  const out: { -readonly [K in keyof Annotation]: Annotation[K] } = { scope, pos: block.header.pos, path };
  const title = str('title');
  if (title !== undefined) out.title = title;
  const description = str('description');
  if (description !== undefined) out.description = description;
  if (raw['entrypoint'] !== undefined && raw['entrypoint'] !== null) {
    if (typeof raw['entrypoint'] !== 'boolean') bad('entrypoint', 'expected true or false');
    out.entrypoint = raw['entrypoint'] as boolean;
  }
  const orgs = raw['organizations'];
  if (orgs !== undefined && orgs !== null) {
    if (!Array.isArray(orgs) || !orgs.every((o) => typeof o === 'string')) bad('organizations', 'expected a list of strings');
    out.organizations = orgs as string[];
  }
  const related = raw['related_resources'];
  if (related !== undefined && related !== null) {
    if (!Array.isArray(related)) bad('related_resources', 'expected a list');
    out.relatedResources = (related as unknown[]).map((r) => {
      if (typeof r === 'string') return r.trim() !== '' ? { ref: r.trim() } : bad('related_resources', 'ref URL may not be empty');
      if (isRecord(r) && typeof r['ref'] === 'string' && r['ref'].trim() !== '') {
        const d = typeof r['description'] === 'string' ? r['description'].trim() : undefined;
        return { ref: r['ref'].trim(), ...(d ? { description: d } : {}) };
      }
      return bad('related_resources', "each entry is a URL string or {ref, description} with a non-empty 'ref'");
    });
  }
  const authors = raw['authors'];
  if (authors !== undefined && authors !== null) {
    if (!Array.isArray(authors)) bad('authors', 'expected a list');
    out.authors = (authors as unknown[]).map((a) => parseAuthor(a) ?? bad('authors', "each entry is 'Name <email>' or {name, email}"));
  }
  const schemas = raw['schemas'];
  if (schemas !== undefined && schemas !== null) {
    if (!Array.isArray(schemas) || !schemas.every((s) => isRecord(s) && Object.keys(s).length === 1)) {
      bad('schemas', 'expected a list of single-key mappings (- input: schema.x)');
    }
    out.schemas = schemas as unknown[];
  }
  const custom = raw['custom'];
  if (custom !== undefined && custom !== null) {
    if (!isRecord(custom)) bad('custom', 'expected a mapping');
    out.custom = custom as Record<string, unknown>;
  }
  return out;
}

/** `Jane Doe <jane@example.com>` or {name, email}; undefined when neither is given. */
function parseAuthor(a: unknown): { name?: string; email?: string } | undefined {
  if (typeof a === 'string') {
    const parts = a.trim().split(/\s+/).filter((p) => p !== '');
    if (parts.length === 0) return undefined;
    const last = parts[parts.length - 1];
    if (last.length >= 2 && last.startsWith('<') && last.endsWith('>')) {
      const name = parts.slice(0, -1).join(' ');
      return { ...(name ? { name } : {}), email: last.slice(1, -1) };
    }
    return { name: parts.join(' ') };
  }
  if (isRecord(a)) {
    const name = typeof a['name'] === 'string' ? a['name'].trim() : '';
    const email = typeof a['email'] === 'string' ? a['email'].trim() : '';
    if (!name && !email) return undefined;
    return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
  }
  return undefined;
}

function lineOfKey(block: Block, key: string): Pos {
  const line = block.lines.find((c) => new RegExp(`^\\s*${key}\\s*:`).test(yamlLineOf(c)));
  if (!line) return block.header.pos;
  const shift = line.text.startsWith(' ') ? 2 : 1;
  const indent = yamlLineOf(line).search(/\S/);
  return { ...line.pos, col: line.pos.col + shift + Math.max(0, indent) };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const segment = (s: string): string => (IDENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`);

export function packagePath(pkg: readonly string[]): string {
  return 'data' + pkg.map(segment).join('');
}

/** The rule's ref up to its first non-string segment (OPA's ground prefix). */
function refPath(ref: readonly Term[]): string {
  let out = '';
  for (const t of ref) {
    if (t.type !== 'string') break;
    out += segment(t.value);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
}

const firstLine = (s: string): string => s.split('\n')[0].replace(/ at line \d+, column \d+:$/, '');
