// A multi-day history against the real simulator: baseline captured through the CLI, then runs
// through runCheck with an injected clock (one day apart) and real admin changes in between.
// Only the policy and evidence stages are wired, so these tests do not depend on the stages other
// rooms are building; the policy is a small test-local bundle so its METADATA frameworks (and the
// golden files) do not move when the shipped policies change.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, SIM_AUDITOR, type Simulator } from '../../src/simulator/index.ts';
import { adminSession, applyDemoDrift } from '../../src/simulator/admin.ts';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { redactionFor, reportDir, stateDir, surfacesFor } from '../../src/cli/session.ts';
import { connectOrg } from '../../src/pipeline/connect.ts';
import { runCheck, type RunOutcome } from '../../src/pipeline/run-check.ts';
import { createPolicyStage } from '../../src/pipeline/factories/policy.ts';
import { createEvidenceStage } from '../../src/pipeline/factories/evidence.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Config } from '../../src/config/config.ts';

export const TEST_POLICY = `# Test-local policies: one posture rule and one drift rule with framework controls.
package driftwarden.posture

import rego.v1

# METADATA
# title: Multi-factor authentication is not required
# custom:
#   severity: critical
#   sensitivity: confidential
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "8.4.2"}
#     - {framework: SOC 2, control: CC6.1}
mfa_not_required contains v if {
	input.snapshot["authentication-settings"].multifactorAuthenticationRequired != true
	v := {"surface": "authentication-settings", "path": "multifactorAuthenticationRequired", "message": "users can sign in without a second factor"}
}
`;

export const TEST_DRIFT_POLICY = `package driftwarden.drift

import rego.v1

# METADATA
# title: IP allow-list widened
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: ISO 27001:2022, control: A.8.20}
#     - {framework: HIPAA, control: "164.312(e)(1)"}
ip_allowlist_widened contains i if {
	some i, d in input.drift
	d.surface == "authentication-settings"
	startswith(d.pathText, "ipAddressAllowlist[")
	d.kind == "ADDED"
}
`;

export type History = {
  readonly dir: string;
  readonly configFile: string;
  readonly config: Config;
  readonly sim: Simulator;
  readonly outcomes: readonly RunOutcome[];
  readonly env: NodeJS.ProcessEnv;
  /** CLI in-process, in the workspace (prints to stdout: wrap in quietly/captured). */
  cli(argv: readonly string[]): Promise<number>;
  close(): Promise<void>;
};

const DAY = 86_400_000;
export const HISTORY_START = Date.parse('2026-03-02T08:00:00.000Z');

/** `orgs` org ids share one simulator (each is its own baseline and run history). */
export async function buildHistory(opts: { readonly orgs: readonly string[]; readonly seed?: number }): Promise<History> {
  const sim = await startSimulator({ seed: opts.seed ?? 11 });
  const dir = await mkdtemp(join(tmpdir(), 'dw-report-'));
  try {
    execFileSync('git', ['init', '-q', dir]);
    await mkdir(join(dir, 'policies'), { recursive: true });
    await writeFile(join(dir, 'policies', 'posture.rego'), TEST_POLICY);
    await writeFile(join(dir, 'policies', 'drift.rego'), TEST_DRIFT_POLICY);
    const configFile = join(dir, 'driftwarden.yaml');
    await writeFile(configFile, [
      'orgs:',
      ...opts.orgs.flatMap((id) => [
        `  - id: ${id}`,
        `    apiBase: ${sim.url}`,
        '    credentials:',
        '      env: { clientId: DW_TEST_CLIENT_ID, clientSecret: DW_TEST_CLIENT_SECRET }',
      ]),
      'baselines: { dir: baselines }',
      'store: { path: .driftwarden/driftwarden.db }',
      'policies: { dirs: [policies] }',
      'rateLimit: { requestsPerMinute: 3000 }',
      '',
    ].join('\n'));
    const env: NodeJS.ProcessEnv = { ...process.env, DW_TEST_CLIENT_ID: SIM_AUDITOR.clientId, DW_TEST_CLIENT_SECRET: SIM_AUDITOR.clientSecret, NO_COLOR: '1' };
    const cli = (argv: readonly string[]) => main(argv, env, dir);
    if (await quietly(() => cli(['baseline', 'capture', '--as', 'Test Lead'])) !== 0) throw new Error('baseline capture failed');

    const config = loadConfig(configFile);
    const outcomes: RunOutcome[] = [];
    const runDay = async (day: number) => {
      let t = HISTORY_START + day * DAY;
      const now = () => new Date(t += 3);
      const store = await openStore(config.store.path);
      try {
        const redaction = redactionFor(config, env);
        const ctx = { config, store, env, redaction, stateDir: stateDir(config), now };
        const policy = await createPolicyStage(ctx);
        const evidence = await createEvidenceStage(ctx);
        for (const org of config.orgs) {
          const { client } = connectOrg(config, org, { env });
          try {
            outcomes.push(await runCheck({ config, org, surfaces: surfacesFor(config), reportDir: reportDir(config), configDigest: 'sha256:' + 'c'.repeat(64) }, {
              client, store, redaction, now, ...(policy ? { policy } : {}), ...(evidence ? { evidence } : {}),
            }));
          } finally { await client.close(); }
        }
      } finally { await store.close(); }
    };
    const admin = adminSession(sim);
    await runDay(0);                                  // day 1: as approved
    await applyDemoDrift(admin);                      // an administrator changes the org
    await runDay(1);                                  // day 2: drift found
    await admin.request('PATCH', '/api/v2/organizations/authentication/settings', { multifactorAuthenticationRequired: true });
    await runDay(2);                                  // day 3: MFA back on, the rest remains
    return {
      dir, configFile, config, sim, outcomes, env, cli,
      async close() { await sim.close(); await rm(dir, { recursive: true, force: true }); },
    };
  } catch (e) {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Runs `fn` with process.stdout quiet (the CLI prints human output there); returns its result. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try { return await fn(); } finally { process.stdout.write = write; }
}

/** Runs `fn` capturing what it writes to stdout. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ readonly result: T; readonly stdout: string }> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'); return true; }) as typeof process.stdout.write;
  try { return { result: await fn(), stdout: out }; } finally { process.stdout.write = write; }
}
