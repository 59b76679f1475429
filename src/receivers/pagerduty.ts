// Local PagerDuty Events API v2 (`/v2/enqueue`): validates events like the real service and keeps
// an incident per dedup_key, so trigger → resolve flows can be asserted.
import { randomUUID } from 'node:crypto';
import { startHttpReceiver, tryJson, type HttpReceiver, type Reply } from './http-receiver.ts';

export const PAGERDUTY_RECEIVER_LIMITS = { routingKey: 32, summary: 1024, dedupKey: 255, bodyBytes: 512 * 1024 } as const;
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export type Incident = { readonly dedupKey: string; status: 'triggered' | 'acknowledged' | 'resolved'; triggers: number; lastEvent: unknown };

export interface PagerDutyReceiver extends HttpReceiver {
  /** Events that passed validation, parsed, in arrival order. */
  readonly accepted: unknown[];
  readonly incidents: Map<string, Incident>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function validatePagerDutyEvent(body: string): { errors: string[]; event?: Obj } {
  if (Buffer.byteLength(body, 'utf8') > PAGERDUTY_RECEIVER_LIMITS.bodyBytes) return { errors: ['Event object is too large (over 512 KB).'] };
  const ev = tryJson(body);
  if (!isObj(ev)) return { errors: ['Event object is invalid: not a JSON object.'] };
  const errors: string[] = [];
  if (typeof ev.routing_key !== 'string' || ev.routing_key.length !== PAGERDUTY_RECEIVER_LIMITS.routingKey) errors.push("'routing_key' must be a 32 character string.");
  if (typeof ev.event_action !== 'string' || !ACTIONS.includes(ev.event_action)) errors.push("'event_action' is invalid (must be trigger, acknowledge or resolve).");
  if (ev.dedup_key !== undefined && (typeof ev.dedup_key !== 'string' || ev.dedup_key.length === 0 || ev.dedup_key.length > PAGERDUTY_RECEIVER_LIMITS.dedupKey)) errors.push("'dedup_key' must be a string of 1-255 characters.");
  if (ev.event_action !== 'trigger' && ev.dedup_key === undefined) errors.push("'dedup_key' is required for acknowledge and resolve.");
  if (ev.event_action === 'trigger') {
    const p = ev.payload;
    if (!isObj(p)) errors.push("'payload' is missing or not an object.");
    else {
      if (typeof p.summary !== 'string' || p.summary.length === 0) errors.push("'payload.summary' is missing.");
      else if (p.summary.length > PAGERDUTY_RECEIVER_LIMITS.summary) errors.push("'payload.summary' is longer than 1024 characters.");
      if (typeof p.source !== 'string' || p.source.length === 0) errors.push("'payload.source' is missing.");
      if (typeof p.severity !== 'string' || !SEVERITIES.includes(p.severity)) errors.push("'payload.severity' must be critical, error, warning or info.");
      if (p.timestamp !== undefined && (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))) errors.push("'payload.timestamp' must be an ISO-8601 timestamp.");
      for (const k of ['component', 'group', 'class'] as const) if (p[k] !== undefined && typeof p[k] !== 'string') errors.push(`'payload.${k}' must be a string.`);
      if (p.custom_details !== undefined && !isObj(p.custom_details)) errors.push("'payload.custom_details' must be an object.");
    }
    if (ev.links !== undefined && (!Array.isArray(ev.links) || ev.links.some((l) => !isObj(l) || typeof l.href !== 'string'))) errors.push("'links' must be objects with href.");
  }
  return errors.length > 0 ? { errors } : { errors, event: ev };
}

export async function startPagerDutyReceiver(): Promise<PagerDutyReceiver> {
  const accepted: unknown[] = [];
  const incidents = new Map<string, Incident>();
  const r = await startHttpReceiver('/v2/enqueue', (body): Reply => {
    const { errors, event } = validatePagerDutyEvent(body);
    if (!event) return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors }) };
    accepted.push(event);
    const dedupKey = typeof event.dedup_key === 'string' ? event.dedup_key : randomUUID().replace(/-/g, '');
    const existing = incidents.get(dedupKey);
    if (event.event_action === 'trigger') {
      if (existing && existing.status !== 'resolved') { existing.triggers++; existing.lastEvent = event; }
      else incidents.set(dedupKey, { dedupKey, status: 'triggered', triggers: 1, lastEvent: event });
    } else if (existing) {
      // Acknowledge/resolve of an unknown key is accepted and ignored, as PagerDuty does.
      existing.status = event.event_action === 'resolve' ? 'resolved' : 'acknowledged';
      existing.lastEvent = event;
    }
    return { status: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedupKey }) };
  });
  return { ...r, accepted, incidents, reset() { r.reset(); accepted.length = 0; incidents.clear(); } };
}
