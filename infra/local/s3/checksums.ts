import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { S3Error } from './errors.ts';

/** Flexible checksum algorithms S3 accepts (`x-amz-checksum-<algorithm>`). */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64, as on the wire. */
  readonly value: string;
}

/** A payload as the list of pieces it arrived in (see chunked.ts): hashed piece by piece, never joined. */
export type Bytes = Buffer | readonly Buffer[];
const pieces = (data: Bytes): readonly Buffer[] => (Buffer.isBuffer(data) ? [data] : data);

let crc32cTable: Uint32Array | undefined;
function crc32c(data: Bytes): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const piece of pieces(data)) for (const byte of piece) crc = crc32cTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function uint32Base64(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString('base64');
}

/** Base64 checksum of `data`, or undefined for an algorithm the local cloud does not compute (CRC64NVME). */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Bytes): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return uint32Base64(pieces(data).reduce((crc, piece) => zlibCrc32(piece, crc), 0));
    case 'crc32c':
      return uint32Base64(crc32c(data));
    case 'sha1':
    case 'sha256':
      return digest(algorithm, data, 'base64');
    default:
      return undefined;
  }
}

function digest(algorithm: string, data: Bytes, encoding: 'hex' | 'base64'): string {
  const hash = createHash(algorithm);
  for (const piece of pieces(data)) hash.update(piece);
  return hash.digest(encoding);
}

export const md5Hex = (data: Bytes): string => digest('md5', data, 'hex');

/**
 * Reads the checksum a client sent (header or aws-chunked trailer) and verifies it, as S3 does:
 * a mismatch is BadDigest. Content-MD5 is verified too.
 */
export function verifyChecksums(
  data: Bytes,
  header: (name: string) => string | undefined,
  md5 = () => md5Hex(data),
): Checksum | undefined {
  const contentMd5 = header('content-md5');
  if (contentMd5 !== undefined) {
    const given = Buffer.from(contentMd5, 'base64');
    if (given.length !== 16) throw new S3Error('InvalidDigest');
    const calculated = Buffer.from(md5(), 'hex');
    if (!given.equals(calculated)) {
      throw new S3Error('BadDigest', undefined, {
        ExpectedDigest: contentMd5,
        CalculatedDigest: calculated.toString('base64'),
      });
    }
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(`x-amz-checksum-${algorithm}`);
    if (value === undefined) continue;
    const computed = computeChecksum(algorithm, data);
    if (computed !== undefined && computed !== value) {
      throw new S3Error(
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    return { algorithm, value };
  }
  return undefined;
}

/**
 * A signed payload hash (`x-amz-content-sha256` as a hex digest) checked against the bytes, before
 * anything is stored: S3 answers a mismatch with XAmzContentSHA256Mismatch, naming both digests.
 * UNSIGNED-PAYLOAD and the STREAMING-* values (aws-chunked framing) are not digests of the body.
 */
export function verifyContentSha256(claimed: string | undefined, data: Bytes, computed?: string): void {
  if (claimed === undefined || !/^[0-9a-fA-F]{64}$/.test(claimed)) return;
  const actual = computed ?? digest('sha256', data, 'hex');
  if (actual !== claimed.toLowerCase()) {
    throw new S3Error('XAmzContentSHA256Mismatch', undefined, {
      ClientComputedContentSHA256: claimed,
      S3ComputedContentSHA256: actual,
    });
  }
}
