import type { APIRoute } from 'astro';
import { answer, badRequest } from '../../server/http.ts';
import { objectResponse } from '../../server/resources.ts';
import { requireRuntime } from '../../server/session.ts';
import { validateKey } from '../../server/triggers.ts';

export const prerender = false;

/** An object of a scenario bucket, for <img> previews (?bucket=…&key=…&token=…); only images inline. */
export const GET: APIRoute = ({ url, request }) =>
  answer(async () => {
    const runtime = requireRuntime();
    const bucket = url.searchParams.get('bucket');
    if (bucket === null || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw badRequest("'bucket' is required: the name of a scenario bucket.");
    }
    const key = validateKey(url.searchParams.get('key') ?? undefined);
    return objectResponse(runtime.target(), bucket, key, request.signal);
  }, 'reading the object');
