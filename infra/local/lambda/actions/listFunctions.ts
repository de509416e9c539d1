import { type Action, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { page } from '../paging.ts';

/**
 * ListFunctions: GET /2015-03-31/functions/ with `Marker` / `MaxItems` paging (default page 50).
 * `FunctionVersion=ALL` lists every published version too; `MasterRegion` (Lambda@Edge replicas) is refused.
 */
export const listFunctions: Action = async (context, request) => {
  const version = request.query.get('FunctionVersion');
  if (version !== null && version !== 'ALL') {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`,
    );
  }
  if (request.query.get('MasterRegion') !== null) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'MasterRegion (Lambda@Edge replicas) is not supported by the local cloud.',
    );
  }
  const configs = context.store
    .list()
    .flatMap((record) => [record.config, ...(version === 'ALL' ? (record.versions ?? []).map((v) => v.config) : [])]);
  const { items, nextMarker } = page(configs, request.query, (config) =>
    version === 'ALL' ? `${config.FunctionName}:${config.Version}` : config.FunctionName,
  );
  return json(200, { Functions: items, ...(nextMarker ? { NextMarker: nextMarker } : {}) }, request.requestId);
};
