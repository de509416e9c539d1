import { type Action, apiOutput, json, requireApi } from '../context.ts';
import type { CorsConfiguration } from '../store.ts';
import { API_NAME, CORS_RULES, type Rules, validate } from '../validation.ts';
import { checkCors } from './createApi.ts';

const RULES: Rules = {
  name: API_NAME,
  corsConfiguration: { type: 'object', members: CORS_RULES },
  description: { type: 'string', maxLength: 1024 },
  disableExecuteApiEndpoint: { type: 'boolean' },
  version: { type: 'string', maxLength: 64 },
};

/** UpdateApi (PATCH /v2/apis/{ApiId}): name, description, version and the CORS configuration (replaced as a whole). */
export const updateApi: Action = (context, { params, body, requestId }) => {
  const api = requireApi(context, params.ApiId);
  validate(body, RULES);
  const cors = body.corsConfiguration as CorsConfiguration | undefined;
  checkCors(cors);
  if (body.name !== undefined) api.name = body.name as string;
  if (body.description !== undefined) api.description = body.description as string;
  if (body.version !== undefined) api.version = body.version as string;
  if (body.disableExecuteApiEndpoint !== undefined)
    api.disableExecuteApiEndpoint = body.disableExecuteApiEndpoint as boolean;
  if (cors !== undefined) api.corsConfiguration = cors;
  context.store.put(api);
  return json(200, apiOutput(context, api), requestId);
};
