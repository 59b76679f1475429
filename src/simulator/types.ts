// Public types of the Genesys Cloud simulator (see .team/CONTRACT-genesys.md).
export type SimClient = {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  /** Genesys permission strings this client's roles grant, e.g. 'authorization:role:view'. '*' = all. */
  readonly permissions: readonly string[];
};

export type Faults = {
  readonly latencyMs: number;
  readonly error5xxRate: number;
  readonly resetRate: number;
  readonly storm429: number;
  readonly retryAfterSec: number;
  readonly retryAfterAsDate: boolean;
};

export type SimulatorOptions = {
  readonly seed?: number;
  readonly port?: number;
  readonly tokenLifetimeSec?: number;
  readonly rateLimitPerMinute?: number;
  readonly clients?: readonly SimClient[];
  readonly quirks?: boolean;
  readonly faults?: Partial<Faults>;
  readonly orgId?: string;
  readonly orgName?: string;
};

export type SimLogEntry = {
  readonly at: number;
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  /** 0 = the connection was reset without a response (fault knob). */
  readonly status: number;
  readonly clientId?: string;
  readonly retryAfter?: string;
  /** Query string without '?', when the request had one (additive to the contract). */
  readonly query?: string;
};

export interface Simulator {
  readonly url: string;
  readonly orgId: string;
  readonly log: readonly SimLogEntry[];
  setFaults(f: Partial<Faults>): void;
  revokeTokens(clientId?: string): void;
  expireTokens(): void;
  setPermissions(clientId: string, permissions: readonly string[]): void;
  readonly canaries: readonly string[];
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0, error5xxRate: 0, resetRate: 0, storm429: 0, retryAfterSec: 1, retryAfterAsDate: false,
};

/** Mutable JSON used for the simulator's in-memory org state. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObj;
export type JsonObj = { [key: string]: JsonValue };
