// Runs the git CLI for the baseline repository. Identity is always passed per command and the
// caller's GIT_* environment is dropped, so commits never depend on global config or on a
// surrounding hook's GIT_DIR/GIT_INDEX_FILE.
import { execFile } from 'node:child_process';
import { DwFailure, dwError, fail } from '../model/errors.ts';

export const GIT_FAILED = 'DW2104';

export type GitIdentity = { readonly name: string; readonly email: string };

const MAX_OUTPUT = 64 * 1024 * 1024;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

export type GitResult = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Runs git in `cwd`; never throws for a non-zero exit (the caller decides), only when git can't run. */
export function gitRaw(cwd: string, args: readonly string[], identity?: GitIdentity): Promise<GitResult> {
  const ident = identity ? ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`] : [];
  // Signing would prompt or fail in automation; the commit is attributed by identity instead.
  const full = [...ident, '-c', 'commit.gpgsign=false', '-c', 'core.quotepath=false', ...args];
  return new Promise((resolve, reject) => {
    execFile('git', full, { cwd, env: cleanEnv(), maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new DwFailure(dwError(GIT_FAILED, 'internal', code === 'ENOENT' ? `cannot start git in ${cwd}: git is not on PATH or the folder does not exist` : `cannot run git in ${cwd}: ${code}`)));
        return;
      }
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const INDEX_LOCKED = /index\.lock': File exists/;
const LOCK_RETRIES = 5;

/** Runs git and returns stdout; a non-zero exit becomes DwFailure DW2104 with git's own words.
 *  Another process holding the index lock (a second driftwarden, an editor) is waited out briefly. */
export async function git(cwd: string, args: readonly string[], identity?: GitIdentity): Promise<string> {
  let r = await gitRaw(cwd, args, identity);
  for (let attempt = 1; attempt <= LOCK_RETRIES && r.code !== 0 && INDEX_LOCKED.test(r.stderr); attempt++) {
    await new Promise((done) => setTimeout(done, 40 * attempt));
    r = await gitRaw(cwd, args, identity);
  }
  if (r.code !== 0) fail(GIT_FAILED, 'internal', `git ${args[0]} failed in ${cwd}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** Top folder of the repository holding `dir`, or null when `dir` is in none. */
export async function repoRoot(dir: string): Promise<string | null> {
  const r = await gitRaw(dir, ['rev-parse', '--show-toplevel']);
  return r.code === 0 ? r.stdout.trim() : null;
}

export async function hasCommits(root: string): Promise<boolean> {
  return (await gitRaw(root, ['rev-parse', '--verify', '-q', 'HEAD'])).code === 0;
}

// git takes a lock on the index, so two commits racing in one process would fail. All baseline
// git work in this process goes through one queue, entered synchronously at call time, so
// operations also land in the order they were asked for.
let queue: Promise<unknown> = Promise.resolve();

export function withGitLock<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.then(() => undefined, () => undefined);
  return run;
}
