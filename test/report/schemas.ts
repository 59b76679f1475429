// Offline JSON Schema validators for the report formats:
// - SARIF 2.1.0: the OASIS schema (sarif-2.1.0-rtm.5.json) shipped by the npm package
//   @microsoft/jest-sarif (devDependency). It is a draft-04 schema; ajv 8 speaks draft-07, and
//   the only draft-04-specific keyword it uses is the top-level `id`, renamed to `$id` here.
// - OSCAL 1.0.4 assessment-results: our hand-written subset (src/report/schema/), see its $comment.
// - driftwarden's own JSON report schema (src/report/schema/).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

// ajv 8 ships no format implementations; these are the ones the three schemas use.
const FORMATS = {
  'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
  uri: (s: string) => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(s),
  'uri-reference': (s: string) => !/\s/.test(s),
  email: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s),
};

function ajv(unicodeRegExp = true): Ajv {
  return new Ajv({ allErrors: true, strict: false, formats: FORMATS, unicodeRegExp });
}

export const SARIF_SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const { id, $schema: _draft4, ...rest } = schema;
  // Its `language` pattern has a stray `]` that only non-unicode regular expressions accept.
  return ajv(false).compile({ ...rest, $id: id as string });
}

const local = (name: string) => JSON.parse(readFileSync(new URL(`../../src/report/schema/${name}`, import.meta.url), 'utf8')) as object;

export const oscalValidator = (): ValidateFunction => ajv().compile(local('oscal-1.0.4-assessment-results.subset.schema.json'));
export const reportValidator = (): ValidateFunction => ajv().compile(local('driftwarden-report.schema.json'));

export const errorsOf = (v: ValidateFunction): string => JSON.stringify((v.errors ?? []).slice(0, 5), null, 1);
