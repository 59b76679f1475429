// Test wiring for the outbox: a real SQLite file in a temp dir (only the core and outbox
// migrations, so other areas' work in progress cannot break these tests), routes.yaml aimed at
// the local receivers, findings redacted the real way, a fake clock and a seeded random.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { CORE_MIGRATIONS } from '../../src/store/migrations.ts';
import type { Store } from '../../src/store/store.ts';
import { OUTBOX_MIGRATIONS } from '../../src/notify/outbox/migrations.ts';
import { createOutbox, type DurableOutbox, type OutboxDeps } from '../../src/notify/outbox/outbox.ts';
import type { ChannelConfig, RouteTable } from '../../src/route/types.ts';
import { SecretString } from '../../src/redact/secret-string.ts';
import { channelSecrets, createNotifiers } from '../../src/notify/create-notifiers.ts';
import { compileRedactionRules, type RedactionRules } from '../../src/redact/rules.ts';
import { redactFinding } from '../../src/redact/redact-finding.ts';
import type { Redacted } from '../../src/redact/redacted.ts';
import { findingId, orgId, ruleId, runId, surfaceId, type RunId } from '../../src/model/ids.ts';
import type { Finding, RunRecord, Severity } from '../../src/model/findings.ts';
import type { ReceivedMail } from '../../src/receivers/smtp.ts';
import { mulberry32 } from '../../src/model/prng.ts';

export const PD_KEY = 'driftwardenLocalRoutingKey000001';
export const ORG = orgId('acme-prod');

/** Where the receivers listen; passed to crash-test children through the environment. */
export type Endpoints = { readonly slack: string; readonly teams: string; readonly pagerduty: string; readonly smtpPort: number };
export const endpointsOf = (rx: { slack: { url: string }; teams: { url: string }; pagerduty: { url: string }; smtp: { port: number } }): Endpoints =>
  ({ slack: rx.slack.url, teams: rx.teams.url, pagerduty: rx.pagerduty.url, smtpPort: rx.smtp.port });

/** Every finding goes to the Slack, Teams and e-mail digests; high and above also page. Built
 *  by hand rather than parsed from YAML: crash-test children start faster without ajv, and the
 *  factory test (check-e2e) goes through routes.yaml for real. */
export function routeTable(ep: Endpoints, channels: readonly ('oncall' | 'security' | 'it' | 'compliance')[] = ['oncall', 'security', 'it', 'compliance']): RouteTable {
  const throttle = { minTimeMs: 0, maxConcurrent: 1 };
  const all: Record<string, ChannelConfig> = {
    oncall: { type: 'pagerduty', name: 'oncall', url: ep.pagerduty, routingKey: new SecretString(PD_KEY, 'oncall routing key'), throttle },
    security: { type: 'slack', name: 'security', url: new SecretString(ep.slack, 'security webhook url'), throttle },
    it: { type: 'teams', name: 'it', url: new SecretString(ep.teams, 'it webhook url'), throttle },
    compliance: {
      type: 'email', name: 'compliance', from: 'dw@acme.example', to: ['audit@acme.example'], throttle,
      smtp: { host: '127.0.0.1', port: ep.smtpPort, secure: false, requireTLS: false },
    },
  };
  const digests = channels.filter((c) => c !== 'oncall');
  return {
    channels: new Map(channels.map((c) => [c, all[c]!])),
    routes: [
      ...(channels.includes('oncall') ? [{ name: 'page', match: { severityAtLeast: 'high' as const }, channels: ['oncall'], continue: true }] : []),
      ...(digests.length ? [{ name: 'digests', match: {}, channels: digests, continue: false }] : []),
    ],
    defaultChannels: [],
    reminderIntervalMs: 86_400_000,
  };
}

export const redactionFor = (table: RouteTable): RedactionRules =>
  compileRedactionRules({ fingerprintKey: 'outbox-test-fingerprint-key-0001', knownSecrets: channelSecrets(table) });

export function finding(i: number, severity: Severity, over: Partial<Finding> = {}, rules?: RedactionRules): Redacted<Finding> {
  return redactFinding({
    id: findingId(`dw-f${String(i).padStart(4, '0')}`), kind: 'drift', org: ORG, surface: surfaceId('auth-settings'),
    pathText: `authentication.setting${i}`, rule: ruleId('auth.settings'), title: `Setting ${i} changed`,
    severity, sensitivity: 'internal', frameworks: [{ framework: 'SOC2', control: 'CC6.1' }], driftKind: 'MODIFIED', old: i, new: i + 1,
    ...over,
  }, rules ?? compileRedactionRules({ fingerprintKey: 'outbox-test-fingerprint-key-0001' }));
}

export async function openOutboxStore(file: string): Promise<Store> {
  const store = openSqliteStore(file, { migrations: [...CORE_MIGRATIONS, ...OUTBOX_MIGRATIONS] });
  await store.migrate();
  return store;
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dw-outbox-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock that only moves when told to, and a sleep that moves it instead of waiting. */
export function fakeClock(startIso = '2026-11-25T10:00:00.000Z') {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    sleep: async (ms: number) => { t += ms; },
    advance: (ms: number) => { t += ms; },
  };
}

/** The project's seeded PRNG: jitter and crash points repeat run after run. */
export const seeded = (seed: number): (() => number) => mulberry32(seed);

export function buildOutbox(store: Store, table: RouteTable, over: Partial<OutboxDeps> = {}): DurableOutbox {
  const redaction = redactionFor(table);
  return createOutbox({
    store, table, notifiers: createNotifiers(table, { knownSecrets: channelSecrets(table) }), redaction,
    reminderMs: 24 * 3_600_000, random: seeded(7), ...over,
  });
}

let runCounter = 0;
export const nextRunId = (): RunId => runId(`20261125T100000000Z-${(++runCounter).toString(16).padStart(8, '0')}`);

/** What run-check does: the run record and the outbox rows in one transaction. */
export async function commitRun(store: Store, outbox: DurableOutbox, findings: readonly Redacted<Finding>[], resolved: readonly Redacted<Finding>[] = [], id: RunId = nextRunId()): Promise<{ run: RunRecord; enqueued: number }> {
  const run: RunRecord = {
    id, org: ORG, startedAt: '2026-11-25T10:00:00.000Z', finishedAt: '2026-11-25T10:00:01.000Z', status: findings.length ? 'drift' : 'clean',
    surfacesOk: 1, surfacesTotal: 1, driftCount: findings.length, findingCount: findings.length, durationsMs: {}, exitCode: findings.length ? 1 : 0,
  };
  const enqueued = await store.transaction(async (tx) => {
    await tx.recordRun(run);
    return outbox.enqueue(tx, run, findings, resolved);
  });
  return { run, enqueued };
}

type Event = { event_action: string; dedup_key: string; payload?: { summary: string } };
export const pdEvents = (rx: { pagerduty: { accepted: unknown[] } }): Event[] => rx.pagerduty.accepted as Event[];
/** Mails the mailbox kept: not refused, not a repeated Message-ID. */
export const mails = (rx: { smtp: { received: readonly ReceivedMail[] } }): ReceivedMail[] =>
  rx.smtp.received.filter((m) => m.rejectedWith === undefined && !m.duplicate);
