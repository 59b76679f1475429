// `driftwarden findings …` commands.
import type { Command } from '../command.ts';

export const findingsCommands: readonly Command[] = [];
