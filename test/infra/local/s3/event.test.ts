import { describe, expect, it } from 'vitest';
import { buildS3EventRecord, encodeEventKey, nextSequencer } from '../../../../infra/local/s3/event.ts';
import { diffFromRecording, loadRecording } from '../../../helpers/s3-recordings.ts';

type Messages = { receive_messages: { messages: unknown[] } };

const input = {
  eventName: 'ObjectCreated:Put',
  region: 'eu-west-1',
  bucket: 'my-bucket',
  key: 'my_key_0',
  size: 9,
  etag: '437b930db84b8079c2dd804a71936b5f',
  configurationId: 'cfg',
  requestId: 'req-1',
  principalId: 'AWS:test',
  ownerAccountId: '000000000000',
  sourceIPAddress: '127.0.0.1',
  sequencer: '0055AED6DCD90281E5',
  time: new Date('2024-01-02T03:04:05.678Z'),
};

describe('buildS3EventRecord', () => {
  it('builds the recorded ObjectCreated:Put record, with AWS field order', () => {
    // Prepare
    const recorded = loadRecording<Messages>('s3-notification-objectcreated-put-sqs.json').receive_messages.messages[0];

    // Act
    const record = buildS3EventRecord(input);

    // Assess
    expect(diffFromRecording(record, recorded)).toEqual([]);
    expect(Object.keys(record)).toEqual([
      'eventVersion',
      'eventSource',
      'awsRegion',
      'eventTime',
      'eventName',
      'userIdentity',
      'requestParameters',
      'responseElements',
      's3',
    ]);
    expect(Object.keys(record.s3.object)).toEqual(['key', 'size', 'eTag', 'sequencer']);
    expect(record.eventTime).toBe('2024-01-02T03:04:05.678Z');
    expect(record.s3.bucket.arn).toBe('arn:aws:s3:::my-bucket');
    expect(record.responseElements['x-amz-request-id']).toBe('req-1');
  });

  it('leaves size and eTag out of ObjectRemoved records', () => {
    const record = buildS3EventRecord({
      ...input,
      eventName: 'ObjectRemoved:Delete',
      size: undefined,
      etag: undefined,
    });
    expect(record.s3.object).toEqual({ key: 'my_key_0', sequencer: '0055AED6DCD90281E5' });
  });

  it('adds versionId when the object has one', () => {
    const record = buildS3EventRecord({ ...input, versionId: 'v1' });
    expect(Object.keys(record.s3.object)).toEqual(['key', 'size', 'eTag', 'versionId', 'sequencer']);
  });

  it.each([
    ['a@b', 'a%40b'],
    ['with space.jpg', 'with+space.jpg'],
    ['plus+sign', 'plus%2Bsign'],
    ['dir/sub/file.txt', 'dir/sub/file.txt'],
    ["it's(1)*!~.-_", 'it%27s%281%29%2A%21~.-_'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
  ])('encodes key %j as %j', (key, expected) => {
    expect(encodeEventKey(key)).toBe(expected);
  });

  it('the recording comparison notices a wrong value, a missing field and an extra field', () => {
    // Prepare
    const recorded = loadRecording<Messages>('s3-notification-objectcreated-put-sqs.json').receive_messages.messages[0];
    const record = buildS3EventRecord({ ...input, etag: 'ffff' }) as unknown as Record<string, unknown>;
    const { eventSource: _dropped, ...missing } = record;

    // Act
    const problems = [
      diffFromRecording(record, recorded),
      diffFromRecording(missing, recorded),
      diffFromRecording({ ...record, extra: 1 }, recorded),
      diffFromRecording({ ...record, eventTime: 'yesterday' }, recorded),
    ];

    // Assess
    expect(problems.map((p) => p.length > 0)).toEqual([true, true, true, true]);
  });

  it('sequencers are strictly increasing hex', () => {
    const values = Array.from({ length: 100 }, () => nextSequencer());
    expect(values.every((v) => /^[0-9A-F]{18}$/.test(v))).toBe(true);
    expect(values.every((v, i) => i === 0 || BigInt(`0x${v}`) > BigInt(`0x${values[i - 1]}`))).toBe(true);
  });
});
