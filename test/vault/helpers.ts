// Shared fixtures for the vault tests: runs to hang deposits on, sealed secrets as the
// normalize stage makes them, and a byte scanner for database files.
import { existsSync, readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { fingerprintJson } from '../../src/redact/fingerprint.ts';
import { SEALED_PREFIX, type SealedSecret } from '../../src/redact/seal-secrets.ts';
import { newRunId } from '../../src/store/run-id.ts';
import { orgId } from '../../src/model/ids.ts';
import { DwFailure } from '../../src/model/errors.ts';
import type { Json, RunRecord } from '../../src/model/findings.ts';

export const FINGERPRINT_KEY = new Uint8Array(32).fill(7);

export function secret(surface: string, pathText: string, value: Json, key: Uint8Array = FINGERPRINT_KEY): SealedSecret {
  return { surface, pathText, fingerprint: SEALED_PREFIX + fingerprintJson(value, key), value };
}

/** A run record of `org` at second `i` (deterministic id). */
export function runAt(i: number, org = 'acme'): RunRecord {
  const started = new Date(Date.UTC(2026, 10, 25, 10, 0, i));
  return {
    id: newRunId(started, () => new Uint8Array([i, i, i, i])), org: orgId(org),
    startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + 1000).toISOString(),
    status: 'drift', surfacesOk: 1, surfacesTotal: 1, driftCount: 1, findingCount: 1, durationsMs: {}, exitCode: 1,
  };
}

/** How often `needle` occurs in the bytes of the database file and its WAL/journal, if any. */
export function occurrencesInDatabase(file: string, needle: string): number {
  let count = 0;
  const bytes = Buffer.from(needle, 'utf8');
  for (const f of [file, `${file}-wal`, `${file}-journal`, `${file}-shm`]) {
    if (!existsSync(f)) continue;
    const hay = readFileSync(f);
    for (let at = hay.indexOf(bytes); at !== -1; at = hay.indexOf(bytes, at + 1)) count++;
  }
  return count;
}

export async function rejects(p: Promise<unknown>, code: string): Promise<DwFailure> {
  try { await p; } catch (e) {
    assert.instance(e, DwFailure);
    assert.is((e as DwFailure).error.code, code, (e as DwFailure).message);
    return e as DwFailure;
  }
  throw new Error(`expected ${code}, the call succeeded`);
}
