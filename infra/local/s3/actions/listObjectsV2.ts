import { requireBucket, type S3Action, xmlResponse } from '../context.ts';
import { S3Error } from '../errors.ts';
import { contentsXml, encoder, listPage } from '../listing.ts';
import { canonicalUserId } from './listBuckets.ts';

const encodeToken = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || encodeToken(key) !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
      ArgumentValue: token,
    });
  }
  return key;
}

export const listObjectsV2: S3Action = async (ctx) => {
  requireBucket(ctx);
  const q = ctx.request.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? '';
  const after = token !== null ? decodeToken(token) : startAfter;
  const page = listPage(ctx.store.listObjects(ctx.bucket), { prefix, delimiter, maxKeys, after });
  const encode = encoder(q.get('encoding-type'));
  const owner =
    q.get('fetch-owner') === 'true'
      ? { ID: canonicalUserId(ctx.request.caller.accountId), DisplayName: 'local-cloud' }
      : undefined;
  return xmlResponse(ctx, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    Delimiter: delimiter === '' ? undefined : encode(delimiter),
    MaxKeys: maxKeys,
    EncodingType: q.get('encoding-type') ?? undefined,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    IsTruncated: page.isTruncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: page.isTruncated && page.last !== undefined ? encodeToken(page.last) : undefined,
    StartAfter: startAfter === '' ? undefined : encode(startAfter),
    Contents: page.contents.map((o) => ({ ...contentsXml(o, encode), Owner: owner })),
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
};
