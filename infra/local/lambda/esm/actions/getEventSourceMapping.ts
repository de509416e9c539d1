import { describe, findMapping, json, type MappingAction } from '../context.ts';

/** GetEventSourceMapping: GET /2015-03-31/event-source-mappings/{UUID} → 200 with the configuration. */
export const getEventSourceMapping: MappingAction = async (context, request) => {
  const mapping = findMapping(context, request.params.UUID);
  return json(200, describe(mapping), request.requestId);
};
