import { type Action, json } from '../context.ts';
import { page } from '../paging.ts';

/** ListFunctions: GET /2015-03-31/functions/ with `Marker` / `MaxItems` paging (default page 50). */
export const listFunctions: Action = async (context, request) => {
  const { items, nextMarker } = page(context.store.list(), request.query, (record) => record.config.FunctionName);
  return json(
    200,
    { Functions: items.map((record) => record.config), ...(nextMarker ? { NextMarker: nextMarker } : {}) },
    request.requestId,
  );
};
