/**
 * Bounded log capture for one invocation. A handler may print without limit (a learner's
 * `while (true) console.log(…)`); the server keeps only what it can afford: the first lines are
 * handed on (to the trace bus) up to a budget, the last 4 KB are kept for `LogType: Tail`, and the
 * rest is counted and dropped.
 */
export interface LogCaptureOptions {
  /** Called for each line within the budget. */
  readonly onLine?: (line: string) => void;
  /** Lines handed to `onLine` per invocation before the rest are only counted. @default 2000 */
  readonly maxLines?: number;
  /** Characters handed to `onLine` per invocation. @default 1 MiB */
  readonly maxChars?: number;
}

/**
 * Where Lambda writes its functions' log lines (the local cloud's CloudWatch Logs service): one
 * call per line, with the group and the execution environment's stream. Must return at once
 * (buffer and store later): it is called on the invocation's path.
 */
export interface LogSink {
  write(logGroup: string, logStream: string, message: string, timestamp?: number): void;
}

/** `X-Amz-Log-Result` carries the last 4 KB of the invocation's log. */
export const TAIL_BYTES = 4096;
/** A single line longer than this is cut into pieces so that no unbounded string builds up. */
export const MAX_LINE_CHARS = 256 * 1024;

export class LogCapture {
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #maxLines: number;
  readonly #maxChars: number;
  #tail = '';
  #lines = 0;
  #chars = 0;
  #dropped = 0;

  constructor({ onLine, maxLines = 2000, maxChars = 1024 * 1024 }: LogCaptureOptions = {}) {
    this.#onLine = onLine;
    this.#maxLines = maxLines;
    this.#maxChars = maxChars;
  }

  /** Adds one complete line (without its newline). */
  line(text: string): void {
    const line = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
    this.#tail += `${line}\n`;
    if (this.#tail.length > TAIL_BYTES * 2) this.#tail = this.#tail.slice(-TAIL_BYTES * 2);
    if (this.#lines < this.#maxLines && this.#chars + line.length <= this.#maxChars) {
      this.#lines += 1;
      this.#chars += line.length;
      this.#onLine?.(line);
    } else {
      if (this.#dropped === 0) this.#onLine?.('[local cloud] log output over budget: further lines are not streamed');
      this.#dropped += 1;
    }
  }

  /** Lines not handed on because the budget was spent. */
  get droppedLines(): number {
    return this.#dropped;
  }

  /** The last {@link TAIL_BYTES} bytes of the log (UTF-8), as `LogType: Tail` returns them. */
  tail(): string {
    const bytes = Buffer.from(this.#tail, 'utf8');
    if (bytes.length <= TAIL_BYTES) return this.#tail;
    // Cut at a UTF-8 character boundary.
    let start = bytes.length - TAIL_BYTES;
    while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
    return bytes.subarray(start).toString('utf8');
  }
}

/**
 * Splits a child's output stream into lines without ever holding more than
 * {@link MAX_LINE_CHARS} of an unfinished line.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #onLine: (line: string) => void;
  #pending = '';

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    let text = this.#pending + this.#decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.#onLine(text.slice(start, end));
      start = end + 1;
    }
    text = text.slice(start);
    while (text.length > MAX_LINE_CHARS) {
      this.#onLine(text.slice(0, MAX_LINE_CHARS));
      text = text.slice(MAX_LINE_CHARS);
    }
    this.#pending = text;
  }

  /** Emits what is left (output that did not end with a newline). */
  flush(): void {
    const rest = this.#pending + this.#decoder.decode();
    this.#pending = '';
    if (rest !== '') this.#onLine(rest);
  }
}

/** `2.3456` → `2.35`: Lambda prints durations with two decimals. */
export const ms2 = (value: number): string => value.toFixed(2);

export interface ReportLine {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** `timeout`, `error` … for invocations that did not complete (Lambda appends `Status: …`). */
  readonly status?: string;
  readonly errorType?: string;
}

/** The REPORT line as Lambda writes it (recorded: test/recordings/aws/lambda-invoke-tail-logresult-nodejs.json). */
export function reportLine(report: ReportLine): string {
  let line =
    `REPORT RequestId: ${report.requestId}\tDuration: ${ms2(report.durationMs)} ms\t` +
    `Billed Duration: ${report.billedDurationMs} ms\tMemory Size: ${report.memorySizeMb} MB\t` +
    `Max Memory Used: ${report.maxMemoryUsedMb} MB\t`;
  if (report.initDurationMs !== undefined) line += `Init Duration: ${ms2(report.initDurationMs)} ms\t`;
  if (report.status !== undefined) line += `Status: ${report.status}\t`;
  if (report.errorType !== undefined) line += `Error Type: ${report.errorType}\t`;
  return line;
}
