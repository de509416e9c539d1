import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

describe('CreateStream', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud({ shardLimit: 20 });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([
    { request: { ShardCount: 3 }, mode: 'PROVISIONED', shards: 3 },
    {
      request: { ShardCount: 1, StreamModeDetails: { StreamMode: 'PROVISIONED' as const } },
      mode: 'PROVISIONED',
      shards: 1,
    },
    { request: { StreamModeDetails: { StreamMode: 'ON_DEMAND' as const } }, mode: 'ON_DEMAND', shards: 4 },
    { request: {}, mode: 'ON_DEMAND', shards: 4 },
  ])('creates an ACTIVE $mode stream with $shards shards from $request', async ({ request, mode, shards }) => {
    // Prepare
    const StreamName = streamName();

    // Act
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ...request }));
    const summary = await cloud.kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));

    // Assess
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamName,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: mode },
      OpenShardCount: shards,
    });
  });

  it('answers ResourceInUseException for a name that exists', async () => {
    // Prepare
    const StreamName = streamName();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));

    // Act
    const error = await failure(cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 })));

    // Assess
    expect(error.name).toBe('ResourceInUseException');
    expect(error.message).toBe(`Stream ${StreamName} under account 000000000000 already exists.`);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each([
    {
      StreamName: 'has space',
      message:
        "Value 'has space' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    },
    {
      StreamName: 'x'.repeat(129),
      message: "at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128",
    },
    {
      StreamName: 'zero-shards',
      ShardCount: 0,
      message:
        "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
    },
  ])('answers ValidationException for $StreamName / $ShardCount', async ({ message, ...request }) => {
    // Act
    const error = await failure(cloud.kinesis.send(new CreateStreamCommand({ ShardCount: 1, ...request })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('1 validation error detected: ');
    expect(error.message).toContain(message);
  });

  it('answers InvalidArgumentException for a ShardCount on an ON_DEMAND stream', async () => {
    // Act
    const error = await failure(
      cloud.kinesis.send(
        new CreateStreamCommand({
          StreamName: streamName(),
          ShardCount: 2,
          StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidArgumentException');
  });

  it('answers LimitExceededException past the account shard limit, creating nothing', async () => {
    // Prepare
    const StreamName = streamName();

    // Act
    const error = await failure(cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 21 })));
    const lookup = await failure(cloud.kinesis.send(new DescribeStreamCommand({ StreamName })));

    // Assess
    expect(error.name).toBe('LimitExceededException');
    expect(error.message).toContain('Limit: 20');
    expect(lookup.name).toBe('ResourceNotFoundException');
  });
});

describe('CreateStream with a CREATING phase (transitionMs)', () => {
  let cloud: KinesisTestCloud;
  beforeAll(async () => {
    cloud = await startKinesisCloud({ transitionMs: 2000 });
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('stays CREATING, refusing writes with ResourceInUseException, until the time is over', async () => {
    // Prepare
    const StreamName = streamName();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));

    // Act
    const creating = await cloud.kinesis.send(new DescribeStreamCommand({ StreamName }));
    const refused = await failure(
      cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') })),
    );
    cloud.advance(2000);
    const active = await cloud.kinesis.send(new DescribeStreamCommand({ StreamName }));
    const put = await cloud.kinesis.send(
      new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') }),
    );

    // Assess
    expect(creating.StreamDescription?.StreamStatus).toBe('CREATING');
    expect(refused.name).toBe('ResourceInUseException');
    expect(refused.message).toBe(
      `Stream ${StreamName} under account 000000000000 not ACTIVE, instead in state CREATING`,
    );
    expect(active.StreamDescription?.StreamStatus).toBe('ACTIVE');
    expect(put.ShardId).toBe('shardId-000000000000');
  });
});
