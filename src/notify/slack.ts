// Slack incoming webhook: one Block Kit digest per run, split into several messages when the
// findings exceed Slack's limits (50 blocks, 3,000 characters per section, 150 per header).
// Every value is mrkdwn-escaped, so no finding can produce `<!channel>`, `<@U…>` or `<url|label>`.
import type { SlackChannel } from '../route/types.ts';
import type { SecretString } from '../redact/secret-string.ts';
import { postJson } from './http.ts';
import { partIdempotencyKey, sendParts, type DeliveryReceipt, type NotifyContext, type Notifier } from './notifier.ts';
import { bySeverity, changeVerb, clip, frameworksText, oneLine, plural, previewValue, severityCounts, type RF } from './render.ts';
import { createLimiter } from './throttle.ts';

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, findingsPerMessage: 45 } as const;

export type ChannelOptions = {
  /** Credentials the process holds; an outgoing body containing one is blocked (DW5104). */
  readonly knownSecrets?: readonly SecretString[];
  readonly timeoutMs?: number;
  readonly now?: () => Date;
};

/** Slack's three mrkdwn control characters. With `<` and `>` escaped no control sequence can form. */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A value inside a `code span`: one line, no backtick to break out of it. */
const code = (s: string, max: number) => `\`${escapeMrkdwn(clip(oneLine(s), max).replace(/`/g, "'"))}\``;

/** Cuts escaped mrkdwn without leaving half an entity (`&am`). */
export function clipEscaped(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const amp = s.lastIndexOf('&', cut);
  if (amp >= 0 && amp > cut - 5 && s.indexOf(';', amp) >= cut) cut = amp;
  if (cut > 0 && /[\uD800-\uDBFF]/.test(s[cut - 1]!)) cut--;
  return `${s.slice(0, cut)}…`;
}

type SlackBlock = Record<string, unknown>;
export type SlackMessage = { readonly text: string; readonly blocks: readonly SlackBlock[] };

export function findingSection(f: RF): SlackBlock {
  const lines = [
    `*${f.severity.toUpperCase()}* · ${escapeMrkdwn(clip(oneLine(f.title), 300))}`,
    `${code(f.surface, 100)} › ${code(f.pathText, 300)} (${changeVerb(f)})`,
  ];
  if (f.old !== undefined || f.new !== undefined) lines.push(`was ${code(previewValue(f.old, 500), 500)} → now ${code(previewValue(f.new, 500), 500)}`);
  const fw = frameworksText(f);
  lines.push(`rule ${code(f.rule, 120)}${fw ? ` · ${escapeMrkdwn(clip(fw, 300))}` : ''}`);
  if (f.message) lines.push(`note: ${escapeMrkdwn(clip(oneLine(f.message), 700))}`);
  return { type: 'section', text: { type: 'mrkdwn', text: clipEscaped(lines.join('\n'), SLACK_LIMITS.sectionText) } };
}

/** Pure: the messages of one digest. */
export function buildSlackMessages(batch: readonly RF[], ctx: NotifyContext): SlackMessage[] {
  const sorted = bySeverity(batch);
  const chunks: RF[][] = [];
  for (let i = 0; i < sorted.length; i += SLACK_LIMITS.findingsPerMessage) chunks.push(sorted.slice(i, i + SLACK_LIMITS.findingsPerMessage));
  const counts = severityCounts(batch);
  return chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` · part ${i + 1}/${chunks.length}` : '';
    const headline = oneLine(`driftwarden · ${ctx.org}: ${plural(batch.length, 'finding')}`);
    return {
      // The fallback shown in notifications and read by screen readers.
      text: escapeMrkdwn(clip(`${headline} (${counts})${part}`, 1000)),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: clip(headline, SLACK_LIMITS.headerText), emoji: false } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(clip(`run ${ctx.runId} · ${counts}${part}`, 1000)) }] },
        ...chunk.map(findingSection),
      ],
    };
  });
}

export function createSlackNotifier(channel: SlackChannel, opts: ChannelOptions = {}): Notifier {
  const limiter = createLimiter(channel.throttle);
  const guardSecrets = [...(opts.knownSecrets ?? []), channel.url];
  return {
    channel: channel.name,
    async send(batch, ctx): Promise<DeliveryReceipt> {
      const messages = buildSlackMessages(batch, ctx);
      const sorted = bySeverity(batch);
      const parts = messages.map((m, i) => ({ message: m, findingIds: sorted.slice(i * SLACK_LIMITS.findingsPerMessage, (i + 1) * SLACK_LIMITS.findingsPerMessage).map((f) => f.id) }));
      return sendParts(channel.name, 'slack', ctx.idempotencyKey, parts, async (p, i) => {
        const r = await limiter.schedule(() => postJson(channel.url, p.message, { guardSecrets, idempotencyKey: partIdempotencyKey(ctx.idempotencyKey, i), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) }));
        if (!r.ok) return r;
        // Slack answers 200 `ok`; anything else in a 2xx is unexpected but the message was accepted.
        return { ok: true, httpStatus: r.httpStatus };
      }, { resume: ctx });
    },
    close: () => limiter.stop(),
  };
}
