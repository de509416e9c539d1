import type { ServiceResponse } from '../../edge/types.ts';
import { LambdaError } from '../errors.ts';
import { locateFunction } from '../names.ts';
import type { MappingStore } from './store.ts';
import type {
  Checkpoint,
  MappingConfiguration,
  MappingRecord,
  MappingState,
  StartingPositionName,
  StreamKind,
} from './types.ts';

/** What an event source mapping action may use of {@link EventSourceMappings}. */
export interface MappingContext {
  readonly region: string;
  readonly store: MappingStore;
  /** The function's ARN for a name or ARN, or undefined when there is no such function. */
  resolveFunction(ref: string): string | undefined;
  /** Throws InvalidParameterValueException `Stream not found: <arn>` (AWS's wording) when it does not exist. */
  requireStream(kind: StreamKind, arn: string): void;
  /** Where a new mapping starts reading; LATEST is fixed now, so records written next are delivered. */
  initialPosition(kind: StreamKind, arn: string, position: StartingPositionName, timestamp?: number): Checkpoint;
  /** The mapping entered a transitional state; it settles (and its poller starts or stops) shortly. */
  transition(mapping: MappingRecord, state: MappingState): void;
}

export interface MappingRequest {
  /** `UUID` from the path. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly requestId: string;
}

export type MappingAction = (context: MappingContext, request: MappingRequest) => Promise<ServiceResponse>;

export function json(status: number, body: unknown, requestId: string): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/** A copy of the configuration, as the API answers it. */
export function describe(mapping: MappingRecord): MappingConfiguration {
  return structuredClone(mapping.config);
}

/** Unknown UUID (recorded: test/recordings/aws/lambda-esm-errors-not-found-and-invalid.json). */
export function findMapping(context: MappingContext, uuid: string | undefined): MappingRecord {
  const mapping = uuid === undefined ? undefined : context.store.get(uuid);
  if (mapping === undefined || mapping.deleting) {
    throw new LambdaError('ResourceNotFoundException', 'The resource you requested does not exist.');
  }
  return mapping;
}

/** Parses a JSON request body (empty → `{}`). */
export function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new LambdaError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new LambdaError(
      'InvalidRequestContentException',
      'Could not parse request body into json: expected a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * Function resolution shared by Create and Update (recorded wording: 'Function does not exist').
 * A reference to another region or account gets the answer every Lambda action gives it
 * (names.ts: locateFunction); a qualified one (`fn:live`) maps to that alias or version.
 */
export function requireFunction(context: MappingContext, ref: unknown): string {
  if (typeof ref === 'string')
    locateFunction(ref, { region: context.region, iamAction: 'lambda:CreateEventSourceMapping' });
  const arn = typeof ref === 'string' ? context.resolveFunction(ref) : undefined;
  if (arn === undefined) throw new LambdaError('InvalidParameterValueException', 'Function does not exist');
  return arn;
}

/** `arn:aws:lambda:region:account:function:name[:qualifier]` → `name`. */
export function functionNameOf(functionArn: string): string {
  return functionArn.split(':')[6] ?? functionArn;
}
