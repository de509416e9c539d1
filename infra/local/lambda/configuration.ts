import { GROUP_NAME_PATTERN } from '../logs/validation.ts';
import { LambdaError } from './errors.ts';
import type { FunctionConfiguration } from './store.ts';
import type { Rules } from './validation.ts';

/** Rules shared by CreateFunction and UpdateFunctionConfiguration (Lambda API reference). */
export const CONFIGURATION_RULES: Rules = {
  Role: { type: 'string', pattern: /arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+/ },
  Handler: { type: 'string', maxLength: 128, pattern: /[^\s]+/ },
  Description: { type: 'string', maxLength: 256 },
  // Lambda's model says minimum 1; the service caps functions at 900 seconds.
  Timeout: { type: 'integer', min: 1, max: 900 },
  MemorySize: { type: 'integer', min: 128, max: 10240 },
  Runtime: { type: 'string' },
  Environment: { type: 'object', members: { Variables: { type: 'stringMap' } } },
  EphemeralStorage: { type: 'object', members: { Size: { type: 'integer', required: true, min: 512, max: 10240 } } },
  RevisionId: { type: 'string' },
  LoggingConfig: {
    type: 'object',
    members: {
      LogFormat: { type: 'string', enum: ['JSON', 'Text'] },
      LogGroup: { type: 'string', minLength: 1, maxLength: 512, pattern: GROUP_NAME_PATTERN },
      ApplicationLogLevel: { type: 'string', enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] },
      SystemLogLevel: { type: 'string', enum: ['DEBUG', 'INFO', 'WARN'] },
    },
  },
};

/** Keys Lambda sets itself; a function may not define them (AWS: InvalidParameterValueException). */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** The local cloud runs Node.js functions only (nodejs18.x and later). */
export function checkRuntime(runtime: string): void {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node === null) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `The local cloud runs Node.js functions only: runtime '${runtime}' is not supported. Use nodejs20.x, nodejs22.x or nodejs24.x.`,
    );
  }
  if (Number(node[1]) < 18) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
}

export function checkEnvironment(variables: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length > 0) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > 4096) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

/**
 * Values of honoured members the local cloud cannot honour, refused by name (members it does not
 * honour at all are refused by the declarations in parameters.ts before the action runs).
 */
export function checkUnsupported(input: Readonly<Record<string, unknown>>): void {
  const refuse = (what: string) => {
    throw new LambdaError('InvalidParameterValueException', `${what} is not supported by the local cloud.`);
  };
  const logging = input.LoggingConfig as {
    LogFormat?: unknown;
    ApplicationLogLevel?: unknown;
    SystemLogLevel?: unknown;
  };
  if (logging?.LogFormat === 'JSON') refuse('LoggingConfig.LogFormat JSON (the local runtime writes Text logs)');
  // AWS sets log levels for JSON-format logs only; the local runtime writes Text.
  if (logging?.ApplicationLogLevel !== undefined)
    refuse('LoggingConfig.ApplicationLogLevel (log levels need JSON logs)');
  if (logging?.SystemLogLevel !== undefined) refuse('LoggingConfig.SystemLogLevel (log levels need JSON logs)');
}

/** The configuration with the given (validated) changes applied. */
export function applyConfiguration(
  config: FunctionConfiguration,
  input: Readonly<Record<string, unknown>>,
): FunctionConfiguration {
  const environment = input.Environment as { Variables?: Record<string, string> } | undefined;
  const logging = input.LoggingConfig as { LogGroup?: string } | undefined;
  if (environment?.Variables) checkEnvironment(environment.Variables);
  if (typeof input.Runtime === 'string') checkRuntime(input.Runtime);
  checkUnsupported(input);
  return {
    ...config,
    ...(typeof input.Role === 'string' ? { Role: input.Role } : {}),
    ...(typeof input.Handler === 'string' ? { Handler: input.Handler } : {}),
    ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
    ...(typeof input.Timeout === 'number' ? { Timeout: input.Timeout } : {}),
    ...(typeof input.MemorySize === 'number' ? { MemorySize: input.MemorySize } : {}),
    ...(typeof input.Runtime === 'string' ? { Runtime: input.Runtime } : {}),
    ...(environment !== undefined ? { Environment: { Variables: { ...(environment.Variables ?? {}) } } } : {}),
    ...(input.EphemeralStorage !== undefined ? { EphemeralStorage: input.EphemeralStorage as { Size: number } } : {}),
    ...(logging?.LogGroup !== undefined
      ? { LoggingConfig: { LogFormat: 'Text' as const, LogGroup: logging.LogGroup } }
      : {}),
  };
}
