import { type S3Action, xmlDate, xmlResponse } from '../context.ts';
import { canonicalUserId } from './listBuckets.ts';
import { requireUpload } from './multipart.ts';

export const listParts: S3Action = async (ctx) => {
  const upload = requireUpload(ctx);
  const q = ctx.request.query;
  const marker = Number(q.get('part-number-marker') ?? 0);
  const maxParts = Math.min(Number(q.get('max-parts') ?? 1000), 1000);
  const all = Object.values(upload.parts)
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const owner = { ID: canonicalUserId(ctx.request.caller.accountId), DisplayName: 'local-cloud' };
  return xmlResponse(ctx, 'ListPartsResult', {
    Bucket: ctx.bucket,
    Key: ctx.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: all.length > page.length,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: xmlDate(p.lastModified),
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...(p.checksum ? { [`Checksum${p.checksum.algorithm.toUpperCase()}`]: p.checksum.value } : {}),
    })),
    Initiator: owner,
    Owner: owner,
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: upload.checksumAlgorithm,
  });
};
