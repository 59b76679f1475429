// E-mail digest over SMTP with nodemailer: text and HTML alternatives, every HTML value escaped,
// headers only through nodemailer's structured options (never concatenated), CR/LF stripped from
// anything that reaches a header. Message-ID / References / X-Driftwarden-Finding let mail
// clients thread digests that mention the same finding.
import { createTransport, type NodemailerError } from 'nodemailer';
import type { EmailChannel } from '../route/types.ts';
import { findLeakedSecrets } from '../redact/secret-string.ts';
import { leakError, networkError } from './http.ts';
import { sendParts, type DeliveryError, type DeliveryReceipt, type Notifier, type NotifyContext } from './notifier.ts';
import { bySeverity, changeVerb, clip, frameworksText, oneLine, plural, previewValue, severityCounts, type RF } from './render.ts';
import { createLimiter } from './throttle.ts';
import type { ChannelOptions } from './slack.ts';

export const EMAIL_LIMITS = { findingsPerMessage: 50, subject: 200 } as const;
const ID_DOMAIN = 'driftwarden.invalid';

/** For anything that becomes a header value: no CR/LF or other control characters, one line. */
export const headerSafe = (s: string, max = 900) => clip(oneLine(s), max);

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Message ids use only characters valid in an RFC 5322 msg-id. */
const idPart = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120);
export const findingMessageId = (id: string) => `<finding.${idPart(id)}@${ID_DOMAIN}>`;

export type EmailMessage = {
  readonly subject: string; readonly text: string; readonly html: string;
  readonly messageId: string; readonly references: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly findings: readonly RF[];
};

function findingText(f: RF): string {
  const lines = [
    `[${f.severity.toUpperCase()}] ${oneLine(f.title)}`,
    `  where: ${oneLine(f.surface)} › ${oneLine(f.pathText)} (${changeVerb(f)})`,
  ];
  if (f.old !== undefined) lines.push(`  was:   ${oneLine(previewValue(f.old, 1000))}`);
  if (f.new !== undefined) lines.push(`  now:   ${oneLine(previewValue(f.new, 1000))}`);
  lines.push(`  rule:  ${f.rule}`);
  const fw = frameworksText(f);
  if (fw) lines.push(`  frameworks: ${fw}`);
  if (f.message) lines.push(`  note:  ${oneLine(f.message)}`);
  return lines.join('\n');
}

function findingHtml(f: RF): string {
  const row = (k: string, v: string) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`;
  const rows = [row('where', `${f.surface} › ${f.pathText} (${changeVerb(f)})`)];
  if (f.old !== undefined) rows.push(row('was', previewValue(f.old, 1000)));
  if (f.new !== undefined) rows.push(row('now', previewValue(f.new, 1000)));
  rows.push(row('rule', f.rule));
  const fw = frameworksText(f);
  if (fw) rows.push(row('frameworks', fw));
  if (f.message) rows.push(row('note', f.message));
  return `<h3>${escapeHtml(f.severity.toUpperCase())} · ${escapeHtml(oneLine(f.title))}</h3>\n<table>${rows.join('')}</table>`;
}

/** Pure: the messages of one digest. */
export function buildEmailMessages(batch: readonly RF[], ctx: NotifyContext): EmailMessage[] {
  const sorted = bySeverity(batch);
  const chunks: RF[][] = [];
  for (let i = 0; i < sorted.length; i += EMAIL_LIMITS.findingsPerMessage) chunks.push(sorted.slice(i, i + EMAIL_LIMITS.findingsPerMessage));
  const counts = severityCounts(batch);
  return chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` (part ${i + 1}/${chunks.length})` : '';
    const top = chunk[0]!;
    const more = batch.length > 1 ? ` (+${batch.length - 1} more)` : '';
    const subject = headerSafe(`[driftwarden] ${ctx.org}: ${top.severity} ${top.title}${more}${part}`, EMAIL_LIMITS.subject);
    const heading = `driftwarden · ${ctx.org}: ${plural(batch.length, 'finding')} (${counts})${part}`;
    return {
      subject,
      text: `${oneLine(heading)}\nrun ${ctx.runId}\n\n${chunk.map(findingText).join('\n\n')}\n`,
      html: `<!doctype html><html><body><h2>${escapeHtml(oneLine(heading))}</h2><p>run ${escapeHtml(ctx.runId)}</p>\n${chunk.map(findingHtml).join('\n')}</body></html>`,
      messageId: `<dw.${idPart(ctx.idempotencyKey)}.${i + 1}@${ID_DOMAIN}>`,
      references: chunk.map((f) => findingMessageId(f.id)),
      headers: {
        'X-Driftwarden-Finding': headerSafe(chunk.map((f) => f.id).join(', '), 4000),
        'X-Driftwarden-Run': headerSafe(ctx.runId, 200),
      },
      findings: chunk,
    };
  });
}

/** SMTP reply classes are the reverse of HTTP's intuition: 4xx = try later, 5xx = give up. */
export function classifySmtpError(e: unknown): DeliveryError {
  const err = e as NodemailerError;
  if (typeof err.responseCode === 'number') {
    const permanent = err.permanent ?? (err.responseCode >= 500 && err.responseCode !== 503);
    const msg = `SMTP ${err.responseCode}: ${oneLine(String(err.response ?? err.message)).slice(0, 200)}`;
    return permanent
      ? { code: 'DW5106', retryable: false, smtpCode: err.responseCode, message: msg }
      : { code: 'DW5105', retryable: true, smtpCode: err.responseCode, message: msg };
  }
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH' || err.code === 'ECONFIG' || err.code === 'EENVELOPE' || err.code === 'ETLS' || err.code === 'EREQUIRETLS') {
    return { code: 'DW5106', retryable: false, message: `SMTP ${err.code}: ${oneLine(String(err.message)).slice(0, 200)}` };
  }
  return { ...networkError({ name: err.name, message: err.code ?? err.message, cause: { code: err.code } }), message: `SMTP ${err.code ?? 'error'}: ${oneLine(String(err.message)).slice(0, 200)}` };
}

export function createEmailNotifier(channel: EmailChannel, opts: ChannelOptions = {}): Notifier {
  const limiter = createLimiter(channel.throttle);
  const guardSecrets = [...(opts.knownSecrets ?? []), ...(channel.smtp.password ? [channel.smtp.password] : [])];
  const transportOptions = () => ({
    host: channel.smtp.host, port: channel.smtp.port, secure: channel.smtp.secure, requireTLS: channel.smtp.requireTLS,
    connectionTimeout: opts.timeoutMs ?? 10_000, greetingTimeout: opts.timeoutMs ?? 10_000, socketTimeout: (opts.timeoutMs ?? 10_000) * 3,
    ...(channel.smtp.user !== undefined ? { auth: { user: channel.smtp.user, pass: channel.smtp.password?.reveal() ?? '' } } : {}),
  });
  return {
    channel: channel.name,
    async send(batch, ctx): Promise<DeliveryReceipt> {
      const messages = buildEmailMessages(batch, ctx).map((m) => ({ ...m, findingIds: m.findings.map((f) => f.id) }));
      return sendParts(channel.name, 'email', ctx.idempotencyKey, messages, async (m) => {
        const leaked = findLeakedSecrets(`${m.subject}\n${m.text}\n${m.html}\n${JSON.stringify(m.headers)}`, guardSecrets);
        if (leaked.length > 0) return { ok: false, error: leakError(leaked) };
        return limiter.schedule(async () => {
          const transport = createTransport(transportOptions());
          try {
            const info = await transport.sendMail({
              from: channel.from, to: [...channel.to], subject: m.subject, text: m.text, html: m.html,
              messageId: m.messageId, references: [...m.references], headers: { ...m.headers },
            });
            return { ok: true as const, remoteId: String(info.messageId ?? m.messageId) };
          } catch (e) {
            return { ok: false as const, error: classifySmtpError(e) };
          } finally {
            transport.close();
          }
        });
      }, { resume: ctx });
    },
    close: () => limiter.stop(),
  };
}
