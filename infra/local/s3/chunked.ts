import { createHash, type Hash } from 'node:crypto';
import type { ChunkSignatureChain } from '../edge/sigv4.ts';
import { S3Error } from './errors.ts';

/** A request body after `aws-chunked` decoding, with any trailing headers (checksums). */
export interface DecodedBody {
  /** The payload: views into the received body, never copied or joined. */
  readonly chunks: readonly Buffer[];
  readonly size: number;
  readonly trailers: ReadonlyMap<string, string>;
}

/**
 * True when the body uses the `aws-chunked` framing the SDKs send for streamed uploads
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
 */
export function isAwsChunked(header: (name: string) => string | undefined): boolean {
  const sha = header('x-amz-content-sha256') ?? '';
  const encoding = header('content-encoding') ?? '';
  return sha.startsWith('STREAMING-') || encoding.split(',').some((e) => e.trim() === 'aws-chunked');
}

const CR = 0x0d;
const LF = 0x0a;
/** A chunk header or trailer line longer than this is not aws-chunked framing. */
const MAX_LINE_BYTES = 4096;
const SIGNATURE = /^[0-9a-f]{64}$/;

const incomplete = (): never => {
  throw new S3Error('IncompleteBody', 'The request body is not a valid aws-chunked stream.');
};

// S3 answers a chunk whose signature does not verify as it answers a bad request signature.
const signatureMismatch = (): never => {
  throw new S3Error('SignatureDoesNotMatch');
};

/**
 * Decodes `<hex-size>[;chunk-signature=…]\r\n<data>\r\n … 0[;chunk-signature=…]\r\n[<trailer>:<value>\r\n]*\r\n`
 * piece by piece, as the body arrives: the payload comes out as views into the pieces (nothing is
 * joined), and with a {@link ChunkSignatureChain} every chunk's signature is checked as soon as the
 * chunk is complete, so a tampered chunk stops the upload there (SignatureDoesNotMatch).
 */
export class AwsChunkedDecoder {
  readonly chunks: Buffer[] = [];
  readonly trailers = new Map<string, string>();
  size = 0;
  readonly #signatures: ChunkSignatureChain | undefined;
  #state: 'header' | 'data' | 'data-end' | 'trailer' | 'done' = 'header';
  /** Bytes of the line being read (a header line may span pieces). */
  #line: Buffer[] = [];
  #lineBytes = 0;
  #remaining = 0;
  #dataEnd = 0;
  #signature = '';
  #hash: Hash | undefined;
  #canonicalTrailers = '';
  #trailerSignature: string | undefined;

  constructor(signatures?: ChunkSignatureChain) {
    this.#signatures = signatures;
  }

  push(piece: Buffer): void {
    let pos = 0;
    while (pos < piece.length) {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, piece.length - pos);
        const view = piece.subarray(pos, pos + take);
        this.chunks.push(view);
        this.#hash?.update(view);
        this.size += take;
        this.#remaining -= take;
        pos += take;
        if (this.#remaining === 0) {
          this.#state = 'data-end';
          this.#dataEnd = 0;
        }
      } else if (this.#state === 'data-end') {
        // The CRLF after a chunk's data.
        if (piece[pos] !== (this.#dataEnd === 0 ? CR : LF)) incomplete();
        pos += 1;
        this.#dataEnd += 1;
        if (this.#dataEnd === 2) {
          this.#verifyChunk(this.#hash?.digest('hex'));
          this.#state = 'header';
        }
      } else if (this.#state === 'done') {
        return;
      } else {
        const eol = piece.indexOf(LF, pos);
        const end = eol === -1 ? piece.length : eol + 1;
        this.#lineBytes += end - pos;
        if (this.#lineBytes > MAX_LINE_BYTES) incomplete();
        this.#line.push(piece.subarray(pos, end));
        pos = end;
        if (eol !== -1) {
          const bytes = this.#line.length === 1 ? this.#line[0]! : Buffer.concat(this.#line);
          this.#line = [];
          this.#lineBytes = 0;
          if (bytes.length < 2 || bytes[bytes.length - 2] !== CR) incomplete();
          const line = bytes.toString('latin1', 0, bytes.length - 2);
          if (this.#state === 'header') this.#header(line);
          else this.#trailer(line);
        }
      }
    }
  }

  /** The decoded body, once the whole stream was pushed; IncompleteBody when it stopped short. */
  end(decodedLength?: number): DecodedBody {
    // The trailer section may end with the body rather than with an empty line.
    if (this.#state === 'trailer') {
      if (this.#lineBytes > 0) this.#trailer(Buffer.concat(this.#line).toString('latin1').replace(/\r$/, ''));
      if (this.#state === 'trailer') this.#finish();
    }
    if (this.#state !== 'done') incomplete();
    if (decodedLength !== undefined && decodedLength !== this.size) {
      throw new S3Error(
        'IncompleteBody',
        `The decoded body is ${this.size} bytes but x-amz-decoded-content-length says ${decodedLength}.`,
      );
    }
    return { chunks: this.chunks, size: this.size, trailers: this.trailers };
  }

  #header(line: string): void {
    const semicolon = line.indexOf(';');
    const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) incomplete();
    const size = Number.parseInt(sizeText, 16);
    if (this.#signatures !== undefined) {
      const extension = semicolon === -1 ? '' : line.slice(semicolon + 1).trim();
      const signature = extension.startsWith('chunk-signature=') ? extension.slice('chunk-signature='.length) : '';
      if (!SIGNATURE.test(signature)) signatureMismatch();
      this.#signature = signature;
      this.#hash = createHash('sha256');
    }
    if (size === 0) {
      this.#verifyChunk(this.#hash?.digest('hex'));
      this.#state = 'trailer';
    } else {
      this.#remaining = size;
      this.#state = 'data';
    }
  }

  #verifyChunk(dataSha256: string | undefined): void {
    if (this.#signatures === undefined || dataSha256 === undefined) return;
    if (!this.#signatures.nextChunk(dataSha256, this.#signature)) signatureMismatch();
    this.#hash = undefined;
  }

  /** Trailer section: header lines until an empty line. */
  #trailer(line: string): void {
    if (line === '') {
      this.#finish();
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.#trailerSignature = value;
    else {
      this.trailers.set(name, value);
      this.#canonicalTrailers += `${name}:${value}\n`;
    }
  }

  #finish(): void {
    // Signed trailing headers (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) carry a signature of their own.
    if (this.#signatures !== undefined && this.trailers.size > 0) {
      if (
        this.#trailerSignature === undefined ||
        !this.#signatures.trailer(this.#canonicalTrailers, this.#trailerSignature)
      )
        signatureMismatch();
    }
    this.#state = 'done';
  }
}

/** Decodes a whole `aws-chunked` body given in the pieces it arrived in (see {@link AwsChunkedDecoder}). */
export function decodeAwsChunked(
  pieces: Buffer | readonly Buffer[],
  decodedLength?: number,
  signatures?: ChunkSignatureChain,
): DecodedBody {
  const decoder = new AwsChunkedDecoder(signatures);
  for (const piece of Buffer.isBuffer(pieces) ? [pieces] : pieces) decoder.push(piece);
  return decoder.end(decodedLength);
}
