// Reads a YAML (or JSON) file and validates it against a JSON Schema with ajv.
// Every failure names file:line:col of the offending node, so users can jump straight to it.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type AnySchema } from 'ajv';
import { isMap, isSeq, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { DwFailure, dwError, type DwCode, type SourceLocation } from '../model/errors.ts';

const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true });
const validators = new WeakMap<object, ReturnType<typeof ajv.compile>>();

export type YamlCodes = { readonly syntax: DwCode; readonly schema: DwCode; readonly missing: DwCode };
const DEFAULT_CODES: YamlCodes = { syntax: 'DW1001', schema: 'DW1002', missing: 'DW1003' };

/** Parse + validate `text` (named `file` in messages). Throws DwFailure (kind bad-input). */
export function parseYamlWithSchema<T>(text: string, file: string, schema: AnySchema, codes: YamlCodes = DEFAULT_CODES): T {
  return parseYamlWithSchemaLocated<T>(text, file, schema, codes).value;
}

/** Where a path of the parsed document sits in the source, for checks a JSON Schema cannot express. */
export type YamlPlace = { readonly at: SourceLocation; readonly sourceLine: string };
/** Finds the node at `path` (object keys and array indexes); `on: 'key'` points at the key of the
 *  last segment instead of its value. Falls back to the nearest existing ancestor. */
export type YamlLocator = (path: readonly (string | number)[], on?: 'key' | 'value') => YamlPlace;
export type LocatedYaml<T> = { readonly value: T; readonly locate: YamlLocator };

/** Like parseYamlWithSchema, and also returns a locator so later semantic checks can name file:line:col. */
export function parseYamlWithSchemaLocated<T>(text: string, file: string, schema: AnySchema, codes: YamlCodes = DEFAULT_CODES): LocatedYaml<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { at: { file, line, col }, sourceLine: text.split('\n')[line - 1] ?? '' };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const w = where(e.pos[0]);
    throw new DwFailure(dwError(codes.syntax, 'bad-input', `invalid YAML: ${e.message.split('\n')[0]}`, w.at, w.sourceLine));
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  let validate = validators.get(schema as object);
  if (!validate) { validate = ajv.compile(schema); validators.set(schema as object, validate); }
  if (!validate(value)) {
    const err = validate.errors![0]!;
    const node = nodeAt(doc.contents as YamlNode | null, err);
    const w = where(node?.range?.[0] ?? 0);
    throw new DwFailure(dwError(codes.schema, 'bad-input', describe(err), w.at, w.sourceLine));
  }
  const locate: YamlLocator = (path, on = 'value') => {
    const node = nodeAtPath(doc.contents as YamlNode | null, path.map(String), on === 'key');
    return where(node?.range?.[0] ?? 0);
  };
  return { value: value as T, locate };
}

export function loadYamlWithSchema<T>(file: string, schema: AnySchema, codes: YamlCodes = DEFAULT_CODES): T {
  return loadYamlWithSchemaLocated<T>(file, schema, codes).value;
}

export function loadYamlWithSchemaLocated<T>(file: string, schema: AnySchema, codes: YamlCodes = DEFAULT_CODES): LocatedYaml<T> {
  let text: string;
  try { text = readFileSync(file, 'utf8'); }
  catch (e) { throw new DwFailure(dwError(codes.missing, 'bad-input', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)); }
  return parseYamlWithSchemaLocated<T>(text, file, schema, codes);
}

function describe(err: ErrorObject): string {
  const at = err.instancePath ? `${err.instancePath.slice(1).replaceAll('/', '.')}: ` : '';
  if (err.keyword === 'additionalProperties') return `${at}unknown key "${(err.params as { additionalProperty: string }).additionalProperty}"`;
  if (err.keyword === 'enum') return `${at}must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${at}${err.message ?? 'is invalid'}`;
}

/** Walks the YAML AST along the ajv instance path to the node the error is about. */
function nodeAt(root: YamlNode | null, err: ErrorObject): YamlNode | null {
  const segments = err.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (err.keyword === 'additionalProperties') segments.push((err.params as { additionalProperty: string }).additionalProperty);
  return nodeAtPath(root, segments, err.keyword === 'additionalProperties');
}

/** Walks the YAML AST along `segments`; stops at the deepest node that exists. */
function nodeAtPath(root: YamlNode | null, segments: readonly string[], keyOfLast: boolean): YamlNode | null {
  let node: YamlNode | null = root;
  for (let i = 0; i < segments.length && node; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1 && keyOfLast;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return node;
      node = (last ? pair.key : pair.value) as YamlNode | null;
    } else if (isSeq(node)) {
      const next = node.items[Number(seg)] as YamlNode | undefined;
      if (!next) return node;
      node = next;
    } else return node;
  }
  return node;
}
