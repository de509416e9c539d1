import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type KinesisRecordPayload, toLambdaKinesisRecord } from '../../../../infra/local/kinesis/record.ts';
import { createKinesisStore, KinesisService } from '../../../../infra/local/kinesis/service.ts';
import type { KinesisSource } from '../../../../infra/local/lambda/esm/types.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';

describe('toLambdaKinesisRecord', () => {
  it("builds AWS's Kinesis event record (Lambda developer guide example shape)", async () => {
    // Prepare
    const arrival = 1_545_084_650_987;
    const store = createKinesisStore({ now: () => arrival });
    const service = new KinesisService({ trace: new TraceBus(), streams: store });
    await service.handle({
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'Kinesis_20131202.CreateStream' },
      body: Buffer.from('{"StreamName":"simple-stream","ShardCount":1}'),
      service: 'kinesis',
      region: 'us-east-1',
      requestId: 'r',
      caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
    });
    const streamArn = service.streamArn('simple-stream');
    const stored = store.append(streamArn, 'shardId-000000000000', {
      data: Buffer.from('Hello, this is a test.').toString('base64'),
      partitionKey: '1',
    });

    // Act
    const event: KinesisStreamEvent = {
      Records: [
        toLambdaKinesisRecord(stored, {
          streamArn,
          shardId: 'shardId-000000000000',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/lambda-role',
        }),
      ],
    };

    // Assess
    expect(event.Records[0]).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: stored.sequenceNumber,
        data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${stored.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/lambda-role',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/simple-stream',
    });
    expect(Object.keys(event.Records[0]!)).toEqual([
      'kinesis',
      'eventSource',
      'eventVersion',
      'eventID',
      'eventName',
      'invokeIdentityArn',
      'awsRegion',
      'eventSourceARN',
    ]);
    expect(stored.sequenceNumber).toMatch(/^49\d{54}$/);
  });

  it('is what the event source mapping poller asks of Kinesis (KinesisSource), through the service', () => {
    // Prepare
    const service = new KinesisService({ trace: new TraceBus() });
    const source: KinesisSource<KinesisRecordPayload> = service;
    const record = { sequenceNumber: '7', arrivalTime: 2500, payload: { data: 'eA==', partitionKey: 'k' } };

    // Act
    const lambdaRecord = source.toLambdaRecord(record, {
      streamArn: service.streamArn('s'),
      shardId: 'shardId-000000000000',
      region: 'us-east-1',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    });

    // Assess
    expect(source.store).toBe(service.store);
    expect(lambdaRecord).toMatchObject({
      eventID: 'shardId-000000000000:7',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
      kinesis: { data: 'eA==', approximateArrivalTimestamp: 2.5 },
    });
  });

  it('takes the region from the stream ARN unless given', () => {
    // Prepare
    const record = { sequenceNumber: '1', arrivalTime: 1000, payload: { data: '', partitionKey: 'k' } };

    // Act
    const fromArn = toLambdaKinesisRecord(record, {
      streamArn: 'arn:aws:kinesis:eu-west-1:000000000000:stream/s',
      shardId: 'shardId-000000000003',
      invokeIdentityArn: 'role',
    });

    // Assess
    expect(fromArn.awsRegion).toBe('eu-west-1');
    expect(fromArn.eventID).toBe('shardId-000000000003:1');
    expect(fromArn.kinesis.approximateArrivalTimestamp).toBe(1);
  });
});
