// Snapshot files: pretty JSON with a formatVersion, secrets masked, written atomically; read
// back with validation that names file:line:col of the first problem.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Ajv } from 'ajv';
import { DwFailure, dwError, fail, locate } from '../model/errors.ts';
import { parseYamlWithSchema } from '../config/load-yaml.ts';
import { SNAPSHOT_FORMAT_VERSION, SURFACE_STATUSES, type Snapshot } from '../model/findings.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import { maskSnapshotSecrets } from './mask-secrets.ts';

const SNAPSHOT_SCHEMA = {
  type: 'object',
  required: ['formatVersion', 'org', 'region', 'takenAt', 'toolVersion', 'surfaces'],
  additionalProperties: false,
  properties: {
    formatVersion: { const: SNAPSHOT_FORMAT_VERSION },
    org: { type: 'string', minLength: 1 },
    region: { type: 'string', minLength: 1 },
    takenAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
    toolVersion: { type: 'string' },
    surfaces: {
      type: 'array',
      items: {
        type: 'object',
        required: ['surface', 'status'],
        additionalProperties: false,
        properties: {
          surface: { type: 'string', minLength: 1 },
          status: { enum: [...SURFACE_STATUSES] },
          reason: { type: 'string' },
          missingPermission: { type: 'string' },
          data: {},
        },
        // An ok surface without data would diff as "everything removed".
        if: { properties: { status: { const: 'ok' } } },
        then: { required: ['data'] },
        else: { required: ['reason'] },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile(SNAPSHOT_SCHEMA);
const CODES = { missing: 'DW4201', syntax: 'DW4202', schema: 'DW4203' } as const;

/** Parses and validates snapshot JSON; `file` names the source in messages. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const offset = jsonErrorOffset(text) ?? 0;
    const { line, col, sourceLine } = locate(text, offset);
    const what = offset >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[offset])}`;
    return fail(CODES.syntax, 'bad-input', `invalid JSON: ${what}`, { file, line, col }, sourceLine);
  }
  // A clearer message than "must be equal to constant" for files from another driftwarden version.
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (value && typeof value === 'object' && version !== undefined && version !== SNAPSHOT_FORMAT_VERSION) {
    const at = locateKey(text, 'formatVersion');
    return fail('DW4204', 'bad-input',
      `unsupported snapshot formatVersion ${JSON.stringify(version)}; this driftwarden reads version ${SNAPSHOT_FORMAT_VERSION}`,
      at && { file, line: at.line, col: at.col }, at?.sourceLine);
  }
  if (!validate(value)) {
    // Re-run through the YAML loader only to find the offending node's position (JSON is YAML).
    parseYamlWithSchema(text, file, SNAPSHOT_SCHEMA, { ...CODES });
    const err = validate.errors?.[0];
    return fail(CODES.schema, 'bad-input', `${file}: ${err?.instancePath || '/'} ${err?.message ?? 'is invalid'}`);
  }
  const snapshot = value as Snapshot;
  if (Number.isNaN(Date.parse(snapshot.takenAt))) {
    const at = locateKey(text, 'takenAt');
    return fail(CODES.schema, 'bad-input', `takenAt: "${snapshot.takenAt}" is not a valid date`, at && { file, line: at.line, col: at.col }, at?.sourceLine);
  }
  const seen = new Set<string>();
  for (const s of snapshot.surfaces) {
    if (seen.has(s.surface)) return fail('DW4205', 'bad-input', `${file}: surface "${s.surface}" appears twice`);
    seen.add(s.surface);
  }
  return snapshot;
}

export function readSnapshotFile(file: string): Snapshot {
  let text: string;
  try { text = readFileSync(file, 'utf8'); }
  catch (e) { return fail(CODES.missing, 'bad-input', `cannot read snapshot ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
  return parseSnapshot(text, file);
}

/** Stable text form: 2-space JSON with a final newline (diff-friendly in git). */
export function formatSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Writes the snapshot with the catalog's secret fields masked (`surfaces` is required so a caller
 * cannot forget), mode 0600, via a temporary file and rename so a crash never leaves half a file.
 */
export function writeSnapshotFile(file: string, snapshot: Snapshot, surfaces: readonly SurfaceDef[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, formatSnapshot(maskSnapshotSecrets(snapshot, surfaces)), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    if (e instanceof DwFailure) throw e;
    throw new DwFailure(dwError('DW4206', 'internal', `cannot write snapshot ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
  }
}

function locateKey(text: string, key: string): { line: number; col: number; sourceLine: string } | undefined {
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? undefined : locate(text, i);
}
