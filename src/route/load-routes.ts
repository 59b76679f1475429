// Reads routes.yaml into a RouteTable: schema errors from ajv, then the checks a schema cannot
// make (unknown channel names, secrets from environment variables), all pointing at file:line:col.
import { DwFailure, dwError, type DwCode } from '../model/errors.ts';
import { loadYamlWithSchemaLocated, parseYamlWithSchemaLocated, type LocatedYaml, type YamlLocator } from '../config/load-yaml.ts';
import { SecretString } from '../redact/secret-string.ts';
import { ROUTES_SCHEMA, type RawChannel, type RawRoute, type RoutesFile } from './schema.ts';
import type { ChannelConfig, RouteMatch, RouteRule, RouteTable, Throttle } from './types.ts';
import type { FindingKind, Sensitivity, Severity } from '../model/findings.ts';
import type { FindingState } from './types.ts';

const CODES = { syntax: 'DW5010', schema: 'DW5011', missing: 'DW5012' } as const;
const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
// Slack sustains about one message per second per webhook; the others are gentler defaults.
const DEFAULT_THROTTLE: Record<ChannelConfig['type'], Throttle> = {
  slack: { minTimeMs: 1000, maxConcurrent: 1 },
  teams: { minTimeMs: 500, maxConcurrent: 1 },
  pagerduty: { minTimeMs: 100, maxConcurrent: 2 },
  email: { minTimeMs: 200, maxConcurrent: 1 },
};
const DAY_MS = 86_400_000;

export type Env = Readonly<Record<string, string | undefined>>;

export function loadRoutes(file: string, env: Env = process.env): RouteTable {
  return buildTable(loadYamlWithSchemaLocated<RoutesFile>(file, ROUTES_SCHEMA, CODES), env);
}

export function parseRoutes(text: string, file: string, env: Env = process.env): RouteTable {
  return buildTable(parseYamlWithSchemaLocated<RoutesFile>(text, file, ROUTES_SCHEMA, CODES), env);
}

function buildTable({ value, locate }: LocatedYaml<RoutesFile>, env: Env): RouteTable {
  const bad = (code: DwCode, message: string, path: readonly (string | number)[], on: 'key' | 'value' = 'value'): never => {
    const p = locate(path, on);
    throw new DwFailure(dwError(code, 'bad-input', message, p.at, p.sourceLine));
  };
  const channels = new Map<string, ChannelConfig>();
  for (const [name, raw] of Object.entries(value.channels)) channels.set(name, buildChannel(name, raw, env, bad));

  const known = (names: readonly string[], path: readonly (string | number)[]) => names.forEach((n, i) => {
    if (!channels.has(n)) bad('DW5013', `unknown channel "${n}"; declared channels: ${[...channels.keys()].join(', ')}`, Array.isArray(pathValue(value, path)) ? [...path, i] : path);
  });
  const routes: RouteRule[] = value.routes.map((r, i) => {
    const rule = buildRule(r, i);
    known(rule.channels, ['routes', i, 'channels']);
    return rule;
  });
  const defaultChannels = value.default?.channels ?? [];
  known(defaultChannels, ['default', 'channels']);
  return { channels, routes, defaultChannels, reminderIntervalMs: value.reminderInterval ? parseDuration(value.reminderInterval) : DAY_MS };
}

type Bad = (code: DwCode, message: string, path: readonly (string | number)[], on?: 'key' | 'value') => never;

function buildChannel(name: string, raw: RawChannel, env: Env, bad: Bad): ChannelConfig {
  const at = (...rest: (string | number)[]) => ['channels', name, ...rest];
  const throttle: Throttle = { ...DEFAULT_THROTTLE[raw.type], ...(raw.throttle ?? {}) };
  /** A secret given inline or through an environment variable — exactly one of the two. */
  const secret = (inline: 'url' | 'routingKey', viaEnv: 'urlEnv' | 'routingKeyEnv', label: string): SecretString => {
    const direct = raw[inline];
    const envName = raw[viaEnv];
    if (direct !== undefined && envName !== undefined) bad('DW5016', `channel "${name}": give either ${inline} or ${viaEnv}, not both`, at(viaEnv), 'key');
    if (envName !== undefined) {
      const v = env[envName];
      if (v === undefined || v.trim() === '') bad('DW5014', `channel "${name}": environment variable ${envName} is not set`, at(viaEnv));
      return new SecretString(v!.trim(), `${name} ${label}`);
    }
    if (direct === undefined) return bad('DW5016', `channel "${name}" (${raw.type}) needs ${inline} or ${viaEnv}`, at(), 'key');
    return new SecretString(direct, `${name} ${label}`);
  };
  const unexpected = (keys: readonly (keyof RawChannel)[]) => {
    for (const k of keys) if (raw[k] !== undefined) bad('DW5016', `channel "${name}": ${k} does not apply to a ${raw.type} channel`, at(k), 'key');
  };
  /** Findings must not cross the network in clear text: https, except to a loopback receiver. */
  const checkUrl = (url: string, field: 'url' | 'urlEnv') => {
    let u: URL | undefined;
    try { u = new URL(url); } catch { /* reported below */ }
    if (!u) return bad('DW5018', `channel "${name}": ${field} is not a valid URL`, at(field));
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) bad('DW5018', `channel "${name}": ${field} must use https (http is allowed only for 127.0.0.1/localhost)`, at(field));
  };
  switch (raw.type) {
    case 'slack':
    case 'teams': {
      unexpected(['routingKey', 'routingKeyEnv', 'from', 'to', 'smtp']);
      const url = secret('url', 'urlEnv', 'webhook url');
      checkUrl(url.reveal(), raw.urlEnv !== undefined ? 'urlEnv' : 'url');
      return { type: raw.type, name, url, throttle };
    }
    case 'pagerduty': {
      unexpected(['from', 'to', 'smtp']);
      const routingKey = secret('routingKey', 'routingKeyEnv', 'routing key');
      if (routingKey.reveal().length !== 32) bad('DW5015', `channel "${name}": a PagerDuty routing key is 32 characters, got ${routingKey.reveal().length}`, at(raw.routingKeyEnv !== undefined ? 'routingKeyEnv' : 'routingKey'));
      if (raw.urlEnv !== undefined) bad('DW5016', `channel "${name}": urlEnv does not apply to pagerduty; use url to override the Events API endpoint`, at('urlEnv'), 'key');
      if (raw.url !== undefined) checkUrl(raw.url, 'url');
      return { type: 'pagerduty', name, routingKey, url: raw.url ?? PAGERDUTY_EVENTS_URL, throttle };
    }
    case 'email': {
      unexpected(['url', 'urlEnv', 'routingKey', 'routingKeyEnv']);
      const smtp = raw.smtp!;
      if (smtp.password !== undefined && smtp.passwordEnv !== undefined) bad('DW5016', `channel "${name}": give either smtp.password or smtp.passwordEnv, not both`, at('smtp', 'passwordEnv'), 'key');
      let password: SecretString | undefined;
      if (smtp.passwordEnv !== undefined) {
        const v = env[smtp.passwordEnv];
        if (v === undefined || v === '') bad('DW5014', `channel "${name}": environment variable ${smtp.passwordEnv} is not set`, at('smtp', 'passwordEnv'));
        password = new SecretString(v!, `${name} smtp password`);
      } else if (smtp.password !== undefined) password = new SecretString(smtp.password, `${name} smtp password`);
      const to = typeof raw.to === 'string' ? [raw.to] : [...(raw.to ?? [])];
      return {
        type: 'email', name, from: raw.from!, to, throttle,
        smtp: {
          host: smtp.host, port: smtp.port, secure: smtp.secure ?? smtp.port === 465, requireTLS: smtp.requireTLS ?? false,
          ...(smtp.user !== undefined ? { user: smtp.user } : {}), ...(password ? { password } : {}),
        },
      };
    }
  }
}

const list = <T extends string>(v: T | readonly T[] | undefined): readonly T[] | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? [v] : v;

function buildRule(r: RawRoute, index: number): RouteRule {
  const m = r.match ?? {};
  const match: RouteMatch = {
    ...(m.severityAtLeast !== undefined ? { severityAtLeast: m.severityAtLeast as Severity } : {}),
    ...opt('severity', list(m.severity) as readonly Severity[] | undefined),
    ...opt('sensitivity', list(m.sensitivity) as readonly Sensitivity[] | undefined),
    ...opt('surface', list(m.surface)), ...opt('path', list(m.path)), ...opt('framework', list(m.framework)),
    ...opt('org', list(m.org)), ...opt('rule', list(m.rule)),
    ...opt('kind', list(m.kind) as readonly FindingKind[] | undefined),
    ...opt('state', list(m.state) as readonly FindingState[] | undefined),
  };
  return { name: r.name ?? `route ${index + 1}`, match, channels: list(r.channels) ?? [], continue: r.continue ?? false };
}

const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [k]: v } as { [P in K]?: V }));

function pathValue(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!m) throw new DwFailure(dwError('DW5017', 'bad-input', `"${text}" is not a duration like 30m, 24h or 7d`));
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS }[m[2] as 's' | 'm' | 'h' | 'd'];
}
