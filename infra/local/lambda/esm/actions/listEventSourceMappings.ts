import { LambdaError } from '../../errors.ts';
import { describe, functionNameOf, json, type MappingAction } from '../context.ts';

/**
 * ListEventSourceMappings: GET /2015-03-31/event-source-mappings/?EventSourceArn=&FunctionName=
 * &Marker=&MaxItems= → `{EventSourceMappings, NextMarker?}`, oldest first, at most MaxItems (1–10,000,
 * default 100) per page.
 */
export const listEventSourceMappings: MappingAction = async (context, request) => {
  const eventSourceArn = request.query.get('EventSourceArn');
  const functionName = request.query.get('FunctionName');
  const marker = request.query.get('Marker');
  const maxItemsText = request.query.get('MaxItems');
  const maxItems = maxItemsText === null ? 100 : Number(maxItemsText);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${maxItemsText}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`,
    );
  }
  const functionArn = functionName === null ? undefined : (context.resolveFunction(functionName) ?? functionName);
  const matching = context.store.list().filter((mapping) => {
    if (mapping.deleting) return false;
    if (eventSourceArn !== null && mapping.config.EventSourceArn !== eventSourceArn) return false;
    if (
      functionArn !== undefined &&
      mapping.config.FunctionArn !== functionArn &&
      functionNameOf(mapping.config.FunctionArn) !== functionArn
    ) {
      return false;
    }
    return true;
  });
  let start = 0;
  if (marker !== null) {
    start = matching.findIndex((mapping) => mapping.config.UUID === marker);
    if (start === -1) throw new LambdaError('InvalidParameterValueException', `Invalid marker: ${marker}`);
  }
  const page = matching.slice(start, start + maxItems);
  const next = matching[start + maxItems];
  return json(
    200,
    { EventSourceMappings: page.map(describe), ...(next ? { NextMarker: next.config.UUID } : {}) },
    request.requestId,
  );
};
