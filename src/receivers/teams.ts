// Local Teams Workflows webhook: accepts the message/attachments/AdaptiveCard shape under ~28 KB
// and answers 202 with an empty body, as the Power Automate trigger does.
import { startHttpReceiver, tryJson, type HttpReceiver, type Reply } from './http-receiver.ts';

export const TEAMS_RECEIVER_LIMITS = { messageBytes: 28 * 1024 } as const;
const CARD = 'application/vnd.microsoft.card.adaptive';

export interface TeamsReceiver extends HttpReceiver {
  readonly accepted: unknown[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function validateTeamsPayload(body: string): Reply | undefined {
  const bad = (why: string): Reply => ({ status: 400, body: JSON.stringify({ error: { code: 'InvalidRequestContent', message: why } }) });
  if (Buffer.byteLength(body, 'utf8') > TEAMS_RECEIVER_LIMITS.messageBytes) return { status: 413, body: JSON.stringify({ error: { code: 'MessageSizeExceeded', message: 'message larger than 28 KB' } }) };
  const msg = tryJson(body);
  if (!isObj(msg)) return bad('body is not a JSON object');
  if (msg.type !== 'message') return bad('type must be "message"');
  if (!Array.isArray(msg.attachments) || msg.attachments.length === 0) return bad('attachments must be a non-empty array');
  for (const a of msg.attachments) {
    if (!isObj(a) || a.contentType !== CARD) return bad(`attachment contentType must be ${CARD}`);
    const c = a.content;
    if (!isObj(c) || c.type !== 'AdaptiveCard') return bad('attachment content must be an AdaptiveCard');
    if (typeof c.version !== 'string' || !/^1\.[0-6]$/.test(c.version)) return bad('AdaptiveCard version must be 1.0-1.6');
    if (!Array.isArray(c.body)) return bad('AdaptiveCard body must be an array');
    const problem = checkElements(c.body, 'body');
    if (problem) return bad(problem);
  }
  return undefined;
}

/** Every element has a string type; TextBlocks have text; FactSets have title/value strings. */
function checkElements(elements: unknown[], where: string): string | undefined {
  for (const [i, e] of elements.entries()) {
    if (!isObj(e) || typeof e.type !== 'string') return `${where}[${i}] has no type`;
    if (e.type === 'TextBlock' && typeof e.text !== 'string') return `${where}[${i}] TextBlock needs text`;
    if (e.type === 'FactSet') {
      if (!Array.isArray(e.facts)) return `${where}[${i}] FactSet needs facts`;
      for (const f of e.facts) if (!isObj(f) || typeof f.title !== 'string' || typeof f.value !== 'string') return `${where}[${i}] fact needs title and value strings`;
    }
    if (e.type === 'Container') {
      if (!Array.isArray(e.items)) return `${where}[${i}] Container needs items`;
      const inner = checkElements(e.items, `${where}[${i}].items`);
      if (inner) return inner;
    }
  }
  return undefined;
}

export async function startTeamsReceiver(): Promise<TeamsReceiver> {
  const accepted: unknown[] = [];
  const r = await startHttpReceiver('/workflows/driftwarden/triggers/manual/paths/invoke', (body) => {
    const error = validateTeamsPayload(body);
    if (error) return error;
    accepted.push(JSON.parse(body));
    return { status: 202, body: '' };
  });
  return { ...r, accepted, reset() { r.reset(); accepted.length = 0; } };
}
