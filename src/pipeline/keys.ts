// Local key material: generated on first use, kept in files only the owner can read.
// An environment variable takes precedence so deployments can inject keys from their secret store.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail } from '../model/errors.ts';
import { SecretString } from '../redact/secret-string.ts';

export function loadOrCreateKey(file: string, envVar: string, env: NodeJS.ProcessEnv, bytes = 32): SecretString {
  const fromEnv = env[envVar];
  if (fromEnv) return new SecretString(fromEnv);
  if (!existsSync(file)) createFileOnce(file, randomBytes(bytes).toString('base64') + '\n');
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    fail('DW6020', 'bad-input', `key file ${file} is readable by others (mode ${mode.toString(8)}); run \`chmod 600 ${file}\``);
  }
  chmodSync(file, 0o600);
  return new SecretString(readFileSync(file, 'utf8').trim());
}

/** Creates `file` (0600) with `content` unless it exists, atomically: the content is written to a
 *  private temp file and hard-linked into place, so processes racing to create the same key
 *  (two daemons starting together) all end up reading one complete file, never a half-written one. */
export function createFileOnce(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process won: use theirs
  } finally {
    unlinkSync(tmp);
  }
}
