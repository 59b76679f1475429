// Daemon test workspaces: a git repo with driftwarden.yaml (one org with a schedule), a captured
// baseline, and ways to run a Daemon in-process or `driftwarden daemon --json` as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SIM_AUDITOR, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import type { RunRecord } from '../../src/model/findings.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { prepareChecks } from '../../src/pipeline/check-org.ts';
import { redactionFor, reportDir, stateDir, surfacesFor } from '../../src/cli/session.ts';
import { Daemon, type DaemonEvent, type DaemonOptions } from '../../src/daemon/index.ts';
import { capture } from '../helpers/workspace.ts';
import { main } from '../../src/cli/main.ts';

export const REPO = resolve('.');

export type DaemonWorkspace = { readonly dir: string; readonly config: string; readonly env: NodeJS.ProcessEnv; close(): void };

/** `extra`: more top-level config lines; `files`: written beside the config before the baseline capture. */
export async function daemonWorkspace(sim: Simulator, org: { schedule: string; blindAfterMinutes?: number; heartbeatUrl?: string }, extra: string[] = [],
  files: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<DaemonWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'dw-daemon-'));
  execFileSync('git', ['init', '-q', dir]);
  const config = join(dir, 'driftwarden.yaml');
  writeFileSync(config, [
    'orgs:',
    '  - id: acme',
    `    apiBase: ${sim.url}`,
    '    credentials:',
    '      env: { clientId: SIM_ID, clientSecret: SIM_SECRET }',
    `    schedule: "${org.schedule}"`,
    ...(org.blindAfterMinutes !== undefined ? [`    blindAfterMinutes: ${org.blindAfterMinutes}`] : []),
    ...(org.heartbeatUrl !== undefined ? [`    heartbeatUrl: "${org.heartbeatUrl}"`] : []),
    'policies: { dirs: [] }',
    'rateLimit: { requestsPerMinute: 3000 }',
    'retry: { maxRetries: 1, maxTotalWaitMs: 2000 }',
    'attribution: { enabled: false }',
    ...extra,
    '',
  ].join('\n'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1',
    SIM_ID: SIM_AUDITOR.clientId, SIM_SECRET: SIM_AUDITOR.clientSecret, DRIFTWARDEN_USER: 'Test Auditor', ...extraEnv,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const out = capture(); const err = capture();
  const code = await main(['baseline', 'capture', '--as', 'Test Auditor'], env, dir, { stdout: out.stream, stderr: err.stream });
  if (code !== 0) throw new Error(`baseline capture failed: ${err.text()}`);
  return { dir, config, env, close: () => rmSync(dir, { recursive: true, force: true }) };
}

export type InProcess = { readonly daemon: Daemon; readonly events: DaemonEvent[]; readonly store: Store; stop(): Promise<void> };

/** A Daemon on its own store connection (one per file per process, see src/store/README.md). */
export async function startInProcess(ws: DaemonWorkspace, opts: Partial<Pick<DaemonOptions, 'now' | 'leaseMs'>> & { onEvent?: (e: DaemonEvent, d: Daemon) => void } = {}, beforeStart?: (store: Store) => Promise<void>): Promise<InProcess> {
  const config = loadConfig(ws.config);
  const store = await openStore(config.store.path);
  await beforeStart?.(store);
  const setup = await prepareChecks({
    config, store, env: ws.env, surfaces: surfacesFor(config), redaction: redactionFor(config, ws.env),
    reportDir: reportDir(config), stateDir: stateDir(config),
  });
  const events: DaemonEvent[] = [];
  const { onEvent, ...daemonOpts } = opts;
  const daemon: Daemon = new Daemon({ setup, orgs: config.orgs, onEvent: (e) => { events.push(e); onEvent?.(e, daemon); }, ...daemonOpts });
  await daemon.start();
  return {
    daemon, events, store,
    async stop() {
      await daemon.stop('test');
      const outbox = setup.stages.outbox as { close?: () => Promise<void> } | undefined;
      await outbox?.close?.();
      await store.close();
    },
  };
}

/** Polls until `pred` holds; a timeout is a failure with the events so far, not a timing assertion. */
export async function waitFor<T>(what: string, pred: () => T | undefined | false, timeoutMs = 8000, events?: readonly unknown[]): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}${events ? `; events: ${JSON.stringify(events).slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type Child = { readonly proc: ChildProcess; readonly events: DaemonEvent[]; stderr(): string; readonly exited: Promise<number | null> };

/** `driftwarden daemon --json` in a child process; its JSON lines are parsed into events. */
export function spawnDaemon(ws: DaemonWorkspace, args: string[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'daemon', '--json', '--config', ws.config, ...args], {
    cwd: REPO, env: ws.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: DaemonEvent[] = [];
  let buf = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i); buf = buf.slice(i + 1);
      if (line.trim()) { try { events.push(JSON.parse(line) as DaemonEvent); } catch { err += `unparsed stdout: ${line}\n`; } }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, events, stderr: () => err, exited };
}

/** The per-test setup of the process suites: a fresh simulator, daemons killed and the
 *  workspace removed afterwards, whatever the test did. */
export type ProcessCtx = { sim: Simulator; ws?: DaemonWorkspace; children: Child[] };
export function processSuite(name: string) {
  const t = suite<ProcessCtx>(name);
  t.before.each(async (ctx) => { ctx.sim = await startSimulator({ seed: 9 }); ctx.children = []; });
  t.after.each(async (ctx) => {
    for (const c of ctx.children) if (c.proc.exitCode === null && c.proc.signalCode === null) { c.proc.kill('SIGKILL'); await c.exited; }
    ctx.ws?.close();
    await ctx.sim.close();
    ctx.ws = undefined;
  });
  return t;
}

export const eventsOf = <T extends DaemonEvent['type']>(events: readonly DaemonEvent[], type: T) => events.filter((e): e is Extract<DaemonEvent, { type: T }> => e.type === type);
export const storeOf = (ws: DaemonWorkspace) => openStore(join(ws.dir, '.driftwarden', 'driftwarden.db'));

/** Invariants of any store a daemon left behind, however it ended. */
export async function assertConsistent(store: Store): Promise<readonly RunRecord[]> {
  const runs = await store.listRuns({ limit: 1000 });
  for (const r of runs) {
    assert.ok(['clean', 'drift', 'coverage-gap', 'failed'].includes(r.status), r.status);
    assert.ok(r.finishedAt >= r.startedAt, `${r.id} ends before it starts`);
    assert.is(r.status === 'failed', r.error !== undefined, `${r.id}: failed runs (and only they) carry an error`);
    if (r.status !== 'failed') assert.is(r.surfacesTotal, 17);
  }
  return runs;
}
