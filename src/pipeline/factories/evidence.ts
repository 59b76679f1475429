// Builds the evidence stage: always on, because an audit trail that has to be switched on is
// one that is missing when it is needed. The signing key lives in <stateDir>/keys.
import type { EvidenceRecorder } from '../stages.ts';
import type { StageContext } from './context.ts';
import { createEvidenceRecorder, loadOrCreateSigningKey, maskFreeText } from '../../evidence/index.ts';
import { selectSurfaces } from '../../config/config.ts';
import { SURFACES } from '../../genesys/surfaces.ts';
import { prepareSurfaces, rulesForSurface } from '../surface-rules.ts';

export async function createEvidenceStage(ctx: StageContext): Promise<EvidenceRecorder | undefined> {
  const key = loadOrCreateSigningKey(ctx.stateDir);
  const { selected } = selectSurfaces(ctx.config, SURFACES.map((s) => s.id));
  const catalog = SURFACES.filter((s) => selected.includes(s.id));
  const rulesFor = rulesForSurface(catalog, ctx.config.normalize.volatileFields);
  return createEvidenceRecorder({
    key,
    ...(ctx.now ? { now: ctx.now } : {}),
    // run-check pins the digests of these documents but hands over the raw snapshot: derive
    // them again the same way (the recorder keeps a document only when the digests agree).
    documentsFor: (snapshot) => prepareSurfaces(snapshot.surfaces.filter((s) => s.status === 'ok'), catalog, rulesFor, ctx.redaction).docs,
    storable: (doc) => maskFreeText(doc, ctx.redaction),
  });
}
