// Golden-file helpers: volatile parts (times, run ids, digests, commits, signatures, UUIDs,
// keyed fingerprints, durations, the public key) become numbered placeholders, so equal values
// keep equal placeholders (the chain links stay visible) and the rest of the bytes are compared.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as assert from 'uvu/assert';

export function normalizeVolatile(text: string): string {
  const numbered = new Map<string, Map<string, number>>();
  const number = (kind: string) => (m: string): string => {
    const table = numbered.get(kind) ?? new Map<string, number>();
    numbered.set(kind, table);
    if (!table.has(m)) table.set(m, table.size + 1);
    return `<${kind}:${table.get(m)}>`;
  };
  return text
    .replace(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\\?n?/g, '<public-key>')
    .replace(/LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS[A-Za-z0-9+/=]+/g, '<public-key-base64>')
    .replace(/\d{8}T\d{9}Z-[0-9a-f]{8}/g, number('run'))
    .replace(/sha256:[0-9a-f]{64}/g, number('sha256'))
    .replace(/\b[0-9a-f]{40}\b/g, number('commit'))
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, number('uuid'))
    .replace(/hmac:[0-9a-f]{8,16}/g, 'hmac:<fingerprint>')
    .replace(/"signature": "[A-Za-z0-9+/]+={0,2}"/g, '"signature": "<signature>"')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/"durationsMs": \{[^}]*\}/g, '"durationsMs": "<durations>"')
    .replace(/ time="[0-9.]+"/g, ' time="<seconds>"');
}

/** Compares `actual` with the golden file; `UPDATE_GOLDEN=1` rewrites it instead. */
export function assertGolden(file: URL, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) assert.unreachable(`golden file ${file.pathname} is missing; run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(file.pathname), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  const expected = readFileSync(file, 'utf8');
  if (expected !== actual) {
    const a = actual.split('\n'), e = expected.split('\n');
    const i = a.findIndex((line, n) => line !== e[n]);
    assert.unreachable(`${file.pathname} differs at line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}\n(UPDATE_GOLDEN=1 rewrites it; review the diff)`);
  }
}
