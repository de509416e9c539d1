import { requireBucket, type S3Action, xmlResponse } from '../context.ts';
import { contentsXml, encoder, listPage } from '../listing.ts';
import { canonicalUserId } from './listBuckets.ts';

/** ListObjects (version 1): marker-based paging. */
export const listObjects: S3Action = async (ctx) => {
  requireBucket(ctx);
  const q = ctx.request.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
  const marker = q.get('marker') ?? '';
  const page = listPage(ctx.store.listObjects(ctx.bucket), { prefix, delimiter, maxKeys, after: marker });
  const encode = encoder(q.get('encoding-type'));
  const owner = { ID: canonicalUserId(ctx.request.caller.accountId), DisplayName: 'local-cloud' };
  return xmlResponse(ctx, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    Marker: encode(marker),
    NextMarker: page.isTruncated && delimiter !== '' && page.last !== undefined ? encode(page.last) : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === '' ? undefined : encode(delimiter),
    EncodingType: q.get('encoding-type') ?? undefined,
    IsTruncated: page.isTruncated,
    Contents: page.contents.map((o) => ({ ...contentsXml(o, encode), Owner: owner })),
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
