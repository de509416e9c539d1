import { CreateStreamCommand, KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import type { KinesisRecordPayload } from '../../../../infra/local/kinesis/record.ts';
import { createKinesisStore, KinesisService } from '../../../../infra/local/kinesis/service.ts';
import { ShardStore } from '../../../../infra/local/streams/shard-store.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { startEdge, TEST_CREDENTIALS } from '../../../helpers/edge.ts';

function request(target: string | undefined, body: string, headers: Record<string, string> = {}): ServiceRequest {
  return {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
      ...headers,
    },
    body: Buffer.from(body),
    service: 'kinesis',
    region: 'us-east-1',
    requestId: 'request-1',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
  };
}

async function answer(service: KinesisService, req: ServiceRequest) {
  const response = await service.handle(req);
  return { status: response.status, headers: response.headers ?? {}, body: JSON.parse(String(response.body)) };
}

describe('KinesisService protocol (JSON 1.1, without sockets)', () => {
  it.each([
    {
      name: 'malformed JSON',
      target: 'Kinesis_20131202.ListStreams',
      body: '{"Limit":',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'a JSON array body',
      target: 'Kinesis_20131202.ListStreams',
      body: '[]',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'a string where an integer belongs',
      target: 'Kinesis_20131202.CreateStream',
      body: '{"StreamName":"s","ShardCount":"2"}',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'data that is not base64',
      target: 'Kinesis_20131202.PutRecord',
      body: '{"StreamName":"s","PartitionKey":"k","Data":"***"}',
      status: 400,
      type: 'SerializationException',
    },
    {
      name: 'an unknown target',
      target: 'Kinesis_20131202.Frobnicate',
      body: '{}',
      status: 400,
      type: 'UnknownOperationException',
    },
    { name: 'no target', target: undefined, body: '{}', status: 400, type: 'UnknownOperationException' },
    {
      name: 'a Kinesis operation the local cloud does not implement',
      target: 'Kinesis_20131202.SplitShard',
      body: '{}',
      status: 501,
      type: 'NotImplemented',
    },
  ])('answers $type ($status) for $name', async ({ target, body, status, type }) => {
    // Prepare
    const service = new KinesisService({ trace: new TraceBus() });

    // Act
    const response = await answer(service, request(target, body));

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers['x-amzn-errortype']).toBe(type);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(response.body).toEqual({ __type: type, message: expect.any(String) });
  });

  it('answers InternalFailure (500) without internals when something unexpected throws, and traces it', async () => {
    // Prepare
    class BrokenStore extends ShardStore<KinesisRecordPayload> {
      override list(): never {
        throw new Error('disk on fire');
      }
    }
    const trace = new TraceBus();
    const service = new KinesisService({ trace, streams: new BrokenStore() });

    // Act
    const response = await answer(service, request('Kinesis_20131202.ListStreams', '{}'));

    // Assess
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ __type: 'InternalFailure', message: 'Internal Service Failure' });
    expect(trace.recent().at(-1)).toMatchObject({
      type: 'kinesis.request',
      requestId: 'request-1',
      detail: { operation: 'ListStreams', status: 500, error: 'InternalFailure' },
    });
  });

  it('exposes its store: records put through the API are there, by stream ARN, for the event source mapping poller', async () => {
    // Prepare
    const store = createKinesisStore();
    const service = new KinesisService({ trace: new TraceBus(), streams: store });
    await service.handle(request('Kinesis_20131202.CreateStream', '{"StreamName":"polled","ShardCount":1}'));

    // Act
    await service.handle(
      request('Kinesis_20131202.PutRecord', JSON.stringify({ StreamName: 'polled', PartitionKey: 'pk', Data: 'aGk=' })),
    );

    // Assess
    expect(service.store).toBe(store);
    const shard = store.require(service.streamArn('polled')).shard('shardId-000000000000');
    expect(shard.slice(0, shard.size).map((r) => r.payload)).toEqual([{ data: 'aGk=', partitionKey: 'pk' }]);
  });
});

describe('KinesisService behind the shared HTTP/1.1 edge (AWS CLI, boto3, an SDK with NodeHttpHandler)', () => {
  it('creates, puts and lists through startEdge', async () => {
    // Prepare
    const edge = await startEdge([new KinesisService({ trace: new TraceBus() })]);
    const kinesis = new KinesisClient({
      endpoint: edge.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      requestHandler: new NodeHttpHandler(),
    });

    try {
      // Act
      await kinesis.send(new CreateStreamCommand({ StreamName: 'over-http1', ShardCount: 1 }));
      const put = await kinesis.send(
        new PutRecordCommand({ StreamName: 'over-http1', PartitionKey: 'k', Data: Buffer.from('x') }),
      );
      const listed = await kinesis.send(new ListStreamsCommand({}));

      // Assess
      expect(put.ShardId).toBe('shardId-000000000000');
      expect(listed.StreamNames).toEqual(['over-http1']);
    } finally {
      kinesis.destroy();
      await edge.close();
    }
  });
});
