// Write side: admin PUT/PATCH/POST/DELETE on the real paths change org state and describe the
// change for the Audit API. Returns values; the server records the audit and sends the reply.
import type { WriteRecord, AuditAction } from './audit.ts';
import { badRequest, conflict, notFound, type ApiError } from './errors.ts';
import { hex, uuid, type Rng } from './prng.ts';
import { clone, storedSingleton } from './render.ts';
import type { OrgState } from './seed-org.ts';
import type { SimSurface, WriteMethod } from './surfaces.ts';
import type { JsonObj, JsonValue } from './types.ts';

export type WriteActor = {
  readonly clientId: string; readonly clientName: string; readonly remoteIp: string;
  readonly orgId: string; readonly orgName: string;
  readonly now: Date; readonly rng: Rng;
  /** New secrets (OAuth client create) are canaries too. */
  readonly addCanary: (c: string) => void;
  readonly actionContext: string;
};

export type WriteOutcome = { readonly status: number; readonly body?: JsonObj; readonly audit: WriteRecord };

const isObj = (v: JsonValue | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** PATCH semantics: objects merge, everything else (arrays included) replaces. */
export function deepMerge(base: JsonObj, patch: JsonObj): JsonObj {
  const out: JsonObj = clone(base);
  for (const [k, v] of Object.entries(patch)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as JsonObj, v) : clone(v);
  return out;
}

/** Server-owned fields a client cannot set through PUT. */
const SYSTEM_KEYS = ['id', 'selfUri', 'version', 'dateCreated', 'createdDate', 'createdBy', 'dateModified', 'modifiedDate', 'modifiedBy', 'userCount', 'reportedState', 'policyErrors', 'thirdPartyOrgName', 'features'];

function keepSystemFields(stored: JsonObj, body: JsonObj): JsonObj {
  const out: JsonObj = clone(body);
  for (const k of SYSTEM_KEYS) {
    if (k in stored) out[k] = clone(stored[k]);
    else delete out[k];
  }
  return out;
}

function touch(e: JsonObj, now: Date): void {
  if (typeof e.version === 'number') e.version += 1;
  if (typeof e.dateModified === 'string') e.dateModified = now.toISOString();
  if (typeof e.modifiedDate === 'string') e.modifiedDate = now.toISOString();
}

function checkVersion(stored: JsonObj, body: JsonObj): ApiError | undefined {
  if (typeof stored.version === 'number' && typeof body.version === 'number' && body.version !== stored.version) {
    return conflict(`The version supplied [${body.version}] does not match the current version [${stored.version}]`);
  }
  return undefined;
}

function auditOf(surface: SimSurface, actor: WriteActor, action: AuditAction, entity: { id: string; name: string }, before?: JsonObj, after?: JsonObj): WriteRecord {
  return {
    serviceName: surface.audit.serviceName, entityType: surface.audit.entityType, action, entity,
    clientId: actor.clientId, clientName: actor.clientName, remoteIp: actor.remoteIp,
    ...(before ? { before } : {}), ...(after ? { after } : {}),
    ignoreKeys: [...SYSTEM_KEYS.filter((k) => k !== 'id' && k !== 'thirdPartyOrgName' && k !== 'features'), ...surface.volatileKeys, 'secret'],
    actionContext: actor.actionContext,
  };
}

type Validated = { readonly ok: true; readonly body: JsonObj } | { readonly ok: false; readonly error: ApiError };

function validateBody(surface: SimSurface, body: JsonValue | undefined): Validated {
  if (!isObj(body)) return { ok: false, error: badRequest('The request body must be a JSON object') };
  const problem = surface.validate?.(body);
  return problem ? { ok: false, error: badRequest(problem, 'invalid.value') } : { ok: true, body };
}

export function writeSingleton(state: OrgState, surface: SimSurface, method: WriteMethod, rawBody: JsonValue | undefined, actor: WriteActor): WriteOutcome | ApiError {
  const checked = validateBody(surface, rawBody);
  if (!checked.ok) return checked.error;
  const body = checked.body;
  const stored = storedSingleton(state, surface);
  if (!stored) return notFound();
  const entity = { id: actor.orgId, name: actor.orgName };
  if (surface.id === 'ip-address-authentication') {
    const list = body.networkWhitelist;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return badRequest('networkWhitelist must be an array of strings', 'invalid.value');
    const auth = state.singletons.get('authentication-settings') as JsonObj;
    auth.ipAddressAllowlist = clone(list);
    const after = { networkWhitelist: clone(list) };
    return { status: 200, body: after, audit: auditOf(surface, actor, 'Update', entity, stored, after) };
  }
  const versionProblem = checkVersion(stored, body);
  if (versionProblem) return versionProblem;
  const next = method === 'PATCH' ? deepMerge(stored, keepSystemFields(stored, body)) : keepSystemFields(stored, body);
  touch(next, actor.now);
  state.singletons.set(surface.id, next);
  return { status: 200, body: clone(next), audit: auditOf(surface, actor, 'Update', entity, stored, next) };
}

/** `PATCH /api/v2/organizations/features/{featureName}` with `{enabled}`. */
export function patchFeature(state: OrgState, surface: SimSurface, featureName: string, rawBody: JsonValue | undefined, actor: WriteActor): WriteOutcome | ApiError {
  const org = state.singletons.get('organization') as JsonObj;
  const features = org.features as JsonObj;
  if (!(featureName in features)) return notFound();
  if (!isObj(rawBody) || typeof rawBody.enabled !== 'boolean') return badRequest('enabled must be a boolean', 'invalid.value');
  const before = { [featureName]: features[featureName] };
  features[featureName] = rawBody.enabled;
  touch(org, actor.now);
  const after = { [featureName]: rawBody.enabled };
  return {
    status: 200, body: clone(features),
    audit: { ...auditOf(surface, actor, 'Update', { id: featureName, name: featureName }, before, after), entityType: 'OrganizationFeature' },
  };
}

function freshEntity(surface: SimSurface, body: JsonObj, id: string, actor: WriteActor): JsonObj {
  const now = actor.now.toISOString();
  const e: JsonObj = { ...clone(body), id };
  delete e.secret;
  if (surface.id === 'roles') e.userCount = 0;
  if (['telephony-sites', 'trunk-base-settings', 'external-contact-schemas'].includes(surface.id)) e.version = 1;
  if (['telephony-sites', 'trunk-base-settings', 'oauth-clients'].includes(surface.id)) { e.dateCreated = now; e.dateModified = now; }
  if (['media-retention-policies', 'integration-credentials'].includes(surface.id)) { e.createdDate = now; e.modifiedDate = now; }
  if (surface.id === 'integrations') e.reportedState = { code: 'ACTIVE', effective: 'Active', lastUpdated: now };
  if (surface.id !== 'integration-credentials') e.selfUri = `${surface.itemBase ?? surface.path}/${id}`;
  return e;
}

/** Policy ids are reissued on every role save (why the reference lists them as volatile). */
function reissuePolicyIds(e: JsonObj, rng: Rng): void {
  if (Array.isArray(e.permissionPolicies)) {
    e.permissionPolicies = e.permissionPolicies.map((p) => (isObj(p) ? { ...p, id: uuid(rng) } : p));
  }
}

export function writeCollection(state: OrgState, surface: SimSurface, method: WriteMethod, id: string | undefined, rawBody: JsonValue | undefined, actor: WriteActor): WriteOutcome | ApiError {
  const list = state.collections.get(surface.id) ?? [];
  state.collections.set(surface.id, list);
  const index = id === undefined ? -1 : list.findIndex((e) => e.id === id);
  const stored = index >= 0 ? list[index] : undefined;

  if (method === 'DELETE') {
    if (!stored || id === undefined) return notFound();
    list.splice(index, 1);
    return { status: 204, audit: auditOf(surface, actor, 'Delete', { id, name: String(stored.name ?? id) }, stored, undefined) };
  }
  const checked = validateBody(surface, rawBody);
  if (!checked.ok) return checked.error;
  const b = checked.body;

  // Identity providers are addressed by type and PUT creates them (upsert).
  if (method === 'POST' || (!stored && method === 'PUT' && surface.id === 'identity-providers' && id !== undefined)) {
    if (typeof b.name !== 'string' || b.name === '') return badRequest('name is required', 'invalid.value');
    const newId = id ?? uuid(actor.rng);
    const created = freshEntity(surface, b, newId, actor);
    let reply = clone(created);
    if (surface.id === 'oauth-clients') {
      // The secret is shown once, on create (§5.9).
      const secret = `CANARY-${hex(actor.rng, 24)}`;
      actor.addCanary(secret);
      created.secret = secret;
      reply = { ...reply, secret };
    }
    if (surface.id === 'roles') reissuePolicyIds(created, actor.rng);
    list.push(created);
    return { status: 200, body: reply, audit: auditOf(surface, actor, 'Create', { id: newId, name: String(created.name) }, undefined, created) };
  }

  if (!stored || id === undefined) return notFound();
  const versionProblem = checkVersion(stored, b);
  if (versionProblem) return versionProblem;
  const incoming = keepSystemFields(stored, b);
  delete incoming.secret;
  let next = method === 'PATCH' ? deepMerge(stored, incoming) : incoming;
  if (stored.secret !== undefined) next = { ...next, secret: stored.secret };
  if (surface.id === 'roles') reissuePolicyIds(next, actor.rng);
  touch(next, actor.now);
  list[index] = next;
  const { secret: _secret, ...reply } = next;
  return { status: 200, body: clone(reply), audit: auditOf(surface, actor, 'Update', { id, name: String(next.name ?? id) }, stored, next) };
}
