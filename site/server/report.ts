// The REPORT line on the server: parsing and cost (shared with the page, site/lib/report.ts) plus
// the decoding of Invoke's `LogResult`.
export { estimateCostUsd, findReport, LAMBDA_X86_PRICE, parseReportLine } from '../lib/report.ts';

/** `LogResult` (base64 of the log's last 4 KB) as text. */
export function decodeLogResult(logResult: string | undefined): string {
  if (!logResult) return '';
  return Buffer.from(logResult, 'base64').toString('utf8');
}
