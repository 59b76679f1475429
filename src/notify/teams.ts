// Microsoft Teams through a Workflows (Power Automate) webhook: an Adaptive Card 1.4 digest,
// split so each message stays under the ~28 KB limit. Markdown in card text is escaped so a value
// cannot become a link or formatting.
import type { TeamsChannel } from '../route/types.ts';
import { postJson } from './http.ts';
import { partIdempotencyKey, sendParts, type DeliveryReceipt, type Notifier, type NotifyContext } from './notifier.ts';
import { bySeverity, changeVerb, clip, frameworksText, oneLine, packByBudget, plural, previewValue, severityCounts, type RF } from './render.ts';
import { createLimiter } from './throttle.ts';
import type { ChannelOptions } from './slack.ts';

// Headroom under Teams' ~28 KB: the envelope, and the service's own accounting differences.
export const TEAMS_LIMITS = { messageBytes: 26_000, findingsPerMessage: 40 } as const;
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Adaptive Card TextBlocks render a Markdown subset; backslash-escape what could form a link,
 *  emphasis, heading or HTML-looking text. */
export const escapeCardMarkdown = (s: string) => s.replace(/[\\`*_~[\]#<>]/g, (c) => `\\${c}`);

const text = (s: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: s, wrap: true, ...extra });

export function findingContainer(f: RF): Record<string, unknown> {
  const facts = [
    { title: 'Where', value: escapeCardMarkdown(clip(oneLine(`${f.surface} › ${f.pathText}`), 400)) },
    { title: 'Change', value: changeVerb(f) },
  ];
  if (f.old !== undefined) facts.push({ title: 'Was', value: escapeCardMarkdown(clip(oneLine(previewValue(f.old, 500)), 500)) });
  if (f.new !== undefined) facts.push({ title: 'Now', value: escapeCardMarkdown(clip(oneLine(previewValue(f.new, 500)), 500)) });
  facts.push({ title: 'Rule', value: escapeCardMarkdown(clip(f.rule, 120)) });
  const fw = frameworksText(f);
  if (fw) facts.push({ title: 'Frameworks', value: escapeCardMarkdown(clip(fw, 300)) });
  const urgent = f.severity === 'critical' || f.severity === 'high';
  return {
    type: 'Container', separator: true,
    items: [
      text(`**${f.severity.toUpperCase()}** ${escapeCardMarkdown(clip(oneLine(f.title), 300))}`, urgent ? { color: 'Attention' } : {}),
      { type: 'FactSet', facts },
      ...(f.message ? [text(escapeCardMarkdown(clip(oneLine(f.message), 700)), { isSubtle: true })] : []),
    ],
  };
}

export type TeamsMessage = { readonly type: 'message'; readonly attachments: readonly Record<string, unknown>[] };

function envelope(body: readonly Record<string, unknown>[]): TeamsMessage {
  return {
    type: 'message',
    attachments: [{
      contentType: CARD_TYPE, contentUrl: null,
      content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, msteams: { width: 'Full' } },
    }],
  };
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** Pure: the messages of one digest, each with the ids of the findings it carries. */
export function buildTeamsMessages(batch: readonly RF[], ctx: NotifyContext): { message: TeamsMessage; findings: RF[] }[] {
  const sorted = bySeverity(batch);
  const counts = severityCounts(batch);
  const headerBudget = bytes(envelope([text('x'.repeat(200)), text('x'.repeat(1200))]));
  const chunks = packByBudget(sorted, (f) => bytes(findingContainer(f)) + 1, TEAMS_LIMITS.messageBytes - headerBudget, TEAMS_LIMITS.findingsPerMessage);
  return chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` · part ${i + 1}/${chunks.length}` : '';
    const body = [
      text(escapeCardMarkdown(clip(oneLine(`driftwarden · ${ctx.org}: ${plural(batch.length, 'finding')}`), 200)), { size: 'Large', weight: 'Bolder' }),
      text(escapeCardMarkdown(clip(oneLine(`run ${ctx.runId} · ${counts}${part}`), 1000)), { isSubtle: true, spacing: 'None' }),
      ...chunk.map(findingContainer),
    ];
    return { message: envelope(body), findings: chunk };
  });
}

export function createTeamsNotifier(channel: TeamsChannel, opts: ChannelOptions = {}): Notifier {
  const limiter = createLimiter(channel.throttle);
  const guardSecrets = [...(opts.knownSecrets ?? []), channel.url];
  return {
    channel: channel.name,
    async send(batch, ctx): Promise<DeliveryReceipt> {
      const parts = buildTeamsMessages(batch, ctx).map((m) => ({ message: m.message, findingIds: m.findings.map((f) => f.id) }));
      return sendParts(channel.name, 'teams', ctx.idempotencyKey, parts, async (p, i) => {
        const r = await limiter.schedule(() => postJson(channel.url, p.message, { guardSecrets, idempotencyKey: partIdempotencyKey(ctx.idempotencyKey, i), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) }));
        return r.ok ? { ok: true, httpStatus: r.httpStatus } : r;
      }, { resume: ctx });
    },
    close: () => limiter.stop(),
  };
}
