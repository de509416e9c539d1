import { requireBucket, type S3Action, xmlResponse } from '../context.ts';

/** Versioning is never enabled on the local cloud: an empty configuration, as for a never-versioned bucket. */
export const getBucketVersioning: S3Action = async (ctx) => {
  requireBucket(ctx);
  return xmlResponse(ctx, 'VersioningConfiguration', {});
};
