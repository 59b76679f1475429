// End-to-end harness for the lifecycle, waiver and attribution tests: a real simulator, a temp
// workspace with its own git baseline repo, the CLI in-process, and runCheck with an injected
// clock. Everything it starts is stopped by close().
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startSimulator, SIM_AUDITOR, type Simulator } from '../../src/simulator/index.ts';
import { adminSession, type AdminSession } from '../../src/simulator/admin.ts';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { redactionFor, reportDir, stateDir, surfacesFor } from '../../src/cli/session.ts';
import { connectOrg } from '../../src/pipeline/connect.ts';
import { runCheck, type RunOutcome } from '../../src/pipeline/run-check.ts';
import { createLifecycleStage } from '../../src/pipeline/factories/lifecycle.ts';
import { createWaiversStage } from '../../src/pipeline/factories/waivers.ts';
import { createAttributionStage } from '../../src/pipeline/factories/attribution.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { Config } from '../../src/config/config.ts';
import type { Finding } from '../../src/model/findings.ts';
import type { AttributionStage, LifecycleStage } from '../../src/pipeline/stages.ts';

export const ORG = 'acme-test';
export const DEFAULT_SURFACES = ['authentication-settings', 'idle-token-timeout', 'oauth-clients', 'features'];

export type WorkspaceOptions = {
  readonly seed?: number;
  readonly surfaces?: readonly string[];
  /** Extra driftwarden.yaml lines (top-level keys). */
  readonly extraConfig?: readonly string[];
  readonly waiversYaml?: string;
};

export type Cli = { readonly code: number; readonly stdout: string; readonly stderr: string };

export type Workspace = {
  readonly sim: Simulator;
  readonly admin: AdminSession;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  cli(argv: readonly string[]): Promise<Cli>;
  config(): Config;
  /** One check through runCheck with the clock at `at`; `findings` are what persist received. */
  check(at: Date, opts?: { attribution?: boolean }): Promise<CheckResult>;
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type CheckResult = {
  readonly outcome: RunOutcome;
  /** The unredacted findings handed to lifecycle.persist (state, waiver, attribution on them). */
  readonly persisted: readonly Finding[];
  readonly resolved: readonly Finding[];
  /** What attribution returned (undefined when it did not run). */
  readonly attributed?: readonly Finding[];
};

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void { this.text += chunk.toString(); cb(); }
}

export async function workspace(opts: WorkspaceOptions = {}): Promise<Workspace> {
  const sim = await startSimulator({ seed: opts.seed ?? 11 });
  const dir = await mkdtemp(join(tmpdir(), 'dw-lifecycle-'));
  execFileSync('git', ['init', '-q', dir]);
  // An empty policy folder: these tests are about lifecycle, waivers and attribution, not rules.
  await mkdir(join(dir, 'policies'));
  const surfaces = opts.surfaces ?? DEFAULT_SURFACES;
  await writeFile(join(dir, 'driftwarden.yaml'), [
    'orgs:',
    `  - id: ${ORG}`,
    `    apiBase: ${sim.url}`,
    '    credentials:',
    '      env: { clientId: T_CLIENT_ID, clientSecret: T_CLIENT_SECRET }',
    'baselines: { dir: baselines }',
    'store: { path: .driftwarden/driftwarden.db }',
    `surfaces: { include: [${surfaces.join(', ')}] }`,
    'rateLimit: { requestsPerMinute: 3000 }',
    'retry: { maxRetries: 0, maxTotalWaitMs: 1000 }',
    ...(opts.waiversYaml !== undefined ? ['waivers: waivers.yaml'] : []),
    ...(opts.extraConfig ?? []),
    '',
  ].join('\n'));
  if (opts.waiversYaml !== undefined) await writeFile(join(dir, 'waivers.yaml'), opts.waiversYaml);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: dir, NO_COLOR: '1',
    T_CLIENT_ID: SIM_AUDITOR.clientId, T_CLIENT_SECRET: SIM_AUDITOR.clientSecret,
    DRIFTWARDEN_USER: 'Test Lead', GIT_CONFIG_NOSYSTEM: '1',
  };
  const cli = async (argv: readonly string[]): Promise<Cli> => {
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await main(argv, env, dir, { stdout, stderr });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const config = () => loadConfig(join(dir, 'driftwarden.yaml'));
  const withStore = async <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore(config().store.path);
    try { return await fn(store); } finally { await store.close(); }
  };

  const check = async (at: Date, o: { attribution?: boolean } = {}): Promise<CheckResult> => {
    const cfg = config();
    const org = cfg.orgs[0]!;
    const redaction = redactionFor(cfg, env);
    return withStore(async (store) => {
      const now = () => at;
      const ctx = { config: cfg, store, env, redaction, stateDir: stateDir(cfg), now };
      const realLifecycle = (await createLifecycleStage(ctx))!;
      const waivers = await createWaiversStage(ctx);
      let persisted: readonly Finding[] = [];
      let resolved: readonly Finding[] = [];
      const lifecycle: LifecycleStage = {
        assess: (...a) => realLifecycle.assess(...a),
        persist: async (tx, run, current, res) => { persisted = current; resolved = res; await realLifecycle.persist(tx, run, current, res); },
      };
      const { client } = connectOrg(cfg, org, { env });
      try {
        let attributed: readonly Finding[] | undefined;
        const real = o.attribution ? await createAttributionStage(ctx, client) : undefined;
        const attribution: AttributionStage | undefined = real && {
          attribute: async (...a) => (attributed = await real.attribute(...a)),
        };
        const outcome = await runCheck({ config: cfg, org, surfaces: surfacesFor(cfg), reportDir: reportDir(cfg) }, {
          client, store, redaction, lifecycle, now,
          ...(waivers ? { waivers } : {}), ...(attribution ? { attribution } : {}),
        });
        return { outcome, persisted, resolved, ...(attributed ? { attributed } : {}) };
      } finally { await client.close(); }
    });
  };

  return {
    sim, admin: adminSession(sim), dir, env, cli, config, check, withStore,
    async close() { await sim.close(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** Captures the approved baseline through the CLI; throws when it does not succeed. */
export async function captureBaseline(ws: Workspace): Promise<void> {
  const r = await ws.cli(['baseline', 'capture', '--as', 'Test Lead']);
  if (r.code !== 0) throw new Error(`baseline capture failed (${r.code}): ${r.stderr}${r.stdout}`);
}

export const day = (n: number): Date => new Date(Date.UTC(2026, 10, 1 + n, 8, 0, 0));

export async function setMfa(ws: Workspace, required: boolean): Promise<void> {
  await ws.admin.request('PATCH', '/api/v2/organizations/authentication/settings', { multifactorAuthenticationRequired: required });
}
