// Shared test data for redaction: a seeded canary generator and a finding builder.
import type { Finding } from '../../src/model/findings.ts';
import { findingId, orgId, ruleId, surfaceId } from '../../src/model/ids.ts';

/** Deterministic randomness for canaries. */
export { mulberry32 as seeded } from '../../src/model/prng.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A random 32-character secret, like an OAuth client secret. */
export function canary(rand: () => number, length = 32): string {
  let s = '';
  while (s.length < length) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  // Guarantee digits and both cases so the value is unmistakably random-looking.
  return `${s.slice(0, length - 3)}7Qz`;
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: findingId('fnd-0001'),
    kind: 'drift',
    org: orgId('acme-prod'),
    surface: surfaceId('oauth-clients'),
    pathText: 'entities[id=drift-snapshotter].description',
    rule: ruleId('oauth.client.changed'),
    title: 'OAuth client changed',
    severity: 'medium',
    sensitivity: 'internal',
    frameworks: [{ framework: 'SOC2', control: 'CC6.1' }],
    driftKind: 'MODIFIED',
    old: 'read-only config snapshots',
    new: 'config snapshots',
    ...over,
  };
}
