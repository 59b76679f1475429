// One entry point over the report formats.
import type { ReportModel } from './model.ts';
import { renderJsonReport } from './render-json.ts';
import { renderSarifReport } from './render-sarif.ts';
import { renderJunitReport } from './render-junit.ts';
import { renderOscalReport } from './render-oscal.ts';
import { renderHtmlReport } from './render-html.ts';
import { renderPdfReport, type PdfOptions } from './render-pdf.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'json', 'sarif', 'junit', 'oscal'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export async function renderReport(m: ReportModel, format: ReportFormat, pdf: PdfOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'html': return Buffer.from(renderHtmlReport(m));
    case 'pdf': return renderPdfReport(m, pdf);
    case 'json': return Buffer.from(renderJsonReport(m));
    case 'sarif': return Buffer.from(renderSarifReport(m));
    case 'junit': return Buffer.from(renderJunitReport(m));
    case 'oscal': return Buffer.from(renderOscalReport(m));
  }
}
