import type { DynaliteEngine, TableRecord } from './engine.ts';
import { DynamoDBError } from './errors.ts';
import type { TableStreams } from './streams.ts';
import type { TableTransitions } from './transitions.ts';

/** What an action needs: the table engine, the tables' streams, the region. */
export interface DynamoDBContext {
  readonly engine: DynaliteEngine;
  readonly streams: TableStreams;
  readonly region: string;
  /** Tables UPDATING after an UpdateTable; describes tables as AWS does (status, WarmThroughput). */
  readonly transitions: TableTransitions;
}

/** One DynamoDB or DynamoDB Streams operation: parsed JSON input in, JSON output out; throws DynamoDBError. */
export type DynamoDBAction = (
  context: DynamoDBContext,
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Members this service keeps in dynalite's table record for itself, never shown to clients. */
const PRIVATE_PREFIX = 'LocalCloud';

/** A stored table as AWS describes it (without the service's private members). */
export function publicTable(table: unknown): unknown {
  if (table === null || typeof table !== 'object') return table;
  return Object.fromEntries(Object.entries(table).filter(([name]) => !name.startsWith(PRIVATE_PREFIX)));
}

/** `Requested resource not found: Table: NAME not found` (recorded: dynamodb-error-resourcenotfound-deletetable.json). */
export function tableNotFound(name: string): DynamoDBError {
  return new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
}

/** `Requested resource not found: Stream: ARN not found` (recorded: dynamodbstreams-error-stream-not-found.json). */
export function streamNotFound(arn: string): DynamoDBError {
  return new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
}

export type { TableRecord };
