// The one digest form pinned in run records, evidence and reports: `sha256:<hex>`. Run records
// and the evidence verifier must hash alike, so there is one function for it.
import { createHash } from 'node:crypto';

export const sha256Digest = (data: string | Uint8Array): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
