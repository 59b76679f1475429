// What a CLI command is: a name, its help text, its options (node:util parseArgs), and run().
import type { ParseArgsConfig } from 'node:util';
import type { Output } from './output.ts';
import type { ExitCode } from '../model/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export type CommandContext = {
  readonly out: Output;
  readonly values: ParsedValues;
  readonly positionals: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The streams behind `out`, for commands that run other commands (demo). */
  readonly io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream };
};

export type Command = {
  /** Words that select the command, e.g. ['baseline', 'accept']. */
  readonly name: readonly string[];
  readonly summary: string;
  readonly usage: string;
  /** Longer help: what it does, examples, exit codes that matter here. */
  readonly details?: string;
  readonly options: OptionSpec;
  readonly optionHelp: Readonly<Record<string, string>>;
  run(ctx: CommandContext): Promise<ExitCode>;
};

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

export const COMMON_HELP = {
  help: 'show this help',
  json: 'machine-readable output on stdout',
} as const;

export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  org: { type: 'string' },
} as const satisfies OptionSpec;

export const CONFIG_HELP = {
  config: 'configuration file (default: driftwarden.yaml)',
  org: 'org id from the configuration (default: every org)',
} as const;

export function formatHelp(cmd: Command): string {
  const lines = [`driftwarden ${cmd.name.join(' ')} — ${cmd.summary}`, '', `Usage: ${cmd.usage}`];
  if (cmd.details) lines.push('', cmd.details);
  const opts = Object.entries(cmd.options);
  if (opts.length) {
    lines.push('', 'Options:');
    for (const [name, spec] of opts) {
      const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
      lines.push(`  ${flag.padEnd(28)} ${cmd.optionHelp[name] ?? ''}`);
    }
  }
  return lines.join('\n');
}
