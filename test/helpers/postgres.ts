// A throwaway PostgreSQL server for tests: initdb into a temp folder, start it on 127.0.0.1 (free
// port, unix socket in the same temp folder, trust auth, fsync off), create a database, and stop
// and delete everything again. Needs the PostgreSQL server binaries (`apt-get install postgresql`
// on Debian puts them in /usr/lib/postgresql/<version>/bin). As root, the server runs as the
// `postgres` OS user (PostgreSQL refuses to run as root).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export type PostgresServer = {
  /** URL of a database created for the caller. */
  readonly url: string;
  /** Creates another empty database on the same server and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
};

/** The folder holding `initdb` and `pg_ctl`, or null when PostgreSQL is not installed. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (has(dir)) return dirname(realpathSync(join(dir, 'pg_ctl')));
  }
  // Debian and Ubuntu keep the server binaries off PATH, one folder per major version.
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  return null;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  return findPostgresBin() ? null : 'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; install them with `apt-get install -y postgresql`';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server and creates a database. Throws (with the reason) when PostgreSQL is missing. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(postgresUnavailable()!);
  const root = mkdtempSync('/tmp/dw-pg-');
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  // PostgreSQL will not run as root: hand the folder to the postgres user and run as it.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    try { chownSync(root, id('-u'), id('-g')); } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`running as root needs the \`postgres\` OS user (Debian's postgresql package creates it): ${(e as Error).message}`);
    }
  }
  const as = (file: string, args: readonly string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, [...args]));
  const pgCtl = join(bin, 'pg_ctl');
  let started = false;
  const stopNow = () => {
    if (!started) return;
    started = false;
    try { execFileSync(...command(asRoot, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' }); } catch { /* already gone */ }
  };
  // If the test process ends without calling stop() (a crash, Ctrl-C, a timeout's SIGTERM), do
  // not leave a server behind. A signal is re-raised after cleaning up, so it still ends the process.
  const onExit = () => { stopNow(); rmSync(root, { recursive: true, force: true }); };
  const onSignal = (signal: NodeJS.Signals) => { forget(); onExit(); process.kill(process.pid, signal); };
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const watch = () => { process.on('exit', onExit); for (const s of SIGNALS) process.once(s, onSignal); };
  const forget = () => { process.off('exit', onExit); for (const s of SIGNALS) process.off(s, onSignal); };
  try {
    await as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const settings = [`-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${root}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=100'];
    watch();
    started = true;
    await as(pgCtl, ['-D', data, '-l', log, '-w', '-t', '30', '-o', settings.join(' '), 'start']);
    const base = `postgres://postgres@127.0.0.1:${port}`;
    let n = 0;
    const createDatabase = async (): Promise<string> => {
      const name = `driftwarden_${++n}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
      return `${base}/${name}`;
    };
    const url = await createDatabase();
    return {
      url,
      createDatabase,
      async stop() {
        forget();
        if (started) {
          started = false;
          await as(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    const serverLog = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    forget();
    onExit();
    throw new Error(`cannot start a throwaway PostgreSQL (${bin}): ${(e as Error).message}${serverLog}`);
  }
}

function command(asRoot: boolean, file: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
}
