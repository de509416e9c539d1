import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

const GLOBAL_TABLES = 'global tables are not modelled';
const NOT_RETURNED = 'the engine does not return item collection metrics';
const ITEM_WRITE = [
  'TableName',
  'Expected',
  'ConditionalOperator',
  'ReturnValues',
  'ReturnConsumedCapacity',
  'ConditionExpression',
  'ExpressionAttributeNames',
  'ExpressionAttributeValues',
  'ReturnValuesOnConditionCheckFailure',
] as const;
const WRITE_REFUSALS = { ReturnItemCollectionMetrics: refused(NOT_RETURNED, ['NONE']) };

/**
 * DynamoDB's and DynamoDB Streams' request members (DynamoDB API reference), per implemented
 * operation: what the engine (dynalite) and this service honour, and what they refuse.
 */
export const DYNAMODB_PARAMETERS: ServiceParameters = {
  BatchGetItem: supported('RequestItems', 'ReturnConsumedCapacity'),
  BatchWriteItem: {
    ...supported('RequestItems', 'ReturnConsumedCapacity'),
    ReturnItemCollectionMetrics: refused(NOT_RETURNED, ['NONE']),
  },
  CreateTable: {
    ...supported(
      'AttributeDefinitions',
      'TableName',
      'KeySchema',
      'LocalSecondaryIndexes',
      'GlobalSecondaryIndexes',
      'BillingMode',
      'ProvisionedThroughput',
      'StreamSpecification',
      'Tags',
      'DeletionProtectionEnabled',
    ),
    SSESpecification: refused('server-side encryption settings are not modelled'),
    TableClass: refused('table classes are not modelled'),
    WarmThroughput: refused('warm throughput cannot be set'),
    ResourcePolicy: refused('resource-based policies are not modelled'),
    OnDemandThroughput: refused('maximum on-demand throughput is not modelled'),
    GlobalTableSourceArn: refused(GLOBAL_TABLES),
    GlobalTableSettingsReplicationMode: refused(GLOBAL_TABLES),
  },
  DeleteItem: { ...supported(...ITEM_WRITE, 'Key'), ...WRITE_REFUSALS },
  DeleteTable: supported('TableName'),
  DescribeTable: supported('TableName'),
  DescribeTimeToLive: supported('TableName'),
  GetItem: supported(
    'TableName',
    'Key',
    'AttributesToGet',
    'ConsistentRead',
    'ReturnConsumedCapacity',
    'ProjectionExpression',
    'ExpressionAttributeNames',
  ),
  ListTables: supported('ExclusiveStartTableName', 'Limit'),
  ListTagsOfResource: supported('ResourceArn', 'NextToken'),
  PutItem: { ...supported(...ITEM_WRITE, 'Item'), ...WRITE_REFUSALS },
  Query: supported(
    'TableName',
    'IndexName',
    'Select',
    'AttributesToGet',
    'Limit',
    'ConsistentRead',
    'KeyConditions',
    'QueryFilter',
    'ConditionalOperator',
    'ScanIndexForward',
    'ExclusiveStartKey',
    'ReturnConsumedCapacity',
    'ProjectionExpression',
    'FilterExpression',
    'KeyConditionExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
  ),
  Scan: supported(
    'TableName',
    'IndexName',
    'AttributesToGet',
    'Limit',
    'Select',
    'ScanFilter',
    'ConditionalOperator',
    'ExclusiveStartKey',
    'ReturnConsumedCapacity',
    'TotalSegments',
    'Segment',
    'ProjectionExpression',
    'FilterExpression',
    'ExpressionAttributeNames',
    'ExpressionAttributeValues',
    'ConsistentRead',
  ),
  TagResource: supported('ResourceArn', 'Tags'),
  UntagResource: supported('ResourceArn', 'TagKeys'),
  UpdateItem: { ...supported(...ITEM_WRITE, 'Key', 'AttributeUpdates', 'UpdateExpression'), ...WRITE_REFUSALS },
  UpdateTable: {
    ...supported(
      'AttributeDefinitions',
      'TableName',
      'BillingMode',
      'ProvisionedThroughput',
      'GlobalSecondaryIndexUpdates',
      'StreamSpecification',
      'DeletionProtectionEnabled',
    ),
    SSESpecification: refused('server-side encryption settings are not modelled'),
    ReplicaUpdates: refused(GLOBAL_TABLES),
    TableClass: refused('table classes are not modelled'),
    MultiRegionConsistency: refused(GLOBAL_TABLES),
    GlobalTableWitnessUpdates: refused(GLOBAL_TABLES),
    OnDemandThroughput: refused('maximum on-demand throughput is not modelled'),
    WarmThroughput: refused('warm throughput cannot be set'),
    GlobalTableSettingsReplicationMode: refused(GLOBAL_TABLES),
  },
};

export const DYNAMODB_STREAMS_PARAMETERS: ServiceParameters = {
  DescribeStream: {
    ...supported('StreamArn', 'Limit', 'ExclusiveStartShardId'),
    ShardFilter: refused('shard filters are not modelled'),
  },
  GetRecords: supported('ShardIterator', 'Limit'),
  GetShardIterator: supported('StreamArn', 'ShardId', 'ShardIteratorType', 'SequenceNumber'),
  ListStreams: supported('TableName', 'Limit', 'ExclusiveStartStreamArn'),
};
