import { randomUUID } from 'node:crypto';
import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import type { AliasConfiguration } from '../store.ts';
import { parseJsonBody, validate } from '../validation.ts';
import { aliasOut, checkAliasTarget, requireAlias } from '../versions.ts';
import { ALIAS_RULES } from './createAlias.ts';

/**
 * UpdateAlias: PUT /2015-03-31/functions/{FunctionName}/aliases/{Name}. Members left out keep their
 * value; `RoutingConfig: { AdditionalVersionWeights: {} }` removes the weights.
 */
export const updateAlias: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const current = requireAlias(record, context.region, request.params.Name ?? '');
  const input = parseJsonBody(request.body);
  const { Name: _name, ...rules } = ALIAS_RULES;
  validate(input, rules);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== current.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const functionVersion = (input.FunctionVersion as string | undefined) ?? current.FunctionVersion;
  const routing = (input.RoutingConfig as AliasConfiguration['RoutingConfig']) ?? current.RoutingConfig;
  checkAliasTarget(record, context.region, functionVersion, routing);
  const alias: AliasConfiguration = {
    ...current,
    FunctionVersion: functionVersion,
    Description: (input.Description as string | undefined) ?? current.Description,
    RevisionId: randomUUID(),
    ...(routing ? { RoutingConfig: { AdditionalVersionWeights: { ...routing.AdditionalVersionWeights } } } : {}),
  };
  context.store.put({
    ...record,
    aliases: (record.aliases ?? []).map((existing) => (existing.Name === alias.Name ? alias : existing)),
  });
  context.trace.publish(
    'lambda.alias.updated',
    {
      functionName: record.config.FunctionName,
      alias: alias.Name,
      version: functionVersion,
      routing: alias.RoutingConfig,
    },
    request.requestId,
  );
  return json(200, aliasOut(alias), request.requestId);
};
