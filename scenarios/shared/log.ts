/**
 * Structured logs: one JSON object per line, which CloudWatch Logs Insights (and the workbook's
 * log view) can filter by field. Lambda prefixes each line with the timestamp and request id.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') console.error(line);
  else if (level === 'WARN') console.warn(line);
  else console.log(line);
}

/** An error's name and message for a log line (never the whole object: stacks make logs unreadable). */
export function describeError(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: 'Error', errorMessage: String(error) };
}
