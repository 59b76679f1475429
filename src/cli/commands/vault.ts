// `driftwarden vault …` commands.
import type { Command } from '../command.ts';

export const vaultCommands: readonly Command[] = [];
