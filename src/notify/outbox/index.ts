// The durable notification outbox: plan (dedup + routing), tables, delivery with retries.
export { createOutbox, CHECKPOINTS, type Checkpoint, type DurableOutbox, type OutboxDeps } from './outbox.ts';
export { planOutbox, idempotencyKey, isWaived, type OutboxPlan, type PlanInput } from './plan.ts';
export { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './retry.ts';
export { MESSAGE_KINDS, MESSAGE_STATUSES, listMessages, type MessageKind, type MessageStatus, type OutboxMessage, type MessageQuery } from './rows.ts';
export { OUTBOX_MIGRATIONS } from './migrations.ts';
