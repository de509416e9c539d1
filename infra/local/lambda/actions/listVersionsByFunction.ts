import { type Action, findFunction, json } from '../context.ts';
import { page } from '../paging.ts';
import { latestListed } from '../versions.ts';

/**
 * ListVersionsByFunction: GET /2015-03-31/functions/{FunctionName}/versions → `{ Versions }`:
 * `$LATEST` first (its ARN qualified `:$LATEST`), then the published versions, with Marker/MaxItems paging.
 */
export const listVersionsByFunction: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const all = [latestListed(record, context.region), ...(record.versions ?? []).map((v) => v.config)];
  const { items, nextMarker } = page(all, request.query, (config) => config.Version);
  return json(200, { Versions: items, ...(nextMarker ? { NextMarker: nextMarker } : {}) }, request.requestId);
};
