// Builds the outbox stage from the config: routes.yaml → notifiers → durable outbox. No routes
// file → no outbox (minimal setups still work; findings stay in the report).
import { loadRoutes } from '../../route/load-routes.ts';
import { channelSecrets, createNotifiers } from '../../notify/create-notifiers.ts';
import { createOutbox, type DurableOutbox } from '../../notify/outbox/index.ts';
import type { StageContext } from './context.ts';

const HOUR_MS = 3_600_000;

export async function createOutboxStage(ctx: StageContext): Promise<DurableOutbox | undefined> {
  if (!ctx.config.routes) return undefined;
  const table = loadRoutes(ctx.config.routes, ctx.env);
  // Every credential the process holds guards every outgoing body (DW5104 if one leaks).
  const knownSecrets = [...ctx.redaction.knownSecrets, ...channelSecrets(table)];
  const notifiers = createNotifiers(table, { knownSecrets, ...(ctx.now ? { now: ctx.now } : {}) });
  const hours = ctx.config.notifications.reminderHours;
  return createOutbox({
    store: ctx.store, table, notifiers, redaction: ctx.redaction,
    reminderMs: hours > 0 ? hours * HOUR_MS : Number.POSITIVE_INFINITY,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
}
