import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

const STREAM = ['StreamName', 'StreamARN'] as const;
const STREAM_ID = refused('stream IDs are not modelled: name the stream by StreamName or StreamARN');

/** The Kinesis Data Streams request members (API reference) of each implemented operation. */
export const KINESIS_PARAMETERS: ServiceParameters = {
  CreateStream: {
    ...supported('StreamName', 'ShardCount', 'StreamModeDetails'),
    Tags: refused('stream tags are not modelled'),
    WarmThroughputMiBps: refused('warm throughput is not modelled'),
    MaxRecordSizeInKiB: refused('the record size limit is fixed at 1 MiB'),
  },
  DeleteStream: { ...supported(...STREAM, 'EnforceConsumerDeletion'), StreamId: STREAM_ID },
  DescribeStream: { ...supported(...STREAM, 'Limit', 'ExclusiveStartShardId'), StreamId: STREAM_ID },
  DescribeStreamSummary: { ...supported(...STREAM), StreamId: STREAM_ID },
  ListStreams: supported('Limit', 'ExclusiveStartStreamName', 'NextToken'),
  ListShards: {
    ...supported(
      ...STREAM,
      'NextToken',
      'ExclusiveStartShardId',
      'MaxResults',
      'StreamCreationTimestamp',
      'ShardFilter',
    ),
    StreamId: STREAM_ID,
  },
  // SequenceNumberForOrdering holds by construction: a shard's sequence numbers only grow.
  PutRecord: {
    ...supported(...STREAM, 'Data', 'PartitionKey', 'ExplicitHashKey', 'SequenceNumberForOrdering'),
    StreamId: STREAM_ID,
  },
  PutRecords: { ...supported(...STREAM, 'Records'), StreamId: STREAM_ID },
  GetShardIterator: {
    ...supported(...STREAM, 'ShardId', 'ShardIteratorType', 'StartingSequenceNumber', 'Timestamp'),
    StreamId: STREAM_ID,
  },
  GetRecords: { ...supported('ShardIterator', 'Limit', 'StreamARN'), StreamId: STREAM_ID },
};
