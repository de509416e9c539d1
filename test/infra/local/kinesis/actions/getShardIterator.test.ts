import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud, streamName } from '../../../../helpers/kinesis-cloud.ts';

const ShardId = 'shardId-000000000000';

describe('GetShardIterator', () => {
  let cloud: KinesisTestCloud;
  const StreamName = streamName('iterated');
  /** Sequence numbers of the records put at t0, t0+1s, t0+2s. */
  const sequence: string[] = [];
  let t0: number;

  const put = async (text: string) =>
    (await cloud.kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(text) })))
      .SequenceNumber!;
  const read = async (input: Omit<GetShardIteratorCommandInput, 'ShardId'>) => {
    const { ShardIterator } = await cloud.kinesis.send(new GetShardIteratorCommand({ ShardId, ...input }));
    const { Records } = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator }));
    return (Records ?? []).map((r) => Buffer.from(r.Data!).toString());
  };

  beforeAll(async () => {
    cloud = await startKinesisCloud();
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    t0 = cloud.now();
    for (const text of ['one', 'two', 'three']) {
      sequence.push(await put(text));
      cloud.advance(1000);
    }
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it.each([
    { type: 'TRIM_HORIZON', extra: () => ({}), expected: ['one', 'two', 'three'] },
    { type: 'AT_SEQUENCE_NUMBER', extra: () => ({ StartingSequenceNumber: sequence[1] }), expected: ['two', 'three'] },
    { type: 'AFTER_SEQUENCE_NUMBER', extra: () => ({ StartingSequenceNumber: sequence[1] }), expected: ['three'] },
    { type: 'AT_TIMESTAMP', extra: () => ({ Timestamp: new Date(t0 + 1000) }), expected: ['two', 'three'] },
    { type: 'AT_TIMESTAMP', extra: () => ({ Timestamp: new Date(t0 + 500) }), expected: ['two', 'three'] },
    { type: 'AT_TIMESTAMP', extra: () => ({ Timestamp: new Date(t0 - 60_000) }), expected: ['one', 'two', 'three'] },
    { type: 'LATEST', extra: () => ({}), expected: [] },
  ] as const)('$type $extra reads $expected', async ({ type, extra, expected }) => {
    // Act
    const texts = await read({ StreamName, ShardIteratorType: type, ...extra() });

    // Assess
    expect(texts).toEqual(expected);
  });

  it('LATEST reads only what arrives after the iterator was taken', async () => {
    // Prepare
    const { ShardIterator } = await cloud.kinesis.send(
      new GetShardIteratorCommand({
        StreamARN: cloud.service.streamArn(StreamName),
        ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    const before = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator }));
    await put('four');

    // Act
    const after = await cloud.kinesis.send(new GetRecordsCommand({ ShardIterator: before.NextShardIterator }));

    // Assess
    expect(before.Records).toEqual([]);
    expect(after.Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['four']);
  });

  it.each([
    {
      name: 'a shard that does not exist',
      input: { ShardId: 'shardId-000000000007', ShardIteratorType: 'TRIM_HORIZON' as const },
      code: 'ResourceNotFoundException',
      message: `Shard shardId-000000000007 in stream ${StreamName} under account 000000000000 does not exist`,
    },
    {
      name: 'AT_SEQUENCE_NUMBER without StartingSequenceNumber',
      input: { ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const },
      code: 'InvalidArgumentException',
      message: 'The StartingSequenceNumber must be provided for the ShardIteratorType AT_SEQUENCE_NUMBER.',
    },
    {
      name: 'a sequence number not yet assigned',
      input: { ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: '9'.repeat(56) },
      code: 'InvalidArgumentException',
      message: `StartingSequenceNumber ${'9'.repeat(56)} used in GetShardIterator on shard ${ShardId} in stream ${StreamName} under account 000000000000 is invalid.`,
    },
    {
      name: 'a malformed sequence number',
      input: { ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, StartingSequenceNumber: '0123' },
      code: 'ValidationException',
      message: "Value '0123' at 'startingSequenceNumber' failed to satisfy constraint",
    },
    {
      name: 'AT_TIMESTAMP without Timestamp',
      input: { ShardId, ShardIteratorType: 'AT_TIMESTAMP' as const },
      code: 'InvalidArgumentException',
      message: 'The Timestamp must be provided for the ShardIteratorType AT_TIMESTAMP.',
    },
    {
      name: 'a Timestamp in the future',
      input: {
        ShardId,
        ShardIteratorType: 'AT_TIMESTAMP' as const,
        Timestamp: new Date(Date.now() + 3_600_000 * 24 * 365),
      },
      code: 'InvalidArgumentException',
      message: 'The timestampInMillis parameter cannot be greater than the currentTimestampInMillis.',
    },
    {
      name: 'an unknown iterator type',
      input: { ShardId, ShardIteratorType: 'OLDEST' as 'LATEST' },
      code: 'ValidationException',
      message:
        "Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]",
    },
  ])('answers $code for $name', async ({ input, code, message }) => {
    // Act
    const error = await failure(cloud.kinesis.send(new GetShardIteratorCommand({ StreamName, ...input })));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toContain(message);
  });

  it("refuses another shard's sequence number", async () => {
    // Prepare
    const other = streamName('two-shards');
    await cloud.kinesis.send(new CreateStreamCommand({ StreamName: other, ShardCount: 2 }));
    const onShard1 = await cloud.kinesis.send(
      new PutRecordCommand({
        StreamName: other,
        PartitionKey: 'k',
        ExplicitHashKey: (2n ** 127n).toString(),
        Data: Buffer.from('x'),
      }),
    );
    await cloud.kinesis.send(
      new PutRecordCommand({ StreamName: other, PartitionKey: 'k', ExplicitHashKey: '0', Data: Buffer.from('y') }),
    );

    // Act
    const error = await failure(
      cloud.kinesis.send(
        new GetShardIteratorCommand({
          StreamName: other,
          ShardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: onShard1.SequenceNumber,
        }),
      ),
    );

    // Assess
    expect(onShard1.ShardId).toBe('shardId-000000000001');
    expect(error.name).toBe('InvalidArgumentException');
  });
});
