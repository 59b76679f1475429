// Public surface of the reports: the per-run report run-check writes, and the compliance
// reports `driftwarden report` renders from the store.
export { writeRunReport, renderReportJson, renderReportMarkdown, type CoverageRow, type RunReport } from './run-report.ts';
export { loadReportModel, type ReportModel, type ReportScope, type RunSection, type ReportVerification } from './model.ts';
export { renderJsonReport, REPORT_SCHEMA_FILE } from './render-json.ts';
export { renderSarifReport } from './render-sarif.ts';
export { renderJunitReport } from './render-junit.ts';
export { renderOscalReport, OSCAL_VERSION } from './render-oscal.ts';
export { renderHtmlReport } from './render-html.ts';
export { renderPdfReport } from './render-pdf.ts';
export { renderReport, REPORT_FORMATS, type ReportFormat } from './render.ts';
