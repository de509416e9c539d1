// A function's configuration as the workbench's configuration view shows it (what the Lambda
// console's Configuration tab has): memory, timeout, environment variables, reserved concurrency,
// its triggers and its execution role's policy. The JSON the server routes and the page exchange,
// and AWS's limits the page checks before it asks (the cloud checks them again and has the last
// word: its error is shown as it is).
//
//   GET  /api/scenarios/:scenario/configuration?functionIndex=N        → FunctionConfigView
//   POST /api/scenarios/:scenario/configuration  ConfigUpdateRequest   → NDJSON of ConfigUpdateProgress
//        (or, without `accept: application/x-ndjson`, the final FunctionConfigView)
import type { ApiError } from './workbench-api.ts';

/**
 * Lambda's limits for the three settings the view edits (Lambda quotas, "Function configuration,
 * deployment, and execution": memory 128 MB–10,240 MB in 1-MB steps, timeout 900 seconds,
 * environment variables 4 KB in total).
 */
export const LAMBDA_LIMITS = {
  memoryMb: { min: 128, max: 10_240 },
  timeoutSeconds: { min: 1, max: 900 },
  /** All of a function's variables, measured as Lambda measures them: the JSON of the map, in bytes. */
  environmentBytes: 4096,
} as const;

/**
 * Variable names Lambda accepts: a letter, then at least one letter, digit or underscore (Lambda API
 * reference, `Environment`: key pattern `[a-zA-Z]([a-zA-Z0-9_])+`). Reserved names (AWS_REGION, …)
 * are left to Lambda, whose error names them.
 */
export const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

/** A section the caller may not be allowed to read: its content, or why it is not shown. */
export type Readable<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ConfigSectionError };

/** Why a section could not be read, in words a learner can act on. */
export interface ConfigSectionError extends ApiError {
  /** For AccessDenied: the IAM action the caller lacks, e.g. `lambda:ListEventSourceMappings`. */
  readonly missingPermission?: string;
  /** For AccessDenied: who asked (the role or user the workbook's credentials belong to). */
  readonly principal?: string;
}

/** One of the function's triggers, with the settings its kind has. */
export type FunctionTrigger =
  | {
      readonly kind: 's3-notification';
      /** The bucket whose notification configuration names the function. */
      readonly bucket: string;
      readonly id?: string;
      /** e.g. `s3:ObjectCreated:*`. */
      readonly events: readonly string[];
      /** Key filter rules, e.g. `{ name: 'suffix', value: '.jpg' }`. */
      readonly filters: readonly { readonly name: string; readonly value: string }[];
    }
  | {
      readonly kind: 'event-source-mapping';
      readonly uuid: string;
      /** The stream's ARN (DynamoDB Streams, Kinesis). */
      readonly eventSourceArn: string;
      readonly state: string;
      readonly batchSize?: number;
      readonly maximumBatchingWindowInSeconds?: number;
      readonly startingPosition?: string;
      readonly maximumRetryAttempts?: number;
      readonly maximumRecordAgeInSeconds?: number;
      readonly bisectBatchOnFunctionError?: boolean;
      readonly functionResponseTypes?: readonly string[];
      /** Where records that could not be processed go (OnFailure destination ARN). */
      readonly onFailure?: string;
      readonly filterPatterns?: readonly string[];
    }
  | {
      /**
       * A direct Invoke by a caller with an identity pool's temporary credentials (the mobile app):
       * who may call is the pool's guest role, as far as its own policies allow lambda:InvokeFunction.
       */
      readonly kind: 'identity-pool-invoke';
      /** The pool whose unauthenticated (guest) identities get the role. */
      readonly identityPoolId?: string;
      readonly roleArn: string;
      readonly roleName: string;
      /** How the app invokes: synchronously, waiting for the answer. */
      readonly invocationType: 'RequestResponse';
      /** The statements of the role's policies that allow lambda:InvokeFunction on this function. */
      readonly statements: readonly { readonly policy: string; readonly statement: unknown }[];
      /** The role's trust policy: who may assume it (Cognito's federated principal, for this pool). */
      readonly trustPolicy?: unknown;
    }
  | {
      readonly kind: 'http-route';
      readonly apiId: string;
      /** e.g. `GET /items`. */
      readonly routeKey: string;
      readonly authorizationType?: string;
      readonly payloadFormatVersion?: string;
      readonly timeoutInMillis?: number;
    };

/** One policy of the execution role. */
export interface RolePolicy {
  readonly name: string;
  /** An inline policy of the role, or a managed policy attached to it (`arn` then). */
  readonly kind: 'inline' | 'managed';
  readonly arn?: string;
  /** The policy document (JSON), decoded. */
  readonly document: unknown;
}

export interface ExecutionRole {
  readonly arn: string;
  readonly name: string;
  readonly policies: readonly RolePolicy[];
}

/**
 * The function's resource-based policy (GetPolicy): which services or accounts may invoke it — S3
 * for a bucket's notifications, API Gateway for an API's routes. `null`: the function has none.
 */
export interface ResourcePolicy {
  /** The policy document (JSON), parsed. */
  readonly document: unknown;
  readonly revisionId?: string;
}

/** Everything the configuration view shows for one function. */
export interface FunctionConfigView {
  readonly functionIndex: number;
  readonly functionName: string;
  readonly functionArn: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Reserved concurrency; undefined: the function draws on the account's unreserved pool. */
  readonly reservedConcurrency?: number;
  readonly lastUpdateStatus?: string;
  readonly lastModified?: string;
  readonly roleArn: string;
  /**
   * S3 notifications, event source mappings and HTTP API routes that invoke the function: those
   * found, and why a kind of trigger could not be looked for (one error per refused look-up).
   */
  readonly triggers: {
    readonly found: readonly FunctionTrigger[];
    readonly unreadable: readonly ConfigSectionError[];
  };
  readonly role: Readable<ExecutionRole>;
  readonly resourcePolicy: Readable<ResourcePolicy | null>;
}

/** What the view changes; absent fields stay as they are. */
export interface ConfigUpdateRequest {
  readonly functionIndex?: number;
  readonly memorySize?: number;
  readonly timeout?: number;
  /** The complete set of variables (Lambda replaces the whole map). */
  readonly environment?: Readonly<Record<string, string>>;
}

/** What the update streams: Lambda's LastUpdateStatus while it applies the change, then the new view. */
export type ConfigUpdateProgress =
  | { readonly kind: 'status'; readonly lastUpdateStatus: string; readonly elapsedMs: number }
  | { readonly kind: 'done'; readonly view: FunctionConfigView }
  | { readonly kind: 'error'; readonly error: ApiError & Record<string, unknown> };

/** Bytes the variables take against Lambda's 4 KB limit (the JSON of the map, as Lambda measures it). */
export const environmentBytes = (variables: Readonly<Record<string, string>>): number =>
  new TextEncoder().encode(JSON.stringify(variables)).byteLength;

/** A problem with one field of the form, for the page to show beside it. */
export interface FieldProblem {
  readonly field: 'memorySize' | 'timeout' | 'environment';
  readonly message: string;
}

/** Checks the form against Lambda's limits before asking; empty when Lambda would accept it. */
export function checkConfigUpdate(update: {
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly environment?: readonly { readonly name: string; readonly value: string }[];
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { memoryMb, timeoutSeconds } = LAMBDA_LIMITS;
  if (update.memorySize !== undefined) {
    if (!Number.isInteger(update.memorySize) || update.memorySize < memoryMb.min || update.memorySize > memoryMb.max) {
      problems.push({
        field: 'memorySize',
        message: `Memory must be a whole number of MB from ${memoryMb.min} to ${memoryMb.max.toLocaleString('en-US')}.`,
      });
    }
  }
  if (update.timeout !== undefined) {
    if (
      !Number.isInteger(update.timeout) ||
      update.timeout < timeoutSeconds.min ||
      update.timeout > timeoutSeconds.max
    ) {
      problems.push({
        field: 'timeout',
        message: `Timeout must be a whole number of seconds from ${timeoutSeconds.min} to ${timeoutSeconds.max} (15 minutes).`,
      });
    }
  }
  if (update.environment !== undefined) {
    const seen = new Set<string>();
    for (const { name } of update.environment) {
      if (!ENV_NAME.test(name)) {
        problems.push({
          field: 'environment',
          message:
            name === ''
              ? 'A variable needs a name.'
              : `'${name}' is not a valid variable name: a letter, then at least one more letter, digit or _.`,
        });
      } else if (seen.has(name)) {
        problems.push({ field: 'environment', message: `'${name}' is defined twice.` });
      }
      seen.add(name);
    }
    const bytes = environmentBytes(Object.fromEntries(update.environment.map(({ name, value }) => [name, value])));
    if (bytes > LAMBDA_LIMITS.environmentBytes) {
      problems.push({
        field: 'environment',
        message: `The variables take ${bytes.toLocaleString('en-US')} bytes; Lambda allows ${LAMBDA_LIMITS.environmentBytes.toLocaleString('en-US')} (4 KB) in total.`,
      });
    }
  }
  return problems;
}
