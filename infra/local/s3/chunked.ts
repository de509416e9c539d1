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

const CRLF = Buffer.from('\r\n');

/**
 * Decodes `<hex-size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n[<trailer>:<value>\r\n]*\r\n`.
 * Chunk signatures are not re-verified: the edge has already verified the seed signature.
 */
export function decodeAwsChunked(body: Buffer, decodedLength?: number): DecodedBody {
  const chunks: Buffer[] = [];
  const trailers = new Map<string, string>();
  let pos = 0;
  let total = 0;
  const incomplete = (): never => {
    throw new S3Error('IncompleteBody', 'The request body is not a valid aws-chunked stream.');
  };
  for (;;) {
    const eol = body.indexOf(CRLF, pos);
    if (eol === -1) incomplete();
    const line = body.subarray(pos, eol).toString('latin1');
    const sizeText = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) incomplete();
    const size = Number.parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > body.length) incomplete();
    chunks.push(body.subarray(pos, pos + size));
    total += size;
    pos += size;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) incomplete();
    pos += 2;
  }
  // Trailer section: header lines until an empty line (or the end of the body).
  while (pos < body.length) {
    const eol = body.indexOf(CRLF, pos);
    const line = body.subarray(pos, eol === -1 ? body.length : eol).toString('latin1');
    pos = eol === -1 ? body.length : eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (decodedLength !== undefined && decodedLength !== total) {
    throw new S3Error(
      'IncompleteBody',
      `The decoded body is ${total} bytes but x-amz-decoded-content-length says ${decodedLength}.`,
    );
  }
  return { chunks, size: total, trailers };
}
