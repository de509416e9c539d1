import { type Action, findFunction, json } from '../context.ts';
import { page } from '../paging.ts';
import { aliasOut } from '../versions.ts';

/** ListAliases: GET /2015-03-31/functions/{FunctionName}/aliases[?FunctionVersion=] → `{ Aliases }`, paged. */
export const listAliases: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const version = request.query.get('FunctionVersion');
  const all = (record.aliases ?? []).filter((alias) => version === null || alias.FunctionVersion === version);
  const { items, nextMarker } = page(all, request.query, (alias) => alias.Name);
  return json(
    200,
    { Aliases: items.map(aliasOut), ...(nextMarker ? { NextMarker: nextMarker } : {}) },
    request.requestId,
  );
};
