import type { S3Action } from '../context.ts';
import { readObject } from './getObject.ts';

/** Errors of HEAD carry no body: the SDK sees `NotFound` with Code '404' (recorded: s3-error-headobject-404.json). */
export const headObject: S3Action = (ctx) => readObject(ctx, false);
