// Every command the CLI knows, in the order `--help` lists them.
import type { Command } from '../command.ts';
import { checkCommand } from './check.ts';
import { baselineAcceptCommand, baselineCaptureCommand, baselineHistoryCommand } from './baseline.ts';
import { runsCommand } from './runs.ts';
import { simulatorCommand } from './simulator.ts';
import { demoCommand } from './demo.ts';

export const COMMANDS: readonly Command[] = [
  checkCommand,
  baselineCaptureCommand,
  baselineAcceptCommand,
  baselineHistoryCommand,
  runsCommand,
  simulatorCommand,
  demoCommand,
];
