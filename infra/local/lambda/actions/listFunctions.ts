import { type Action, json } from '../context.ts';
import { LambdaError } from '../errors.ts';

/** ListFunctions: GET /2015-03-31/functions/ with `Marker` / `MaxItems` paging (default page 50). */
export const listFunctions: Action = async (context, request) => {
  const maxItems = Number(request.query.get('MaxItems') ?? '50');
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${request.query.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  const all = context.store.list();
  const marker = request.query.get('Marker');
  const start = marker === null ? 0 : all.findIndex((record) => record.config.FunctionName > marker);
  const page = start === -1 ? [] : all.slice(start, start + maxItems);
  const more = start !== -1 && start + maxItems < all.length;
  const last = page.at(-1);
  return json(
    200,
    {
      Functions: page.map((record) => record.config),
      ...(more && last ? { NextMarker: last.config.FunctionName } : {}),
    },
    request.requestId,
  );
};
