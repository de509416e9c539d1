import { createHash } from 'node:crypto';
import { type S3Action, xmlDate, xmlResponse } from '../context.ts';

/** S3's canonical user id for an account (64 hex characters). */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`canonical:${accountId}`).digest('hex');
}

export const listBuckets: S3Action = async (ctx) =>
  xmlResponse(ctx, 'ListAllMyBucketsResult', {
    Owner: { ID: canonicalUserId(ctx.request.caller.accountId), DisplayName: 'local-cloud' },
    Buckets: {
      Bucket: ctx.store.listBuckets().map((b) => ({
        Name: b.name,
        CreationDate: xmlDate(b.creationDate),
        BucketRegion: b.region,
      })),
    },
  });
