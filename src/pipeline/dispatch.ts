// Builds the run's alert dispatcher from routes.yaml (filled in when routing lands).
import type { Config } from '../config/config.ts';
import type { Dispatcher } from './run-check.ts';
import type { Store } from '../store/store.ts';
import type { RedactionRules } from '../redact/rules.ts';

export async function loadDispatcher(_config: Config, _deps: { store: Store; env: NodeJS.ProcessEnv; redaction: RedactionRules }): Promise<Dispatcher | undefined> {
  return undefined;
}
