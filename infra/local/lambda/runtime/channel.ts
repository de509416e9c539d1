/**
 * The runtime channel between the local cloud and an execution environment: newline-delimited
 * JSON on the environment's fd 3 (a socket pair). It replaces Node's IPC channel, whose parser
 * runs in the cloud's own process and throws on the first malformed line — handler code can write
 * to fd 3, so what arrives there is untrusted. This reader never throws: a line that is not a JSON
 * object, or a line longer than {@link MAX_CHANNEL_LINE_BYTES}, is a protocol violation and the
 * caller stops the environment (Runtime.ExitError), never the cloud.
 */

/** A result carries at most a 6 MB payload, escaped inside a JSON string: 16 MB is ample. */
export const MAX_CHANNEL_LINE_BYTES = 16 * 1024 * 1024;

export interface ChannelHandlers {
  readonly onMessage: (message: Record<string, unknown>) => void;
  /** Called once, with what was wrong; nothing is parsed after it. */
  readonly onViolation: (reason: string) => void;
}

export class ChannelReader {
  readonly #handlers: ChannelHandlers;
  readonly #maxLineBytes: number;
  #chunks: Buffer[] = [];
  #pendingBytes = 0;
  #broken = false;

  constructor(handlers: ChannelHandlers, maxLineBytes = MAX_CHANNEL_LINE_BYTES) {
    this.#handlers = handlers;
    this.#maxLineBytes = maxLineBytes;
  }

  get broken(): boolean {
    return this.#broken;
  }

  push(chunk: Buffer): void {
    let rest = chunk;
    while (!this.#broken) {
      const newline = rest.indexOf(0x0a);
      if (newline === -1) {
        this.#pendingBytes += rest.length;
        if (this.#pendingBytes > this.#maxLineBytes) {
          this.#violation(`a message line longer than ${this.#maxLineBytes} bytes`);
          return;
        }
        if (rest.length > 0) this.#chunks.push(rest);
        return;
      }
      if (this.#pendingBytes + newline > this.#maxLineBytes) {
        this.#violation(`a message line longer than ${this.#maxLineBytes} bytes`);
        return;
      }
      // A line that arrived whole (the usual case) is decoded where it lies, without a copy.
      const line =
        this.#chunks.length === 0
          ? rest.toString('utf8', 0, newline)
          : Buffer.concat([...this.#chunks, rest.subarray(0, newline)]).toString('utf8');
      this.#chunks = [];
      this.#pendingBytes = 0;
      rest = rest.subarray(newline + 1);
      if (line.trim() !== '') this.#line(line);
    }
  }

  #line(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.#violation(`a line that is not JSON (${JSON.stringify(line.slice(0, 80))})`);
      return;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      this.#violation('a message that is not a JSON object');
      return;
    }
    try {
      this.#handlers.onMessage(message as Record<string, unknown>);
    } catch (error) {
      this.#violation(`a message the runtime could not handle (${(error as Error).message})`);
    }
  }

  #violation(reason: string): void {
    if (this.#broken) return;
    this.#broken = true;
    this.#chunks = [];
    this.#pendingBytes = 0;
    this.#handlers.onViolation(reason);
  }
}

/** One message as a channel line. */
export const channelLine = (message: unknown): string => `${JSON.stringify(message)}\n`;
