// Reads every catalog surface through the Genesys client into a Snapshot of raw documents
// (un-normalized, secrets included: the redact stage seals them with a keyed fingerprint so a
// rotation is still detected; writeSnapshotFile masks them before anything reaches disk).
// Each surface ends ok, forbidden (which permission is missing) or failed (why): a failure is
// recorded, never dropped. An authentication failure aborts the whole snapshot by throwing.
import type { GenesysClient } from '../genesys/client.ts';
import { GenesysAuthError, GenesysForbiddenError } from '../genesys/errors.ts';
import type { SurfaceDef } from '../genesys/surfaces.ts';
import { DwFailure } from '../model/errors.ts';
import { SNAPSHOT_FORMAT_VERSION, type Json, type Snapshot, type SurfaceSnapshot } from '../model/findings.ts';
import type { OrgId } from '../model/ids.ts';

export type SnapshotMeta = {
  readonly org: OrgId;
  readonly region: string;
  readonly toolVersion: string;
  readonly now?: () => Date;
};

export async function takeSnapshot(client: GenesysClient, surfaces: readonly SurfaceDef[], meta: SnapshotMeta): Promise<Snapshot> {
  const takenAt = (meta.now ?? (() => new Date()))().toISOString();
  // Two surfaces can be carved out of one document (organization + features): read it once.
  const reads = new Map<string, Promise<Json>>();
  const readOnce = (s: SurfaceDef): Promise<Json> => {
    const key = `${s.paging} ${s.path} ${JSON.stringify(s.query ?? {})}`;
    let p = reads.get(key);
    if (!p) { p = readSurface(client, s); reads.set(key, p); }
    return p;
  };
  // Promise.all rejects on the first auth failure, which is the point: no partial silent pass.
  const results = await Promise.all(surfaces.map((s) => snapshotSurface(s, readOnce)));
  return { formatVersion: SNAPSHOT_FORMAT_VERSION, org: meta.org, region: meta.region, takenAt, toolVersion: meta.toolVersion, surfaces: results };
}

async function readSurface(client: GenesysClient, s: SurfaceDef): Promise<Json> {
  if (s.paging === 'none') return client.get(s.path, s.query);
  const { entities } = await client.getAllPages(s.path, { paging: s.paging, ...(s.query ? { query: s.query } : {}) });
  return { entities };
}

const selectField = (body: Json, field: string): Json | undefined =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { readonly [k: string]: Json })[field] : undefined;

async function snapshotSurface(s: SurfaceDef, read: (s: SurfaceDef) => Promise<Json>): Promise<SurfaceSnapshot> {
  try {
    const body = await read(s);
    const data = s.select === undefined ? body : selectField(body, s.select);
    if (data === undefined) return { surface: s.id, status: 'failed', reason: `response of GET ${s.path} has no "${s.select}" field` };
    return { surface: s.id, status: 'ok', data };
  } catch (e) {
    if (e instanceof GenesysAuthError) throw e;
    if (e instanceof GenesysForbiddenError) {
      return { surface: s.id, status: 'forbidden', missingPermission: e.missingPermission || s.permission, reason: e.message };
    }
    if (e instanceof DwFailure) return { surface: s.id, status: 'failed', reason: e.message };
    // A bug in our own code still must not make the surface vanish from the record.
    return { surface: s.id, status: 'failed', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
