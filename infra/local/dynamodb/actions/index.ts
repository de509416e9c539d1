import type { DynamoDBAction } from '../context.ts';
import type { DynaliteOperation } from '../engine.ts';
import { createTable } from './createTable.ts';
import { deleteItem } from './deleteItem.ts';
import { deleteTable } from './deleteTable.ts';
import { describeStream } from './describeStream.ts';
import { describeTable } from './describeTable.ts';
import { getRecords } from './getRecords.ts';
import { getShardIterator } from './getShardIterator.ts';
import { listStreams } from './listStreams.ts';
import { putItem } from './putItem.ts';
import { updateItem } from './updateItem.ts';
import { updateTable } from './updateTable.ts';

/** An operation dynalite answers as is (its validations, results and error messages). */
const engine =
  (operation: DynaliteOperation): DynamoDBAction =>
  ({ engine }, input) =>
    engine.execute(operation, input);

/** The implemented DynamoDB operations (`X-Amz-Target: DynamoDB_20120810.<name>`). */
export const DYNAMODB_ACTIONS: Readonly<Record<string, DynamoDBAction>> = {
  BatchGetItem: engine('BatchGetItem'),
  // Each put/delete of the batch goes through the engine's write hook, so each yields its own stream record.
  BatchWriteItem: engine('BatchWriteItem'),
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeTable: describeTable,
  DescribeTimeToLive: engine('DescribeTimeToLive'),
  GetItem: engine('GetItem'),
  ListTables: engine('ListTables'),
  ListTagsOfResource: engine('ListTagsOfResource'),
  PutItem: putItem,
  Query: engine('Query'),
  Scan: engine('Scan'),
  TagResource: engine('TagResource'),
  UntagResource: engine('UntagResource'),
  UpdateItem: updateItem,
  UpdateTable: updateTable,
};

/** The DynamoDB Streams operations (`X-Amz-Target: DynamoDBStreams_20120810.<name>`). */
export const STREAMS_ACTIONS: Readonly<Record<string, DynamoDBAction>> = {
  DescribeStream: describeStream,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  ListStreams: listStreams,
};

/**
 * Real DynamoDB operations the local cloud does not implement (dynalite has no transactions, PartiQL, TTL
 * expiry, backups or global tables). They answer an error naming the operation, never a silent no-op.
 */
export const UNSUPPORTED_DYNAMODB_OPERATIONS: readonly string[] = [
  'BatchExecuteStatement',
  'CreateBackup',
  'CreateGlobalTable',
  'DeleteBackup',
  'DeleteResourcePolicy',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeEndpoints',
  'DescribeExport',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeLimits',
  'DescribeTableReplicaAutoScaling',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExecuteStatement',
  'ExecuteTransaction',
  'ExportTableToPointInTime',
  'GetResourcePolicy',
  'ImportTable',
  'ListBackups',
  'ListContributorInsights',
  'ListExports',
  'ListGlobalTables',
  'ListImports',
  'PutResourcePolicy',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'TransactGetItems',
  'TransactWriteItems',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
  'UpdateKinesisStreamingDestination',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
];
