// Local Slack incoming webhook: validates like hooks.slack.com (see shared/reference/channels.md).
import { startHttpReceiver, tryJson, type HttpReceiver, type Reply } from './http-receiver.ts';

export const SLACK_RECEIVER_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, fields: 10, fieldText: 2000, contextElements: 10 } as const;
const BLOCK_TYPES = new Set(['section', 'header', 'context', 'divider', 'actions', 'image', 'rich_text', 'input', 'file', 'video']);

export interface SlackReceiver extends HttpReceiver {
  /** Messages that passed validation, parsed. */
  readonly accepted: unknown[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTextObject = (v: unknown, types: readonly string[]): v is { type: string; text: string } =>
  isObj(v) && typeof v.type === 'string' && types.includes(v.type) && typeof v.text === 'string' && v.text.length > 0;

/** Why Slack would reject this payload, or undefined when it is valid. */
export function validateSlackPayload(body: string, contentType: string): Reply | undefined {
  const bad = (detail: string): Reply => ({ status: 400, body: `invalid_payload`, headers: { 'x-slack-detail': detail } });
  if (!contentType.toLowerCase().startsWith('application/json')) return bad('content-type must be application/json');
  const msg = tryJson(body);
  if (!isObj(msg)) return bad('body is not a JSON object');
  const hasBlocks = msg.blocks !== undefined;
  if (typeof msg.text !== 'string' || msg.text.trim() === '') {
    // Slack accepts blocks alone but then has no fallback; the reference requires text with blocks.
    return { status: 400, body: 'no_text' };
  }
  if (!hasBlocks) return undefined;
  if (!Array.isArray(msg.blocks)) return bad('blocks must be an array');
  if (msg.blocks.length > SLACK_RECEIVER_LIMITS.blocks) return bad(`more than ${SLACK_RECEIVER_LIMITS.blocks} blocks`);
  for (const [i, b] of msg.blocks.entries()) {
    if (!isObj(b) || typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) return bad(`block ${i}: unknown type`);
    if (b.type === 'header') {
      if (!isTextObject(b.text, ['plain_text'])) return bad(`block ${i}: header needs plain_text`);
      if (b.text.text.length > SLACK_RECEIVER_LIMITS.headerText) return bad(`block ${i}: header longer than ${SLACK_RECEIVER_LIMITS.headerText}`);
    }
    if (b.type === 'section') {
      if (b.text === undefined && b.fields === undefined) return bad(`block ${i}: section needs text or fields`);
      if (b.text !== undefined) {
        if (!isTextObject(b.text, ['mrkdwn', 'plain_text'])) return bad(`block ${i}: bad text object`);
        if (b.text.text.length > SLACK_RECEIVER_LIMITS.sectionText) return bad(`block ${i}: section text longer than ${SLACK_RECEIVER_LIMITS.sectionText}`);
      }
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > SLACK_RECEIVER_LIMITS.fields) return bad(`block ${i}: more than ${SLACK_RECEIVER_LIMITS.fields} fields`);
        for (const f of b.fields) {
          if (!isTextObject(f, ['mrkdwn', 'plain_text']) || f.text.length > SLACK_RECEIVER_LIMITS.fieldText) return bad(`block ${i}: field invalid or longer than ${SLACK_RECEIVER_LIMITS.fieldText}`);
        }
      }
    }
    if (b.type === 'context') {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_RECEIVER_LIMITS.contextElements) return bad(`block ${i}: context needs 1-10 elements`);
      for (const e of b.elements) if (!isObj(e) || (e.type !== 'image' && !isTextObject(e, ['mrkdwn', 'plain_text']))) return bad(`block ${i}: bad context element`);
    }
  }
  return undefined;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const accepted: unknown[] = [];
  const r = await startHttpReceiver('/services/T0DRIFT/B0WARDEN/localtestwebhook', (body, req) => {
    const error = validateSlackPayload(body, String(req.headers['content-type'] ?? ''));
    if (error) return error;
    accepted.push(JSON.parse(body));
    return { status: 200, body: 'ok' };
  });
  return { ...r, accepted, url: r.url, received: r.received, reset() { r.reset(); accepted.length = 0; } };
}
