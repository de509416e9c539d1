import { createHash } from 'node:crypto';
import { type Checksum, type ChecksumAlgorithm, computeChecksum } from '../checksums.ts';
import { header, notify, parseBodyXml, requireBucket, type S3Action, xmlResponse } from '../context.ts';
import { S3Error } from '../errors.ts';
import type { PartRecord } from '../store.ts';
import { MIN_PART_BYTES } from '../validation.ts';
import { children, childText } from '../xml.ts';
import { requireUpload } from './multipart.ts';

/** `base64(checksum(concatenated binary part checksums))-N`, S3's COMPOSITE checksum. */
function compositeChecksum(algorithm: string | undefined, parts: readonly PartRecord[]): Checksum | undefined {
  const alg = algorithm?.toLowerCase() as ChecksumAlgorithm | undefined;
  if (alg === undefined || parts.some((p) => p.checksum?.algorithm !== alg)) return undefined;
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64')));
  const value = computeChecksum(alg, joined);
  return value === undefined ? undefined : { algorithm: alg, value: `${value}-${parts.length}` };
}

export const completeMultipartUpload: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx);
  const root = parseBodyXml(ctx);
  if (root.name !== 'CompleteMultipartUpload') throw new S3Error('MalformedXML');
  const requested = children(root, 'Part').map((p) => ({
    partNumber: Number(childText(p, 'PartNumber')),
    etag: (childText(p, 'ETag') ?? '').replaceAll('"', ''),
  }));
  if (requested.length === 0 || requested.some((p) => !Number.isInteger(p.partNumber))) {
    throw new S3Error('MalformedXML');
  }
  const uploadId = upload.uploadId;
  for (const [i, part] of requested.entries()) {
    if (i > 0 && part.partNumber <= requested[i - 1]!.partNumber) {
      throw new S3Error('InvalidPartOrder', undefined, { UploadId: uploadId });
    }
  }
  const parts = requested.map((wanted) => {
    const stored = upload.parts[wanted.partNumber];
    if (stored === undefined || stored.etag !== wanted.etag) {
      throw new S3Error('InvalidPart', undefined, {
        UploadId: uploadId,
        PartNumber: wanted.partNumber,
        ETag: wanted.etag,
      });
    }
    return stored;
  });
  for (const part of parts.slice(0, -1)) {
    if (part.size < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', undefined, {
        ProposedSize: part.size,
        MinSizeAllowed: MIN_PART_BYTES,
        PartNumber: part.partNumber,
        ETag: part.etag,
      });
    }
  }
  // Multipart ETag: MD5 of the concatenated binary part MD5s, then "-<number of parts>".
  const etag = `${createHash('md5')
    .update(Buffer.concat(parts.map((p) => Buffer.from(p.etag, 'hex'))))
    .digest('hex')}-${parts.length}`;
  const blob = await ctx.store.concatBlobs(
    ctx.bucket,
    parts.map((p) => p.blob),
  );
  const size = parts.reduce((sum, p) => sum + p.size, 0);
  await ctx.store.putObject(ctx.bucket, {
    ...upload.headers,
    key: ctx.key,
    size,
    etag,
    lastModified: new Date().toISOString(),
    checksum: compositeChecksum(upload.checksumAlgorithm, parts),
    partsCount: parts.length,
    blob,
  });
  await ctx.store.deleteUpload(ctx.bucket, uploadId);
  notify(ctx, bucket, 'ObjectCreated:CompleteMultipartUpload', { key: ctx.key, size, etag });
  const host = header(ctx, 'host') ?? '127.0.0.1';
  const path = ctx.key.split('/').map(encodeURIComponent).join('/');
  return xmlResponse(
    ctx,
    'CompleteMultipartUploadResult',
    { Location: `http://${host}/${ctx.bucket}/${path}`, Bucket: ctx.bucket, Key: ctx.key, ETag: `"${etag}"` },
    { headers: { 'x-amz-server-side-encryption': 'AES256' } },
  );
};
