// Every command the CLI knows, in the order `--help` lists them.
import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { baselineAcceptCommand, baselineCaptureCommand, baselineHistoryCommand } from './baseline.ts';
import { runsCommand } from './runs.ts';
import { simulatorCommand } from './simulator.ts';
import { demoCommand } from './demo.ts';
import { findingsCommands } from './findings.ts';
import { policyCommands } from './policy.ts';
import { vaultCommands } from './vault.ts';
import { reportCommands } from './report.ts';
import { daemonCommands } from './daemon.ts';
import { outboxCommands } from './outbox.ts';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  baselineCaptureCommand,
  baselineAcceptCommand,
  baselineHistoryCommand,
  ...findingsCommands,
  runsCommand,
  ...reportCommands,
  ...policyCommands,
  ...vaultCommands,
  ...outboxCommands,
  ...daemonCommands,
  simulatorCommand,
  demoCommand,
];
