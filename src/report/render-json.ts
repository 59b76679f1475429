// `--format json`: the report model as documented by schema/driftwarden-report.schema.json.
import type { ReportModel } from './model.ts';

export const REPORT_SCHEMA_FILE = new URL('./schema/driftwarden-report.schema.json', import.meta.url);

export function renderJsonReport(m: ReportModel): string {
  return JSON.stringify(m, null, 2) + '\n';
}
