// `driftwarden policy …` commands.
import type { Command } from '../command.ts';

export const policyCommands: readonly Command[] = [];
