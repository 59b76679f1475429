// `driftwarden daemon …` commands.
import type { Command } from '../command.ts';

export const daemonCommands: readonly Command[] = [];
