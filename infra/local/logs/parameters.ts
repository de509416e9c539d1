import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

/** The CloudWatch Logs request members (API reference) of each implemented operation. */
export const LOGS_PARAMETERS: ServiceParameters = {
  CreateLogGroup: supported('logGroupName', 'kmsKeyId', 'tags', 'logGroupClass', 'deletionProtectionEnabled'),
  CreateLogStream: supported('logGroupName', 'logStreamName'),
  DeleteLogGroup: supported('logGroupName'),
  DeleteLogStream: supported('logGroupName', 'logStreamName'),
  // One account and no linked ones: accountIdentifiers and includeLinkedAccounts select what there is.
  DescribeLogGroups: supported(
    'accountIdentifiers',
    'logGroupNamePrefix',
    'logGroupNamePattern',
    'nextToken',
    'limit',
    'includeLinkedAccounts',
    'logGroupClass',
    'logGroupIdentifiers',
  ),
  DescribeLogStreams: supported(
    'logGroupName',
    'logGroupIdentifier',
    'logStreamNamePrefix',
    'orderBy',
    'descending',
    'nextToken',
    'limit',
  ),
  PutLogEvents: {
    ...supported('logGroupName', 'logStreamName', 'logEvents', 'sequenceToken'),
    entity: refused('telemetry entities are not modelled'),
  },
  // No data protection policies: every event is unmasked already.
  GetLogEvents: supported(
    'logGroupName',
    'logGroupIdentifier',
    'logStreamName',
    'startTime',
    'endTime',
    'nextToken',
    'limit',
    'startFromHead',
    'unmask',
  ),
  FilterLogEvents: supported(
    'logGroupName',
    'logGroupIdentifier',
    'logStreamNames',
    'logStreamNamePrefix',
    'startTime',
    'endTime',
    'filterPattern',
    'nextToken',
    'limit',
    'interleaved',
    'unmask',
  ),
  PutRetentionPolicy: supported('logGroupName', 'retentionInDays'),
  DeleteRetentionPolicy: supported('logGroupName'),
};
