// Loads the compiled policy set for a run (filled in when the compiler lands).
import type { Config } from '../config/config.ts';
import type { PolicyEngine } from './run-check.ts';

export async function loadPolicyEngine(_config: Config): Promise<PolicyEngine | undefined> {
  return undefined;
}
