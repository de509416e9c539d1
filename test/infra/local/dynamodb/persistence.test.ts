import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { readStream, startDynamoDB } from '../../../helpers/dynamodb-cloud.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('persistence under <dataDir>/dynamodb/', () => {
  it('keeps tables, items and stream settings across a restart', async () => {
    // Prepare
    const first = await startDynamoDB({ dataDir });
    const created = await first.ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await first.ddb.send(
      new CreateTableCommand({
        TableName: 'archive',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    await first.ddb.send(
      new UpdateTableCommand({ TableName: 'archive', StreamSpecification: { StreamEnabled: false } }),
    );
    await first.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-1' }, total: { N: '42' } } }));
    const StreamArn = created.TableDescription!.LatestStreamArn!;
    const shardBefore = (await first.streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!
      .Shards![0]!.ShardId;
    await first.close();

    // Act
    const second = await startDynamoDB({ dataDir });
    try {
      const orders = await second.ddb.send(new DescribeTableCommand({ TableName: 'orders' }));
      const archive = await second.ddb.send(new DescribeTableCommand({ TableName: 'archive' }));
      const item = await second.ddb.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o-1' } } }));
      await second.ddb.send(
        new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-1' }, total: { N: '43' } } }),
      );
      await second.ddb.send(new PutItemCommand({ TableName: 'archive', Item: { id: { S: 'a-1' } } }));
      const stream = await second.streams.send(new DescribeStreamCommand({ StreamArn }));
      const records = await readStream(second.streams, StreamArn);
      const archiveStreams = await second.streams.send(new ListStreamsCommand({ TableName: 'archive' }));
      const archiveStream = await second.streams.send(
        new DescribeStreamCommand({ StreamArn: archive.Table!.LatestStreamArn! }),
      );

      // Assess
      expect(orders.Table?.TableStatus).toBe('ACTIVE');
      expect(orders.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(orders.Table?.LatestStreamArn).toBe(StreamArn);
      expect(archive.Table?.StreamSpecification).toBeUndefined();
      expect(item.Item).toEqual({ id: { S: 'o-1' }, total: { N: '42' } });
      expect(stream.StreamDescription?.StreamStatus).toBe('ENABLED');
      expect(stream.StreamDescription?.Shards?.[0]?.ShardId).toBe(shardBefore);
      // Stream records live in memory: after a restart the stream continues with new writes only.
      expect(records.map((r) => [r.eventName, r.dynamodb?.OldImage?.total?.N, r.dynamodb?.NewImage?.total?.N])).toEqual(
        [['MODIFY', '42', '43']],
      );
      expect(archiveStreams.Streams).toHaveLength(1);
      expect(archiveStream.StreamDescription?.StreamStatus).toBe('DISABLED');
      expect(archiveStream.StreamDescription?.StreamViewType).toBe('KEYS_ONLY');
    } finally {
      await second.close();
    }
  });
});
