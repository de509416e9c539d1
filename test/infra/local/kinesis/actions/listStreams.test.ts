import { CreateStreamCommand, ListStreamsCommand, paginateListStreams } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type KinesisTestCloud, startKinesisCloud } from '../../../../helpers/kinesis-cloud.ts';

describe('ListStreams', () => {
  let cloud: KinesisTestCloud;
  const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
  beforeAll(async () => {
    cloud = await startKinesisCloud();
    for (const StreamName of names) await cloud.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('lists names alphabetically with StreamSummaries', async () => {
    // Act
    const listed = await cloud.kinesis.send(new ListStreamsCommand({}));

    // Assess
    expect(listed.StreamNames).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(listed.HasMoreStreams).toBe(false);
    expect(listed.NextToken).toBeUndefined();
    expect(listed.StreamSummaries?.[0]).toEqual({
      StreamName: 'alpha',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/alpha',
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamCreationTimestamp: new Date(cloud.now()),
    });
  });

  it('pages with Limit and NextToken (the SDK paginator), and with ExclusiveStartStreamName', async () => {
    // Act
    const pages: string[][] = [];
    for await (const page of paginateListStreams({ client: cloud.kinesis, pageSize: 2 }, {})) {
      pages.push(page.StreamNames ?? []);
    }
    const after = await cloud.kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'charlie', Limit: 1 }));

    // Assess
    expect(pages).toEqual([['alpha', 'bravo'], ['charlie', 'delta'], ['echo']]);
    expect(after.StreamNames).toEqual(['delta']);
    expect(after.HasMoreStreams).toBe(true);
  });

  it('answers InvalidArgumentException for a NextToken with ExclusiveStartStreamName', async () => {
    // Prepare
    const { NextToken } = await cloud.kinesis.send(new ListStreamsCommand({ Limit: 1 }));

    // Act
    const error = await failure(
      cloud.kinesis.send(new ListStreamsCommand({ NextToken, ExclusiveStartStreamName: 'alpha' })),
    );

    // Assess
    expect(error.name).toBe('InvalidArgumentException');
  });
});
