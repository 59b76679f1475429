// Error codes of the daemon (DW91xx).
export const DAEMON_CODES = {
  noSchedule: 'DW9101',     // no selected org has a `schedule`
  badSchedule: 'DW9102',    // a schedule is not a valid cron expression
  aborted: 'DW9103',        // a run was stopped at a stage boundary because the daemon is stopping
  leaseLost: 'DW9104',      // the lease was taken over while the run was going (it expired)
  blind: 'DW9110',          // monitoring blind: no successful complete run within the window
  badOption: 'DW9105',      // a daemon option is out of range
  heartbeat: 'DW9120',      // the heartbeat URL did not answer 2xx (logged, never fatal)
} as const;

/** The rule id of the "monitoring blind" finding. */
export const BLIND_RULE = 'dw.monitoring.blind';
