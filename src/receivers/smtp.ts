// Local SMTP server (smtp-server) on 127.0.0.1:0: no auth required, no STARTTLS offered, every
// message kept as raw RFC 822 text with its envelope. Knobs make it answer 4xx/5xx to DATA.
// A message whose Message-ID was already accepted is acknowledged but flagged `duplicate` (a
// mailbox that dedupes by Message-ID), so outbox crash recovery can be checked for exactly once.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { parseMail, type ParsedMail } from './mime.ts';

export type ReceivedMail = {
  readonly raw: string;
  readonly envelope: { readonly mailFrom: string | undefined; readonly rcptTo: readonly string[] };
  readonly parsed: ParsedMail;
  /** Set when the receiver refused the message (knob), with the SMTP code it answered. */
  readonly rejectedWith?: number;
  /** A repeat of an already accepted Message-ID: answered 250, not delivered to the mailbox again. */
  readonly duplicate?: true;
};

/** Answer DATA with `code` (4xx transient, 5xx permanent) for `times` messages after letting `skip` through. */
export type SmtpFailureKnob = { readonly code: number; readonly message?: string; readonly times?: number; readonly skip?: number };

export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  readonly received: ReceivedMail[];
  fail(knob: SmtpFailureKnob): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let knob: (SmtpFailureKnob & { remaining: number; toSkip: number }) | undefined;
  const acceptedIds = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(_auth, _session, callback) { callback(null, { user: 'local' }); },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        const longLine = raw.split(/\r?\n/).some((l) => l.length > 998);
        let fail: SmtpFailureKnob | undefined;
        if (knob && knob.toSkip > 0) knob.toSkip--;
        else if (knob && knob.remaining > 0) { knob.remaining--; fail = knob; }
        const code = fail ? fail.code : longLine ? 552 : undefined;
        const parsed = parseMail(raw);
        const messageId = parsed.header('message-id');
        const duplicate = code === undefined && messageId !== undefined && acceptedIds.has(messageId);
        if (code === undefined && messageId !== undefined) acceptedIds.add(messageId);
        received.push({ raw, envelope, parsed, ...(code !== undefined ? { rejectedWith: code } : {}), ...(duplicate ? { duplicate: true as const } : {}) });
        if (code !== undefined) {
          const err = new Error(fail?.message ?? (longLine ? 'Line longer than 998 characters' : 'injected failure')) as Error & { responseCode: number };
          err.responseCode = code;
          return callback(err);
        }
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1', port, received,
    fail(k) { knob = { ...k, remaining: k.times ?? Number.POSITIVE_INFINITY, toSkip: k.skip ?? 0 }; },
    reset() { knob = undefined; received.length = 0; acceptedIds.clear(); },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
