import { randomUUID } from 'node:crypto';
import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { functionArn } from '../names.ts';
import type { AliasConfiguration } from '../store.ts';
import { parseJsonBody, type Rules, validate } from '../validation.ts';
import { ALIAS_NAME, aliasOut, checkAliasTarget, findAlias } from '../versions.ts';

/** Members of CreateAlias and UpdateAlias (API reference). */
export const ALIAS_RULES: Rules = {
  Name: { type: 'string', minLength: 1, maxLength: 128, pattern: ALIAS_NAME },
  FunctionVersion: { type: 'string', minLength: 1, maxLength: 1024, pattern: /^(\$LATEST|[0-9]+)$/ },
  Description: { type: 'string', maxLength: 256 },
  RoutingConfig: { type: 'object', members: { AdditionalVersionWeights: { type: 'object' } } },
  RevisionId: { type: 'string' },
};

/** CreateAlias: POST /2015-03-31/functions/{FunctionName}/aliases → 201 AliasConfiguration. */
export const createAlias: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, {
    ...ALIAS_RULES,
    Name: { ...ALIAS_RULES.Name!, required: true },
    FunctionVersion: { ...ALIAS_RULES.FunctionVersion!, required: true },
  });
  const name = input.Name as string;
  const arn = functionArn(context.region, record.config.FunctionName, name);
  if (findAlias(record, name) !== undefined) {
    throw new LambdaError('ResourceConflictException', `Alias already exists: ${arn}`);
  }
  const routing = input.RoutingConfig as AliasConfiguration['RoutingConfig'];
  checkAliasTarget(record, context.region, input.FunctionVersion as string, routing);
  const alias: AliasConfiguration = {
    AliasArn: arn,
    Name: name,
    FunctionVersion: input.FunctionVersion as string,
    Description: (input.Description as string | undefined) ?? '',
    RevisionId: randomUUID(),
    ...(routing ? { RoutingConfig: { AdditionalVersionWeights: { ...routing.AdditionalVersionWeights } } } : {}),
  };
  context.store.put({ ...record, aliases: [...(record.aliases ?? []), alias] });
  context.trace.publish(
    'lambda.alias.created',
    { functionName: record.config.FunctionName, alias: name, version: alias.FunctionVersion },
    request.requestId,
  );
  return json(201, aliasOut(alias), request.requestId);
};
