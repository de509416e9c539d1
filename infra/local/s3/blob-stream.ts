import type { FileHandle } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';

/** Bytes read per step from an object's file. */
const CHUNK_BYTES = 256 * 1024;
/** Read buffers kept for reuse between responses (2 per response in flight). */
const MAX_FREE_BUFFERS = 16;
const freeBuffers: Buffer[] = [];

const takeBuffer = () => freeBuffers.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
function returnBuffers(buffers: readonly Buffer[]): void {
  for (const buffer of buffers) if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(buffer);
}

/**
 * An object's bytes (or the inclusive range `[start, end]` of them) streamed from its file.
 *
 * Read as a stream, each piece is a new Buffer. Sent with `writeTo`, as the edge does, the bytes
 * go through two buffers reused from response to response, each refilled only once the socket has
 * taken what it held: no memory is allocated per byte sent, so sending objects does not make V8
 * collect garbage, which costs more the more the cloud holds.
 */
export class BlobStream extends Readable {
  readonly #file: FileHandle;
  #position: number;
  readonly #end: number;

  constructor(file: FileHandle, start: number, end: number) {
    super({ highWaterMark: CHUNK_BYTES });
    this.#file = file;
    this.#position = start;
    this.#end = end;
  }

  override _read(): void {
    const wanted = Math.min(CHUNK_BYTES, this.#end - this.#position + 1);
    if (wanted <= 0) {
      this.push(null);
      return;
    }
    this.#file.read(Buffer.allocUnsafe(wanted), 0, wanted, this.#position).then(
      ({ bytesRead, buffer }) => {
        if (bytesRead === 0) {
          this.destroy(new Error('The object file is shorter than its record.'));
          return;
        }
        this.#position += bytesRead;
        this.push(buffer.subarray(0, bytesRead));
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#file.close().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** Writes the bytes to `out` (not ending it), two pieces in flight at most. */
  async writeTo(out: Writable): Promise<void> {
    const buffers = [takeBuffer(), takeBuffer()];
    const writes: (Promise<void> | undefined)[] = [undefined, undefined];
    let completed = false;
    try {
      for (let i = 0; this.#position <= this.#end; i ^= 1) {
        await writes[i];
        const buffer = buffers[i]!;
        const wanted = Math.min(CHUNK_BYTES, this.#end - this.#position + 1);
        const { bytesRead } = await this.#file.read(buffer, 0, wanted, this.#position);
        if (bytesRead === 0) throw new Error('The object file is shorter than its record.');
        this.#position += bytesRead;
        const write = new Promise<void>((resolve, reject) => {
          out.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve()));
        });
        write.catch(() => undefined); // awaited in turn; a failure must not go unhandled meanwhile
        writes[i] = write;
      }
      await Promise.all(writes);
      completed = true;
    } finally {
      // A buffer the socket may still hold (a failed response) is left to the garbage collector.
      if (completed) returnBuffers(buffers);
      this.destroy();
    }
  }
}
