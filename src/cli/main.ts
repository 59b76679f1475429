// The driftwarden command line: picks the command, parses its options, maps errors to exit codes.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Writable } from 'node:stream';
import { createOutput } from './output.ts';
import { formatHelp, type Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { DwFailure, EXIT, exitCodeFor, formatDwError, type ExitCode } from '../model/errors.ts';
import { TOOL_VERSION } from '../model/version.ts';

export function findCommand(argv: readonly string[]): { cmd: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const cmd of COMMANDS) {
    if (cmd.name.every((w, i) => argv[i] === w) && (!best || cmd.name.length > best.name.length)) best = cmd;
  }
  return best ? { cmd: best, rest: argv.slice(best.name.length) } : undefined;
}

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.join(' ').length));
  return [
    `driftwarden ${TOOL_VERSION} — configuration drift and compliance checks for Genesys Cloud`,
    '',
    'Usage: driftwarden <command> [options]      driftwarden <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 clean, 1 drift found, 2 bad input, 3 upstream failure or coverage gap, 4 internal error.',
  ].join('\n');
}

/** Where a command writes; tests pass their own streams to capture every byte. */
export type CliIo = { readonly stdout: Writable & { isTTY?: boolean }; readonly stderr: Writable & { isTTY?: boolean } };

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), io: CliIo = process): Promise<ExitCode> {
  const json = argv.includes('--json');
  const out = createOutput({ json, env, stdout: io.stdout, stderr: io.stderr });
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const sub = argv[0] === 'help' ? findCommand(argv.slice(1)) : undefined;
    io.stdout.write((sub ? formatHelp(sub.cmd) : globalHelp()) + '\n');
    return argv.length === 0 ? EXIT.badInput : EXIT.clean;
  }
  if (argv[0] === '--version' || argv[0] === 'version') { io.stdout.write(TOOL_VERSION + '\n'); return EXIT.clean; }
  const found = findCommand(argv);
  if (!found) {
    out.error(`DW1010 unknown command "${argv.join(' ')}". Run \`driftwarden --help\` for the list.`);
    return EXIT.badInput;
  }
  const { cmd, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
  } catch (e) {
    out.error(`DW1011 ${(e as Error).message.split('\n')[0]}\n\n${formatHelp(cmd)}`);
    return EXIT.badInput;
  }
  if (parsed.values.help) { io.stdout.write(formatHelp(cmd) + '\n'); return EXIT.clean; }
  try {
    return await cmd.run({ out, values: parsed.values, positionals: parsed.positionals, cwd, env, io });
  } catch (e) {
    if (e instanceof DwFailure) {
      out.error(formatDwError(e.error));
      if (json) out.result({ error: e.error });
      return exitCodeFor(e.error.kind);
    }
    out.error(`DW9001 internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.internal;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
