import { notify, parseBodyXml, requireBucket, type S3Action, xmlResponse } from '../context.ts';
import { S3Error } from '../errors.ts';
import { MAX_DELETE_OBJECTS } from '../validation.ts';
import { child, children, childText } from '../xml.ts';

export const deleteObjects: S3Action = async (ctx) => {
  const bucket = requireBucket(ctx);
  const root = parseBodyXml(ctx);
  if (root.name !== 'Delete') throw new S3Error('MalformedXML');
  const quiet = childText(root, 'Quiet') === 'true';
  const objects = children(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_DELETE_OBJECTS) throw new S3Error('MalformedXML');
  const keys = objects.map((o) => {
    const key = child(o, 'Key')?.text;
    if (key === undefined) throw new S3Error('MalformedXML');
    return key;
  });
  const deleted: { Key: string }[] = [];
  for (const key of keys) {
    await ctx.store.deleteObject(ctx.bucket, key);
    // S3 notifies one ObjectRemoved:Delete per requested key, a key that never existed included
    // (recorded on AWS for DeleteObjects; issue 17).
    notify(ctx, bucket, 'ObjectRemoved:Delete', { key });
    deleted.push({ Key: key });
  }
  return xmlResponse(ctx, 'DeleteResult', { Deleted: quiet ? [] : deleted });
};
