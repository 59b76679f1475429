// `driftwarden daemon`: checks each org on its cron schedule, one run per org at a time across
// every daemon sharing the store (lease), catches up a missed run on start, raises "monitoring
// blind" when an org has gone too long without a successful run, pings an optional heartbeat,
// and stops gracefully: no new runs, the current run stops at the next stage boundary (recorded
// as failed) or finishes if it is already committing, leases released.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { checkOrg, type CheckSetup } from '../pipeline/check-org.ts';
import type { RunOutcome } from '../pipeline/run-check.ts';
import type { DeliveryOutcome } from '../pipeline/stages.ts';
import type { CoverageRow } from '../report/run-report.ts';
import type { OrgConfig } from '../config/config.ts';
import { DwFailure, fail } from '../model/errors.ts';
import { DAEMON_CODES } from './codes.ts';
import { acquireLease, releaseLease, renewLease } from './lease.ts';
import { blindWindowMs, missedRun, parseSchedule } from './schedule.ts';
import { lastSuccessAt, readScheduleState, runSpan, saveBlindRaised, saveLastTick } from './schedule-state.ts';
import { raiseBlind, resolveBlind } from './blind.ts';
import { pingHeartbeat } from './heartbeat.ts';

export type DaemonEvent = { readonly at: string } & (
  | { readonly type: 'started'; readonly holder: string; readonly orgs: readonly { readonly org: string; readonly schedule: string; readonly next: string | null; readonly blindAfterMinutes: number }[]; readonly unscheduled: readonly string[] }
  | { readonly type: 'catch-up'; readonly org: string; readonly lastRunAt: string | null }
  | { readonly type: 'skipped'; readonly org: string; readonly reason: string }
  | { readonly type: 'run-started'; readonly org: string; readonly trigger: Trigger }
  | { readonly type: 'run-finished'; readonly org: string; readonly runId: string; readonly status: string; readonly exitCode: number; readonly surfacesOk: number; readonly surfacesTotal: number; readonly findings: number; readonly startedAt: string; readonly finishedAt: string }
  | { readonly type: 'coverage-gap'; readonly org: string; readonly runId: string; readonly gaps: readonly CoverageRow[] }
  | { readonly type: 'run-failed'; readonly org: string; readonly error: string }
  | { readonly type: 'blind'; readonly org: string; readonly runId: string; readonly since: string; readonly windowMinutes: number; readonly deliveries: readonly DeliveryOutcome[] }
  | { readonly type: 'blind-resolved'; readonly org: string; readonly runId: string; readonly deliveries: readonly DeliveryOutcome[] }
  | { readonly type: 'heartbeat'; readonly org: string; readonly ok: boolean; readonly error?: string }
  | { readonly type: 'lease-lost'; readonly org: string }
  | { readonly type: 'error'; readonly org?: string; readonly error: string }
  | { readonly type: 'stopping'; readonly reason: string }
  | { readonly type: 'stopped' }
);
export type DaemonEventType = DaemonEvent['type'];
export type Trigger = 'schedule' | 'catch-up';

export type DaemonOptions = {
  readonly setup: CheckSetup;
  readonly orgs: readonly OrgConfig[];
  readonly onEvent: (e: DaemonEvent) => void;
  /** Who holds leases; default `<host>|<pid>|<random>`. */
  readonly holder?: string;
  /** Lease time to live (renewed every third of it while a run goes on). Default 2 min. */
  readonly leaseMs?: number;
  readonly now?: () => Date;
};

export const DEFAULT_LEASE_MS = 120_000;

/** Stages before the commit: a stopping daemon may abandon a run there. From 'record' on, the
 *  run is committing and finishes (delivery and report are part of a good run). */
const ABORTABLE_STAGES = new Set(['baseline', 'snapshot', 'normalize', 'diff', 'policy', 'classify', 'lifecycle', 'attribution', 'redact']);

type OrgSlot = {
  readonly org: OrgConfig;
  readonly schedule: string;
  readonly cron: Cron;
  job?: Cron;
  running: Promise<void> | null;
  /** Blind checks run one at a time per org (a busy tick and a finishing run may both ask). */
  blindChecks: Promise<void>;
};

// Omit over a union must distribute, or the per-type fields are lost.
type EventInput = DaemonEvent extends infer E ? E extends DaemonEvent ? Omit<E, 'at'> : never : never;

export class Daemon {
  readonly holder: string;
  readonly #opts: DaemonOptions;
  readonly #leaseMs: number;
  readonly #now: () => Date;
  readonly #slots: OrgSlot[] = [];
  #startedAt = new Date(0);
  #stopping = false;
  #started = false;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  constructor(opts: DaemonOptions) {
    this.#opts = opts;
    this.#leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.#now = opts.now ?? (() => new Date());
    this.holder = opts.holder ?? `${hostname()}|${process.pid}|${randomBytes(4).toString('hex')}`;
    this.#done = new Promise((resolve) => { this.#resolveDone = resolve; });
  }

  /** Resolves once stop() has finished (every run settled, leases released). */
  get done(): Promise<void> { return this.#done; }

  /** Validates schedules (bad input throws before anything runs), starts the cron jobs and the
   *  catch-up runs. Returns once scheduling is set up; runs go on in the background. */
  async start(): Promise<void> {
    if (this.#started) return;
    const scheduled = this.#opts.orgs.filter((o) => o.schedule !== null);
    if (scheduled.length === 0) {
      fail(DAEMON_CODES.noSchedule, 'bad-input', `no org has a schedule; add e.g. \`schedule: "*/15 * * * *"\` to an org in ${this.#opts.setup.config.file}`);
    }
    for (const org of scheduled) this.#slots.push({ org, schedule: org.schedule!, cron: parseSchedule(org), running: null, blindChecks: Promise.resolve() });
    this.#started = true;
    this.#startedAt = this.#now();
    for (const slot of this.#slots) {
      slot.job = new Cron(slot.schedule, { catch: (e) => this.#emit({ type: 'error', org: slot.org.id, error: text(e) }) }, () => this.#tick(slot, 'schedule'));
    }
    const now = this.#now();
    this.#emit({
      type: 'started', holder: this.holder,
      orgs: this.#slots.map((s) => ({ org: s.org.id, schedule: s.schedule, next: s.job!.nextRun()?.toISOString() ?? null, blindAfterMinutes: Math.round(blindWindowMs(s.org, s.cron, now) / 60_000) })),
      unscheduled: this.#opts.orgs.filter((o) => o.schedule === null).map((o) => o.id),
    });
    for (const slot of this.#slots) {
      const { store } = this.#opts.setup;
      const [span, state] = await Promise.all([runSpan(store, slot.org.id), readScheduleState(store, slot.org.id)]);
      const last = latest(span.last, state.lastTickAt);
      if (missedRun(slot.cron, last, now)) {
        this.#emit({ type: 'catch-up', org: slot.org.id, lastRunAt: last });
        void this.#tick(slot, 'catch-up');
      }
    }
  }

  /** Graceful stop: no new runs; a run in progress stops at its next stage boundary. */
  async stop(reason = 'stop'): Promise<void> {
    if (this.#stopping) return this.#done;
    this.#stopping = true;
    this.#emit({ type: 'stopping', reason });
    for (const slot of this.#slots) slot.job?.stop();
    await Promise.allSettled(this.#slots.map((s) => s.running ?? Promise.resolve()));
    await Promise.allSettled(this.#slots.map((s) => s.blindChecks));
    this.#emit({ type: 'stopped' });
    this.#resolveDone();
    return this.#done;
  }

  async #tick(slot: OrgSlot, trigger: Trigger): Promise<void> {
    if (this.#stopping) return;
    if (slot.running) {
      this.#emit({ type: 'skipped', org: slot.org.id, reason: 'the previous run of this org is still going' });
      // A run that hangs must not hide blindness: the window is checked on every tick.
      await this.#checkBlind(slot, 'a run of this org has not finished');
      return;
    }
    const run = this.#runOnce(slot, trigger).catch((e) => this.#emit({ type: 'error', org: slot.org.id, error: text(e) }));
    slot.running = run;
    try { await run; } finally { slot.running = null; }
  }

  async #runOnce(slot: OrgSlot, trigger: Trigger): Promise<void> {
    const { store } = this.#opts.setup;
    const org = slot.org.id;
    const attempt = await acquireLease(store, org, this.holder, this.#leaseMs, this.#now());
    if (!attempt.acquired) {
      const h = attempt.heldBy;
      this.#emit({ type: 'skipped', org, reason: h ? `another run holds the lease (${h.holder}, until ${h.expiresAt})` : 'lease busy' });
      return;
    }
    let lost = false;
    let ended = false; // a renewal still in flight when the run ends must not report a loss
    const renew = setInterval(() => {
      renewLease(store, org, this.holder, this.#leaseMs, this.#now()).then((ok) => {
        if (!ok && !lost && !ended) { lost = true; this.#emit({ type: 'lease-lost', org }); }
      }, (e) => this.#emit({ type: 'error', org, error: `lease renewal: ${text(e)}` }));
    }, Math.max(100, Math.floor(this.#leaseMs / 3)));
    try {
      if (this.#stopping) return;
      await saveLastTick(store, org, this.#now().toISOString());
      this.#emit({ type: 'run-started', org, trigger });
      let outcome: RunOutcome | undefined;
      let failure: string | undefined;
      try {
        outcome = await checkOrg(this.#opts.setup, slot.org, { progress: (t) => this.#stageBoundary(t, () => lost) });
      } catch (e) {
        failure = text(e);
      }
      if (outcome) {
        const r = outcome.record;
        this.#emit({ type: 'run-finished', org, runId: r.id, status: r.status, exitCode: r.exitCode, surfacesOk: r.surfacesOk, surfacesTotal: r.surfacesTotal, findings: r.findingCount, startedAt: r.startedAt, finishedAt: r.finishedAt });
        const gaps = outcome.coverage.filter((c) => c.status !== 'ok');
        if (gaps.length) this.#emit({ type: 'coverage-gap', org, runId: r.id, gaps });
      } else {
        this.#emit({ type: 'run-failed', org, error: failure ?? 'unknown failure' });
      }
      // A run with coverage gaps did not see the whole org: it does not count as a good run.
      const good = outcome !== undefined && (outcome.record.status === 'clean' || outcome.record.status === 'drift');
      if (good) {
        const { blindRaisedAt } = await readScheduleState(store, org);
        if (blindRaisedAt !== null) {
          const deliveries = await resolveBlind(store, slot.org.id, {
            redaction: this.#opts.setup.redaction, run: outcome!.record, now: this.#now(),
            ...(this.#opts.setup.stages.outbox ? { outbox: this.#opts.setup.stages.outbox } : {}),
          });
          this.#emit({ type: 'blind-resolved', org, runId: outcome!.record.id, deliveries });
        }
        if (slot.org.heartbeatUrl) {
          const beat = await pingHeartbeat(slot.org.heartbeatUrl);
          this.#emit({ type: 'heartbeat', org, ok: beat.ok, ...(beat.ok ? {} : { error: beat.error }) });
        }
      } else {
        const why = failure ?? (outcome ? `coverage gap: ${outcome.coverage.filter((c) => c.status !== 'ok').map((c) => c.surface).join(', ')}` : undefined);
        await this.#checkBlind(slot, why);
      }
    } finally {
      ended = true;
      clearInterval(renew);
      await releaseLease(store, org, this.holder).catch((e) => this.#emit({ type: 'error', org, error: `lease release: ${text(e)}` }));
    }
  }

  /** Called by runCheck as each stage starts: the place a stopping daemon abandons a run. */
  #stageBoundary(progressText: string, leaseLost: () => boolean): void {
    const stage = /: (\w+)…$/.exec(progressText)?.[1];
    if (!stage || !ABORTABLE_STAGES.has(stage)) return;
    if (this.#stopping) fail(DAEMON_CODES.aborted, 'upstream', `run aborted before stage ${stage}: the daemon is stopping`);
    if (leaseLost()) fail(DAEMON_CODES.leaseLost, 'upstream', `run aborted before stage ${stage}: its lease expired and may be held by another daemon`);
  }

  /** Raises "monitoring blind" when the org has had no good run for its window (once per window).
   *  Never throws: a failure to raise is logged. */
  #checkBlind(slot: OrgSlot, lastError: string | undefined): Promise<void> {
    const next = slot.blindChecks.then(() => this.#checkBlindNow(slot, lastError))
      .catch((e) => this.#emit({ type: 'error', org: slot.org.id, error: `blind check: ${text(e)}` }));
    slot.blindChecks = next;
    return next;
  }

  async #checkBlindNow(slot: OrgSlot, lastError: string | undefined): Promise<void> {
    const { store, stages, redaction, surfaces } = this.#opts.setup;
    const org = slot.org.id;
    const now = this.#now();
    const windowMs = blindWindowMs(slot.org, slot.cron, now);
    const last = await lastSuccessAt(store, org);
    const since = last ?? earliest((await runSpan(store, org)).first, this.#startedAt.toISOString());
    if (now.getTime() - Date.parse(since) < windowMs) return;
    const { blindRaisedAt } = await readScheduleState(store, org);
    if (blindRaisedAt !== null && blindRaisedAt >= since && now.getTime() - Date.parse(blindRaisedAt) < windowMs) return;
    const raised = await raiseBlind(store, { org: slot.org.id, lastSuccessAt: last, since, windowMs, ...(lastError ? { lastError } : {}) }, {
      redaction, surfacesTotal: surfaces.length, now, ...(stages.outbox ? { outbox: stages.outbox } : {}),
    });
    this.#emit({ type: 'blind', org, runId: raised.run.id, since, windowMinutes: Math.round(windowMs / 60_000), deliveries: raised.deliveries });
  }

  #emit(e: EventInput): void {
    try { this.#opts.onEvent({ at: this.#now().toISOString(), ...e } as DaemonEvent); } catch { /* a broken log sink must not stop the daemon */ }
  }
}

const text = (e: unknown): string => (e instanceof DwFailure ? `${e.error.code} ${e.error.message}` : e instanceof Error ? e.message : String(e));
const latest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);
const earliest = (a: string | null, b: string): string => (a !== null && a < b ? a : b);
