// The scheduler daemon: cron per org, leases, catch-up, dead-man's switch, heartbeat.
export { Daemon, DEFAULT_LEASE_MS, type DaemonEvent, type DaemonEventType, type DaemonOptions, type Trigger } from './daemon.ts';
export { DAEMON_CODES, BLIND_RULE } from './codes.ts';
export { DAEMON_MIGRATIONS } from './migrations.ts';
export { acquireLease, renewLease, releaseLease, readLease, type Lease, type LeaseAttempt } from './lease.ts';
export { parseSchedule, scheduleIntervalMs, blindWindowMs, missedRun } from './schedule.ts';
export { blindFinding, raiseBlind, MONITORING_SURFACE, type BlindFacts } from './blind.ts';
export { pingHeartbeat, type HeartbeatResult } from './heartbeat.ts';
export { readScheduleState, lastSuccessAt, runSpan } from './schedule-state.ts';
