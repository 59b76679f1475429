// What a stage factory gets to build its stage for one command invocation.
import type { Config } from '../../config/config.ts';
import type { Store } from '../../store/store.ts';
import type { RedactionRules } from '../../redact/rules.ts';

export type StageContext = {
  readonly config: Config;
  readonly store: Store;
  readonly env: NodeJS.ProcessEnv;
  readonly redaction: RedactionRules;
  /** Folder for local state: keys, caches, reports (beside the store file). */
  readonly stateDir: string;
  readonly now?: () => Date;
};
