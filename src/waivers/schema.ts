// JSON Schema of waivers.yaml (validated by ajv through src/config/load-yaml.ts). Checks a schema
// cannot make (real calendar dates, maximum length, unique ids) are in load-waivers.ts.
const str = { type: 'string', minLength: 1, maxLength: 500 };
const glob = { type: 'string', minLength: 1, maxLength: 500 };
const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'a calendar date, YYYY-MM-DD (UTC)' };

export const WAIVERS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    version: { const: 1 },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'scope', 'owner', 'reason', 'ticket', 'created', 'expires'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' },
          scope: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: { org: glob, surface: glob, path: glob, rule: glob },
          },
          owner: str,
          reason: str,
          ticket: str,
          created: date,
          expires: date,
        },
      },
    },
  },
} as const;

/** waivers.yaml as written (after schema validation). */
export type RawWaiversFile = {
  readonly version?: 1;
  readonly waivers: readonly RawWaiver[];
};
export type RawWaiver = {
  readonly id: string;
  readonly scope: { readonly org?: string; readonly surface?: string; readonly path: string; readonly rule?: string };
  readonly owner: string;
  readonly reason: string;
  readonly ticket: string;
  readonly created: string;
  readonly expires: string;
};
