// JSON Schema of routes.yaml (validated by ajv through src/config/load-yaml.ts).
import { CHANNEL_TYPES, FINDING_STATES } from './types.ts';
import { FINDING_KINDS, SENSITIVITIES, SEVERITIES } from '../model/findings.ts';

const oneOrMany = (item: object) => ({ anyOf: [item, { type: 'array', items: item, minItems: 1 }] });
const str = { type: 'string', minLength: 1 };
const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' };
const address = { type: 'string', minLength: 3, maxLength: 320, pattern: '^[^\\r\\n]*@[^\\r\\n]*$' };
const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const throttle = {
  type: 'object', additionalProperties: false,
  properties: { minTimeMs: { type: 'integer', minimum: 0, maximum: 600000 }, maxConcurrent: { type: 'integer', minimum: 1, maximum: 64 } },
};
const requiredFor = (type: string, required: readonly string[]) => ({
  if: { properties: { type: { const: type } }, required: ['type'] },
  then: { required },
});

export const ROUTES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['channels', 'routes'],
  properties: {
    version: { const: 1 },
    reminderInterval: { type: 'string', pattern: '^[0-9]+(s|m|h|d)$' },
    channels: {
      type: 'object',
      minProperties: 1,
      propertyNames: name,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { enum: [...CHANNEL_TYPES] },
          url: str, urlEnv: envName,
          routingKey: str, routingKeyEnv: envName,
          // Addresses go to nodemailer as structured fields; CR/LF is refused here all the same.
          from: address, to: oneOrMany(address),
          smtp: {
            type: 'object', additionalProperties: false, required: ['host', 'port'],
            properties: {
              host: str, port: { type: 'integer', minimum: 1, maximum: 65535 },
              secure: { type: 'boolean' }, requireTLS: { type: 'boolean' },
              user: str, password: str, passwordEnv: envName,
            },
          },
          throttle,
        },
        allOf: [requiredFor('email', ['from', 'to', 'smtp'])],
      },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['channels'],
        properties: {
          name: str,
          match: {
            type: 'object', additionalProperties: false,
            properties: {
              severityAtLeast: { enum: [...SEVERITIES] },
              severity: oneOrMany({ enum: [...SEVERITIES] }),
              sensitivity: oneOrMany({ enum: [...SENSITIVITIES] }),
              surface: oneOrMany(str), path: oneOrMany(str), framework: oneOrMany(str),
              org: oneOrMany(str), rule: oneOrMany(str),
              kind: oneOrMany({ enum: [...FINDING_KINDS] }),
              state: oneOrMany({ enum: [...FINDING_STATES] }),
            },
          },
          channels: oneOrMany(name),
          continue: { type: 'boolean' },
        },
      },
    },
    default: {
      type: 'object', additionalProperties: false, required: ['channels'],
      properties: { channels: { type: 'array', items: name } },
    },
  },
} as const;

/** routes.yaml as written (before env resolution and normalization). */
export type RoutesFile = {
  readonly version?: 1;
  readonly reminderInterval?: string;
  readonly channels: Readonly<Record<string, RawChannel>>;
  readonly routes: readonly RawRoute[];
  readonly default?: { readonly channels: readonly string[] };
};
export type RawChannel = {
  readonly type: (typeof CHANNEL_TYPES)[number];
  readonly url?: string; readonly urlEnv?: string;
  readonly routingKey?: string; readonly routingKeyEnv?: string;
  readonly from?: string; readonly to?: string | readonly string[];
  readonly smtp?: { readonly host: string; readonly port: number; readonly secure?: boolean; readonly requireTLS?: boolean;
    readonly user?: string; readonly password?: string; readonly passwordEnv?: string };
  readonly throttle?: { readonly minTimeMs?: number; readonly maxConcurrent?: number };
};
type OneOrMany<T> = T | readonly T[];
export type RawRoute = {
  readonly name?: string;
  readonly match?: {
    readonly severityAtLeast?: string; readonly severity?: OneOrMany<string>; readonly sensitivity?: OneOrMany<string>;
    readonly surface?: OneOrMany<string>; readonly path?: OneOrMany<string>; readonly framework?: OneOrMany<string>;
    readonly org?: OneOrMany<string>; readonly rule?: OneOrMany<string>; readonly kind?: OneOrMany<string>;
    readonly state?: OneOrMany<string>;
  };
  readonly channels: OneOrMany<string>;
  readonly continue?: boolean;
};
