// The two OAuth clients every simulator knows by default, and permission matching.
import type { SimClient } from './types.ts';

/** What the read-only service account of reference §7 is granted. Note that
 *  `directory:organization:admin` is the only way to read auth settings, and it carries write
 *  power: the auditor CAN patch authentication settings, as in the real product. */
export const AUDITOR_PERMISSIONS = [
  'directory:organization:admin',
  'oauth:client:view',
  'authorization:role:view',
  'sso:provider:view',
  'integrations:integration:view',
  'recording:retentionPolicy:view',
  'recording:screenRecording:view',
  'routing:transcriptionSettings:view',
  'telephony:plugin:all',
  'telephony:sites:view',
  'externalContacts:customFields:view',
  'audits:audit:view',
  'limits:organization:view',
  'limits:count:view',
] as const;

export const SIM_AUDITOR: SimClient = {
  clientId: 'c0ffee00-2222-4b3c-8d4e-000000000002',
  clientSecret: 'sim-auditor-secret-7Qm2vX9pL4tR8wZ1',
  name: 'drift-snapshotter',
  permissions: AUDITOR_PERMISSIONS,
};

export const SIM_ADMIN: SimClient = {
  clientId: 'ad0be000-3333-4c4d-9e5f-000000000003',
  clientSecret: 'sim-admin-secret-K3nB6yH0dF5sJ2qW',
  name: 'config-admin-automation',
  permissions: ['*'],
};

/** Genesys permissions are `domain:entity:action`; a grant may use '*' in any segment. */
export function grants(granted: string, required: string): boolean {
  if (granted === '*' || granted === required) return true;
  const g = granted.split(':');
  const r = required.split(':');
  if (g.length !== 3 || r.length !== 3) return false;
  return g.every((seg, i) => seg === '*' || seg === r[i]);
}

export const hasPermission = (held: readonly string[], required: string): boolean =>
  held.some((g) => grants(g, required));
