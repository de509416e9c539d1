import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

describe('DeleteStream', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each(['StreamName', 'StreamARN'] as const)('deletes a stream named by %s, with its records', async (by) => {
    // Prepare
    const StreamName = streamName();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const ref = by === 'StreamName' ? { StreamName } : { StreamARN: cloud.service.streamArn(StreamName) };
    const { ShardIterator } = await cloud.kinesis.send(
      new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );

    // Act
    await cloud.kinesis.send(new DeleteStreamCommand(ref));
    const described = await failure(cloud.kinesis.send(new DescribeStreamCommand({ StreamName })));
    const read = await failure(cloud.kinesis.send(new GetRecordsCommand({ ShardIterator })));
    const listed = await cloud.kinesis.send(new ListStreamsCommand({}));

    // Assess
    expect(described.name).toBe('ResourceNotFoundException');
    expect(described.message).toBe(`Stream ${StreamName} under account 000000000000 not found.`);
    expect(read.name).toBe('ResourceNotFoundException');
    expect(listed.StreamNames).not.toContain(StreamName);
    expect(cloud.service.store.get(cloud.service.streamArn(StreamName))).toBeUndefined();
  });

  it('answers ResourceNotFoundException for a stream that does not exist', async () => {
    // Act
    const error = await failure(cloud.kinesis.send(new DeleteStreamCommand({ StreamName: 'never-created' })));

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Stream never-created under account 000000000000 not found.');
  });
});

describe('DeleteStream with a DELETING phase (transitionMs)', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud({ transitionMs: 1000 });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('refuses to delete a CREATING stream, then shows DELETING before the stream is gone', async () => {
    // Prepare
    const StreamName = streamName();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));

    // Act
    const early = await failure(cloud.kinesis.send(new DeleteStreamCommand({ StreamName })));
    cloud.advance(1000);
    await cloud.kinesis.send(new DeleteStreamCommand({ StreamName }));
    const deleting = await cloud.kinesis.send(new DescribeStreamCommand({ StreamName }));
    cloud.advance(1000);
    const gone = await failure(cloud.kinesis.send(new DescribeStreamCommand({ StreamName })));

    // Assess
    expect(early.name).toBe('ResourceInUseException');
    expect(deleting.StreamDescription?.StreamStatus).toBe('DELETING');
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});
