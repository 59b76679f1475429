// `driftwarden report …` commands.
import type { Command } from '../command.ts';

export const reportCommands: readonly Command[] = [];
