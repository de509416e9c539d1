import { randomUUID } from 'node:crypto';
import { applyConfiguration, CONFIGURATION_RULES, checkRuntime } from '../configuration.ts';
import { type Action, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { FUNCTION_NAME, functionArn, parseFunctionRef } from '../names.ts';
import { type FunctionConfiguration, lastModified } from '../store.ts';
import { parseJsonBody, type Rules, validate } from '../validation.ts';
import { publishVersion } from '../versions.ts';

const RULES: Rules = {
  ...CONFIGURATION_RULES,
  FunctionName: { type: 'string', required: true, minLength: 1, maxLength: 140 },
  Role: { ...CONFIGURATION_RULES.Role!, required: true },
  Code: { type: 'object', required: true },
  Architectures: { type: 'array', minLength: 1, maxLength: 1, enum: ['x86_64', 'arm64'] },
  Publish: { type: 'boolean' },
};

/** CreateFunction: POST /2015-03-31/functions → 201 with the function's configuration. */
export const createFunction: Action = async (context, request) => {
  const input = parseJsonBody(request.body);
  validate(input, RULES);
  const { name } = parseFunctionRef(input.FunctionName as string);
  if (!FUNCTION_NAME.test(name)) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+`,
    );
  }
  if (typeof input.Runtime !== 'string') {
    throw new LambdaError(
      'InvalidParameterValueException',
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  checkRuntime(input.Runtime);
  if (typeof input.Handler !== 'string') {
    throw new LambdaError(
      'InvalidParameterValueException',
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  if (context.store.get(name) !== undefined) {
    throw new LambdaError('ResourceConflictException', `Function already exist: ${name}`);
  }
  const base: FunctionConfiguration = {
    FunctionName: name,
    FunctionArn: functionArn(context.region, name),
    Runtime: input.Runtime,
    Role: input.Role as string,
    Handler: input.Handler,
    CodeSize: 0,
    Description: '',
    Timeout: 3,
    MemorySize: 128,
    LastModified: lastModified(),
    CodeSha256: '',
    Version: '$LATEST',
    Environment: { Variables: {} },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: randomUUID(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: (input.Architectures as string[] | undefined) ?? ['x86_64'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  };
  const configured = applyConfiguration(base, input);
  const { code, size, sha256 } = await context.resolveCode(name, input.Code as Record<string, unknown>, request.caller);
  // A concurrent CreateFunction may have won while the code was fetched.
  if (context.store.get(name) !== undefined)
    throw new LambdaError('ResourceConflictException', `Function already exist: ${name}`);
  const config: FunctionConfiguration = { ...configured, CodeSize: size, CodeSha256: sha256 };
  context.store.put({ config, code, policy: [] });
  context.trace.publish(
    'lambda.function.created',
    { functionName: name, runtime: config.Runtime, handler: config.Handler },
    request.requestId,
  );
  // `Publish: true` publishes version 1 at once; the answer describes that version.
  if (input.Publish === true) {
    const version = publishVersion(context.store, context.store.get(name)!, context.region);
    return json(201, version.config, request.requestId);
  }
  return json(201, config, request.requestId);
};
