// The one place that picks a Store implementation: a `postgres://` / `postgresql://` URL opens
// PostgreSQL, anything else is a SQLite file. Callers only ever see the Store interface.
import { fail } from '../model/errors.ts';
import { POSTGRES_CODES, isPostgresUrl, openPostgresStore, redactPostgresUrl, type PostgresStoreOptions } from './postgres-store.ts';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** Options of either implementation; each uses the ones that concern it. */
export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** Where the run history lives for a config's `store` section: `url` (PostgreSQL) when set,
 *  else the SQLite file at `path`. `path` keeps anchoring the local state folder either way. */
export const storeLocation = (store: { readonly path: string; readonly url?: string | null }): string => store.url ?? store.path;

/** Opens the store at `location` (a SQLite file, created with its folder, or a PostgreSQL URL)
 *  and applies pending migrations. */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  // Another URL scheme is a typo, not a file name: refuse it rather than create a file called so.
  if (!isPostgresUrl(location) && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) {
    fail(POSTGRES_CODES.badUrl, 'bad-input', `${redactPostgresUrl(location)}: the store is a SQLite file path or a postgres:// URL`);
  }
  const store = isPostgresUrl(location) ? await openPostgresStore(location, options) : openSqliteStore(location, options);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
