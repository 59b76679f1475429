// The one place that picks a Store implementation. Today: SQLite at `config.store.path`.
// A PostgreSQL store would be chosen here (e.g. from a `postgres://` location); callers only
// ever see the Store interface.
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** Opens the store at `location` (file and folder created) and applies pending migrations. */
export async function openStore(location: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const store = openSqliteStore(location, options);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
