// `driftwarden outbox`: what the notification outbox still has to send (or gave up on), and
// `--retry` to put dead messages back in line once the channel is fixed.
import { COMMON_HELP, COMMON_OPTIONS, type Command } from '../command.ts';
import { loadConfigFor, redactionFor, stateDir, withStore } from '../session.ts';
import { createOutboxStage } from '../../pipeline/factories/outbox.ts';
import type { OutboxMessage } from '../../notify/outbox/index.ts';
import type { DeliveryOutcome } from '../../pipeline/stages.ts';
import { EXIT, fail } from '../../model/errors.ts';

/** A message as listed: everything but the payload (large, and only for the channel). */
const summary = (m: OutboxMessage) => ({
  id: m.id, run: m.runId, org: m.org, channel: m.channel, kind: m.kind, status: m.status, attempts: m.attempts,
  nextAttemptAt: m.nextAttemptAt, findings: m.findingIds.length, createdAt: m.createdAt,
  ...(m.deliveredAt ? { deliveredAt: m.deliveredAt } : {}), ...(m.lastError ? { lastError: m.lastError } : {}),
});

export const outboxCommand: Command = {
  name: ['outbox'],
  summary: 'list undelivered and dead notifications; --retry re-sends dead ones',
  usage: 'driftwarden outbox [--all] [--deliver] [--retry [--id ID ...]] [--json]',
  details: [
    'Messages are written in the run\'s transaction and delivered after it; a channel that is down',
    'keeps its messages (in order) until it answers again. A message is dead after a permanent',
    'rejection (4xx, SMTP 5xx) or too many attempts; fix the channel in routes.yaml, then --retry.',
    'Exit codes: 0 nothing waiting or dead, 3 messages still waiting or dead, 2 bad input.',
  ].join('\n'),
  options: {
    config: { type: 'string', short: 'c' },
    all: { type: 'boolean' },
    deliver: { type: 'boolean' },
    retry: { type: 'boolean' },
    id: { type: 'string', multiple: true },
    ...COMMON_OPTIONS,
  },
  optionHelp: {
    config: 'configuration file (default: driftwarden.yaml)',
    all: 'also list delivered messages (newest 200)',
    deliver: 'deliver everything due now before listing',
    retry: 'put dead messages back in line (all, or those given with --id) and deliver',
    id: 'a message id for --retry (repeatable)',
    ...COMMON_HELP,
  },
  async run(ctx) {
    const config = loadConfigFor(ctx);
    if (!config.routes) return fail('DW5310', 'bad-input', `${config.file} has no \`routes:\` file, so nothing is ever queued for delivery`);
    const ids = (ctx.values.id as string[] | undefined) ?? undefined;
    if (ids && !ctx.values.retry) return fail('DW5311', 'bad-input', '--id selects messages for --retry; add --retry');
    return withStore(config, async (store) => {
      const outbox = (await createOutboxStage({ config, store, env: ctx.env, redaction: redactionFor(config, ctx.env), stateDir: stateDir(config) }))!;
      try {
        let requeued = 0;
        let deliveries: readonly DeliveryOutcome[] = [];
        if (ctx.values.retry) {
          requeued = await outbox.retryDead(ids);
          if (ids && requeued < ids.length) ctx.out.error(`DW5312 ${ids.length - requeued} of the given ids are not dead messages (see \`driftwarden outbox\`)`);
          ctx.out.line(`${requeued} dead message(s) put back in line`);
        }
        if (ctx.values.retry || ctx.values.deliver) {
          deliveries = await outbox.deliver();
          for (const d of deliveries) ctx.out.line(`${d.channel.padEnd(20)} ${d.status.padEnd(10)} ${d.detail ?? ''}`);
        }
        const messages = await outbox.list(ctx.values.all ? { limit: 200 } : { statuses: ['pending', 'delivering', 'failed', 'dead'], limit: 200 });
        for (const m of messages) {
          ctx.out.line(`${m.status.padEnd(10)} ${m.channel.padEnd(20)} ${m.kind.padEnd(8)} attempts ${m.attempts}  ${m.id}${m.status === 'failed' ? `  next ${m.nextAttemptAt}` : ''}${m.lastError ? `  ${m.lastError}` : ''}`);
        }
        if (messages.length === 0) ctx.out.line(ctx.values.all ? 'the outbox is empty' : 'nothing waiting, nothing dead');
        ctx.out.result({ requeued, deliveries, messages: messages.map(summary) });
        return messages.some((m) => m.status !== 'delivered') ? EXIT.upstream : EXIT.clean;
      } finally { await outbox.close(); }
    });
  },
};

export const outboxCommands: readonly Command[] = [outboxCommand];
