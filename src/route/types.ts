// The routing table: named channels and ordered rules that send findings to them.
import type { FindingKind, Sensitivity, Severity } from '../model/findings.ts';
import type { SecretString } from '../redact/secret-string.ts';

/** Lifecycle of a finding across runs (computed by a later stage from stored state). */
export const FINDING_STATES = ['new', 'ongoing', 'resolved', 'regressed'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const CHANNEL_TYPES = ['slack', 'teams', 'pagerduty', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Per-channel pacing: at most one request every `minTimeMs`, `maxConcurrent` in flight. */
export type Throttle = { readonly minTimeMs: number; readonly maxConcurrent: number };

export type SlackChannel = { readonly type: 'slack'; readonly name: string; readonly url: SecretString; readonly throttle: Throttle };
export type TeamsChannel = { readonly type: 'teams'; readonly name: string; readonly url: SecretString; readonly throttle: Throttle };
export type PagerDutyChannel = {
  readonly type: 'pagerduty'; readonly name: string; readonly routingKey: SecretString;
  /** Events API endpoint; defaults to https://events.pagerduty.com/v2/enqueue. */
  readonly url: string; readonly throttle: Throttle;
};
export type EmailChannel = {
  readonly type: 'email'; readonly name: string; readonly from: string; readonly to: readonly string[];
  readonly smtp: {
    readonly host: string; readonly port: number;
    /** Implicit TLS (port 465). */ readonly secure: boolean;
    /** Refuse to send unless the server offers STARTTLS. */ readonly requireTLS: boolean;
    readonly user?: string; readonly password?: SecretString;
  };
  readonly throttle: Throttle;
};
export type ChannelConfig = SlackChannel | TeamsChannel | PagerDutyChannel | EmailChannel;

/** Conditions of one rule: all given fields must hold (AND); a list means any of its values (OR). */
export type RouteMatch = {
  readonly severityAtLeast?: Severity;
  readonly severity?: readonly Severity[];
  readonly sensitivity?: readonly Sensitivity[];
  readonly surface?: readonly string[];      // globs on the surface id
  readonly path?: readonly string[];         // globs on pathText
  readonly framework?: readonly string[];    // `SOC2` or `SOC2:CC6.1` (framework:control, globs)
  readonly org?: readonly string[];
  readonly rule?: readonly string[];         // globs on the rule id
  readonly kind?: readonly FindingKind[];
  readonly state?: readonly FindingState[];
};

export type RouteRule = {
  readonly name: string;
  readonly match: RouteMatch;
  readonly channels: readonly string[];
  /** Alertmanager semantics: false (default) = stop at the first matching rule. */
  readonly continue: boolean;
};

export type RouteTable = {
  readonly channels: ReadonlyMap<string, ChannelConfig>;
  readonly routes: readonly RouteRule[];
  /** Channels for findings no rule matched (may be empty: unmatched findings are dropped). */
  readonly defaultChannels: readonly string[];
  /** Re-send an unchanged finding after this long (dedup reminders). */
  readonly reminderIntervalMs: number;
};
