import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBService, type DynamoDBServiceOptions } from '../../infra/local/dynamodb/service.ts';
import { TraceBus } from '../../infra/local/trace/bus.ts';
import { startEdge, TEST_CREDENTIALS, type TestEdge } from './edge.ts';

export interface DynamoDBTestCloud {
  readonly service: DynamoDBService;
  readonly edge: TestEdge;
  readonly trace: TraceBus;
  readonly ddb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  close(): Promise<void>;
}

/** DynamoDBService behind the real SigV4 edge, with real SDK clients for DynamoDB and DynamoDB Streams. */
export async function startDynamoDB(options: Omit<DynamoDBServiceOptions, 'trace'> = {}): Promise<DynamoDBTestCloud> {
  const trace = new TraceBus(20_000);
  const service = new DynamoDBService({ ...options, trace });
  const edge = await startEdge([service], trace);
  const config = { endpoint: edge.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const ddb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    service,
    edge,
    trace,
    ddb,
    streams,
    async close() {
      ddb.destroy();
      streams.destroy();
      await edge.close();
    },
  };
}

/** A unique table name with a readable prefix. */
export const tableName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Every record of a stream's (only) shard from TRIM_HORIZON, through the DynamoDB Streams API. */
export async function readStream(client: DynamoDBStreamsClient, StreamArn: string, Limit = 1000): Promise<_Record[]> {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn }));
  const ShardId = StreamDescription!.Shards![0]!.ShardId!;
  let { ShardIterator } = await client.send(
    new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const records: _Record[] = [];
  while (ShardIterator) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit }));
    records.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    ShardIterator = page.NextShardIterator;
  }
  return records;
}
