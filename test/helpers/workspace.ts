// A throwaway driftwarden workspace (own git repo, config, store) wired to a running simulator,
// and an in-process CLI runner that captures every byte written to stdout and stderr.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { SIM_AUDITOR, type Simulator } from '../../src/simulator/index.ts';

export type CliResult = { readonly code: number; readonly stdout: string; readonly stderr: string };
export type Workspace = {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  run(argv: readonly string[]): Promise<CliResult>;
  /** Every byte any command of this workspace printed. */
  readonly printed: () => string;
  close(): void;
};

export function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export function makeWorkspace(sim: Simulator, opts: { extraConfig?: string; policies?: string[]; retries?: number } = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'dw-ws-'));
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(join(dir, 'driftwarden.yaml'), [
    'orgs:',
    '  - id: acme',
    `    apiBase: ${sim.url}`,
    '    credentials:',
    '      env: { clientId: SIM_ID, clientSecret: SIM_SECRET }',
    `policies: { dirs: ${JSON.stringify(opts.policies ?? [])} }`,
    'rateLimit: { requestsPerMinute: 3000 }',
    `retry: { maxRetries: ${opts.retries ?? 4}, maxTotalWaitMs: 8000 }`,
    'attribution: { enabled: false }',
    opts.extraConfig ?? '',
  ].join('\n'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1',
    SIM_ID: SIM_AUDITOR.clientId, SIM_SECRET: SIM_AUDITOR.clientSecret, DRIFTWARDEN_USER: 'Test Auditor',
  };
  let all = '';
  return {
    dir, env,
    async run(argv) {
      const out = capture();
      const err = capture();
      const code = await main(argv, env, dir, { stdout: out.stream, stderr: err.stream });
      all += out.text() + err.text();
      return { code, stdout: out.text(), stderr: err.text() };
    },
    printed: () => all,
    close() { rmSync(dir, { recursive: true, force: true }); },
  };
}
