// A per-org lease in the store: at most one holder checks an org at a time, across processes and
// hosts that share the store. Acquired with a compare-and-set inside a transaction (free, expired,
// or already ours), renewed while the run goes on, released at the end. A holder that dies leaves
// a lease that simply expires.
import type { SqlExecutor, Store } from '../store/store.ts';

export type Lease = { readonly org: string; readonly holder: string; readonly acquiredAt: string; readonly expiresAt: string };
export type LeaseAttempt = { readonly acquired: true; readonly lease: Lease } | { readonly acquired: false; readonly heldBy: Lease | null };

type LeaseRow = { org: string; holder: string; acquired_at: string; expires_at: string };
const toLease = (r: LeaseRow): Lease => ({ org: r.org, holder: r.holder, acquiredAt: r.acquired_at, expiresAt: r.expires_at });

export async function readLease(db: SqlExecutor, org: string): Promise<Lease | null> {
  const rows = await db.query<LeaseRow>('SELECT org, holder, acquired_at, expires_at FROM daemon_leases WHERE org = ?', [org]);
  return rows[0] ? toLease(rows[0]) : null;
}

export async function acquireLease(store: Store, org: string, holder: string, ttlMs: number, now: Date): Promise<LeaseAttempt> {
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  return store.transaction(async (tx) => {
    // The upsert only takes the row when it is free, expired or ours: the compare-and-set.
    const { changes } = await tx.execute(
      `INSERT INTO daemon_leases (org, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (org) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
       WHERE daemon_leases.holder = excluded.holder OR daemon_leases.expires_at <= ?`,
      [org, holder, nowIso, expiresAt, nowIso],
    );
    const current = await readLease(tx, org);
    if (changes === 1 && current?.holder === holder) return { acquired: true, lease: current };
    return { acquired: false, heldBy: current };
  });
}

/** Extends our lease; false when it is no longer ours (it expired and someone took it). */
export async function renewLease(store: Store, org: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  const { changes } = await store.execute(
    'UPDATE daemon_leases SET expires_at = ? WHERE org = ? AND holder = ?',
    [new Date(now.getTime() + ttlMs).toISOString(), org, holder],
  );
  return changes === 1;
}

export async function releaseLease(store: Store, org: string, holder: string): Promise<void> {
  await store.execute('DELETE FROM daemon_leases WHERE org = ? AND holder = ?', [org, holder]);
}
