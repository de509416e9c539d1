import { describe, expect, it } from 'vitest';
import { parseBatchItemFailures } from '../../../../../infra/local/lambda/esm/poller.ts';
import {
  dynamodbLambdaRecord,
  invocationEvent,
  onFailureObjectKey,
} from '../../../../../infra/local/lambda/esm/records.ts';

const entry = (sequence: string) => ({
  sequenceNumber: sequence,
  itemIdentifier: sequence,
  arrivalTime: 0,
  lambdaRecord: { id: sequence },
  size: 10,
});

describe('records', () => {
  it('names the on-failure object as documented: aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>', () => {
    const key = onFailureObjectKey('uuid-1', 'shardId-1', Date.UTC(2025, 0, 2, 3, 4, 5, 678), 'random');
    expect(key).toBe('aws/lambda/uuid-1/shardId-1/2025/01/02/2025-01-02T03.04.05-random');
  });

  it('adds eventSourceARN last and turns a Date ApproximateCreationDateTime into epoch seconds', () => {
    const record = dynamodbLambdaRecord(
      { eventID: '1', dynamodb: { ApproximateCreationDateTime: new Date(1_700_000_000_500) } },
      'arn:stream',
    );
    expect(Object.keys(record)).toEqual(['eventID', 'dynamodb', 'eventSourceARN']);
    expect(record.dynamodb).toEqual({ ApproximateCreationDateTime: 1_700_000_000.5 });
  });

  it('wraps records in {"Records": [...]}', () => {
    expect(JSON.parse(invocationEvent([entry('1'), entry('2')]))).toEqual({ Records: [{ id: '1' }, { id: '2' }] });
  });
});

describe('parseBatchItemFailures', () => {
  const batch = [entry('100'), entry('101'), entry('102')];
  it.each([
    ['empty payload', undefined, { kind: 'ok' }],
    ['null', 'null', { kind: 'ok' }],
    ['[]', '[]', { kind: 'ok' }],
    ['{}', '{}', { kind: 'ok' }],
    ['a string', '"done"', { kind: 'ok' }],
    ['batchItemFailures: []', '{"batchItemFailures":[]}', { kind: 'ok' }],
    ['batchItemFailures: null', '{"batchItemFailures":null}', { kind: 'ok' }],
    [
      'the lowest of two',
      '{"batchItemFailures":[{"itemIdentifier":"102"},{"itemIdentifier":"101"}]}',
      { kind: 'partial', index: 1 },
    ],
    ['null identifier', '{"batchItemFailures":[{"itemIdentifier":null}]}', { kind: 'failed' }],
    ['empty identifier', '{"batchItemFailures":[{"itemIdentifier":""}]}', { kind: 'failed' }],
    ['unknown identifier', '{"batchItemFailures":[{"itemIdentifier":"999"}]}', { kind: 'failed' }],
    ['a number identifier', '{"batchItemFailures":[{"itemIdentifier":101}]}', { kind: 'failed' }],
    ['not a list', '{"batchItemFailures":"all"}', { kind: 'failed' }],
  ])('%s', (_, payload, expected) => {
    expect(parseBatchItemFailures(payload, batch)).toMatchObject(expected);
  });
});
