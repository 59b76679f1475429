// From a finding id to the secret it is about. A drift finding on a secret path carries the
// sealed fingerprints in its (redacted) old/new values ("[REDACTED] hmac:…"); the vault entry
// with that org, surface and fingerprint is the value behind it. The findings themselves are
// read from the run reports on disk (`<stateDir>/reports/<run id>.json`, newest first): they
// exist for every completed run, whatever else is configured.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type FindingRef = {
  readonly id: string;
  readonly org: string;
  readonly surface: string;
  readonly pathText: string;
  /** Fingerprints (`sealed:hmac:…`) in the finding's new value, then in its old value. */
  readonly newFingerprints: readonly string[];
  readonly oldFingerprints: readonly string[];
};

/** Finds a finding by id; null when no report knows it. */
export type FindingLookup = (findingId: string) => Promise<FindingRef | null>;

const FINGERPRINT = /hmac:[0-9a-f]{16}/g;
const fingerprintsIn = (v: unknown): string[] =>
  v === undefined ? [] : [...new Set(JSON.stringify(v).match(FINGERPRINT) ?? [])].map((f) => `sealed:${f}`);

/** Looks findings up in the run reports of `reportDir`, newest report first. */
export function findingsFromReports(reportDir: string): FindingLookup {
  return async (findingId) => {
    let names: string[];
    try { names = (await readdir(reportDir)).filter((n) => n.endsWith('.json')); } catch { return null; }
    // Run ids start with their UTC start time, so names sort by time.
    for (const name of names.sort().reverse()) {
      let report: { findings?: unknown };
      try { report = JSON.parse(await readFile(join(reportDir, name), 'utf8')) as { findings?: unknown }; } catch { continue; }
      if (!Array.isArray(report.findings)) continue;
      for (const f of report.findings as Record<string, unknown>[]) {
        if (f?.id !== findingId || typeof f.org !== 'string' || typeof f.surface !== 'string') continue;
        return {
          id: findingId, org: f.org, surface: f.surface, pathText: typeof f.pathText === 'string' ? f.pathText : '',
          newFingerprints: fingerprintsIn(f.new), oldFingerprints: fingerprintsIn(f.old),
        };
      }
    }
    return null;
  };
}
