import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandOutput,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type _Record, DescribeStreamCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDBTestCloud, readStream, startDynamoDB, tableName } from '../../../helpers/dynamodb-cloud.ts';
import { diffDynamoDB, loadDynamoDBRecording } from '../../../helpers/dynamodb-recordings.ts';

type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
type Recorded = Record<string, unknown> & { Records?: Record<string, unknown>[] };

const keysOnly = loadDynamoDBRecording<Record<string, Recorded>>('dynamodbstreams-keys-only-insert-modify-remove.json');
const batchWrite = loadDynamoDBRecording<Record<string, Recorded>>(
  'dynamodbstreams-new-and-old-images-batchwrite.json',
);
const updateItem = loadDynamoDBRecording<Record<string, Recorded>>('dynamodbstreams-updateitem-insert-modify.json');

let cloud: DynamoDBTestCloud;
beforeAll(async () => {
  cloud = await startDynamoDB();
});
afterAll(async () => {
  await cloud?.close();
});

async function createStreamTable(prefix: string, hashKey: string, StreamViewType: StreamViewType) {
  const TableName = tableName(prefix);
  const created = await cloud.ddb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      StreamSpecification: { StreamEnabled: true, StreamViewType },
    }),
  );
  return { TableName, created, StreamArn: created.TableDescription!.LatestStreamArn! };
}

/** Compares records with recorded ones; placeholders bind across the whole comparison. */
function expectRecords(actual: _Record[], recorded: unknown[], bindings = new Map<string, string>()) {
  const seeded = new Map([
    ['<region>', 'us-east-1'],
    ['<partition>', 'aws'],
    ['<account-id>', '000000000000'],
    ...bindings,
  ]);
  expect(diffDynamoDB(actual, recorded, seeded)).toEqual([]);
}

/** The recorded TableStatus is a placeholder: CreateTable answers CREATING, as AWS. */
function expectCreateTable(created: CreateTableCommandOutput, recorded: Recorded) {
  expect(diffDynamoDB(created, recorded)).toEqual([]);
  expect(created.TableDescription?.TableStatus).toBe('CREATING');
}

describe('KEYS_ONLY (recorded: dynamodbstreams-keys-only-insert-modify-remove.json)', () => {
  it('records INSERT, MODIFY and REMOVE with Keys only, and nothing for an identical PutItem', async () => {
    // Prepare
    const { TableName, created, StreamArn } = await createStreamTable('keys-only', 'Username', 'KEYS_ONLY');
    const Key = { Username: { S: 'Fred' } };

    // Act
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { ...Key } }));
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { ...Key } }));
    await cloud.ddb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET friends = :friends',
        ExpressionAttributeValues: { ':friends': { SS: ['Alice'] } },
      }),
    );
    await cloud.ddb.send(new DeleteItemCommand({ TableName, Key }));
    // The recording wrote Alice with PartiQL, which the local cloud lacks: the same changes through the item API.
    const Alice = { Username: { S: 'Alice' } };
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { ...Alice } }));
    await cloud.ddb.send(
      new UpdateItemCommand({
        TableName,
        Key: Alice,
        UpdateExpression: 'SET age = :a',
        ExpressionAttributeValues: { ':a': { N: '30' } },
      }),
    );
    await cloud.ddb.send(new DeleteItemCommand({ TableName, Key: Alice }));
    const description = await cloud.streams.send(new DescribeStreamCommand({ StreamArn }));
    const shard = description.StreamDescription!.Shards![0]!;
    const iterator = await cloud.streams.send(
      new GetShardIteratorCommand({
        StreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: shard.SequenceNumberRange!.StartingSequenceNumber,
      }),
    );
    const records = await readStream(cloud.streams, StreamArn);

    // Assess
    expectCreateTable(created, keysOnly['create-table']!);
    const bindings = new Map([['<table-name:1>', TableName]]);
    expect(
      diffDynamoDB(
        description,
        keysOnly['describe-stream'],
        new Map([...bindings, ['<region>', 'us-east-1'], ['<partition>', 'aws'], ['<account-id>', '000000000000']]),
      ),
    ).toEqual([]);
    expect(diffDynamoDB(iterator, keysOnly['get-shard-iterator'])).toEqual([]);
    expectRecords(records, keysOnly['get-records']!.Records!);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(6);
    expect(records.every((r) => /^[0-9a-f]{32}$/.test(r.eventID!))).toBe(true);
  });
});

describe('NEW_AND_OLD_IMAGES (recorded: dynamodbstreams-new-and-old-images-batchwrite.json)', () => {
  it('records BatchWriteItem puts and deletes, skipping the identical overwrite', async () => {
    // Prepare
    const { TableName, created, StreamArn } = await createStreamTable('batch', 'id', 'NEW_AND_OLD_IMAGES');

    // Act
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'Fred' } } }));
    const overwrite = await cloud.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TableName]: [
            { PutRequest: { Item: { id: { S: 'Fred' } } } },
            { PutRequest: { Item: { id: { S: 'NewKey' } } } },
          ],
        },
      }),
    );
    const deleted = await cloud.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TableName]: [
            { DeleteRequest: { Key: { id: { S: 'NewKey' } } } },
            { PutRequest: { Item: { id: { S: 'Fred' }, name: { S: 'Fred' } } } },
          ],
        },
      }),
    );
    const description = await cloud.streams.send(new DescribeStreamCommand({ StreamArn }));
    const records = await readStream(cloud.streams, StreamArn);

    // Assess
    expectCreateTable(created, batchWrite['create-table']!);
    expect(diffDynamoDB(overwrite, batchWrite['batch-write-response-overwrite-item-1'])).toEqual([]);
    expect(diffDynamoDB(deleted, batchWrite['batch-write-response-delete'])).toEqual([]);
    expect(
      diffDynamoDB(
        description,
        batchWrite['describe-stream'],
        new Map([
          ['<table-name:1>', TableName],
          ['<region>', 'us-east-1'],
          ['<partition>', 'aws'],
          ['<account-id>', '000000000000'],
        ]),
      ),
    ).toEqual([]);
    // Within one BatchWriteItem AWS gives no order across items; compare per item.
    const byKey = (list: { dynamodb?: { Keys?: Record<string, { S?: string }> } }[]) =>
      [...list].sort((a, b) => (a.dynamodb!.Keys!.id!.S! < b.dynamodb!.Keys!.id!.S! ? -1 : 1));
    expect(
      diffDynamoDB(
        byKey(records).map(withoutSequence),
        byKey(batchWrite['get-records']!.Records!).map(withoutSequence),
      ),
    ).toEqual([]);
    const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
  });
});

function withoutSequence<T extends { dynamodb?: object; eventID?: string }>(record: T): T {
  const { SequenceNumber: _s, ...dynamodb } = record.dynamodb as Record<string, unknown>;
  const { eventID: _e, ...rest } = record;
  return { ...rest, dynamodb } as unknown as T;
}

describe('UpdateItem (recorded: dynamodbstreams-updateitem-insert-modify.json)', () => {
  it('records INSERT for a new key, nothing for the same update again, then MODIFY', async () => {
    // Prepare
    const { TableName, StreamArn } = await createStreamTable('update', 'id', 'NEW_AND_OLD_IMAGES');
    const update = (v1: string, v2: string) =>
      cloud.ddb.send(
        new UpdateItemCommand({
          TableName,
          Key: { id: { S: 'my-item-id' } },
          UpdateExpression: 'SET attr1 = :v1, attr2 = :v2',
          ExpressionAttributeValues: { ':v1': { S: v1 }, ':v2': { S: v2 } },
          ReturnValues: 'ALL_NEW',
        }),
      );

    // Act
    const first = await update('value1', 'value2');
    await update('value1', 'value2');
    await update('value2', 'value3');
    const records = await readStream(cloud.streams, StreamArn);

    // Assess
    expect(first.Attributes).toEqual({ id: { S: 'my-item-id' }, attr1: { S: 'value1' }, attr2: { S: 'value2' } });
    expectRecords(records, updateItem['get-records']!.Records!);
  });
});

/**
 * The four view types × INSERT/MODIFY/REMOVE. Expected records come from the recorded NEW_AND_OLD_IMAGES
 * UpdateItem records (INSERT, MODIFY) and the recorded BatchWriteItem REMOVE, keeping what each view type shows;
 * SizeBytes is the size of Keys plus the images kept.
 */
describe.each<StreamViewType>(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'])(
  'view type %s',
  (viewType) => {
    type Image = Record<string, { S: string }>;
    type RecordedRecord = {
      eventName: string;
      dynamodb: Record<string, unknown> & { Keys: Image; NewImage?: Image; OldImage?: Image };
    };
    const size = (image: Image | undefined) =>
      image === undefined
        ? 0
        : Object.entries(image).reduce((sum, [name, value]) => sum + name.length + value.S.length, 0);
    function expected(recorded: RecordedRecord): RecordedRecord {
      const { NewImage, OldImage, ...dynamodb } = recorded.dynamodb;
      const newImage = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? NewImage : undefined;
      const oldImage = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? OldImage : undefined;
      return {
        ...recorded,
        dynamodb: {
          ...dynamodb,
          ...(newImage ? { NewImage: newImage } : {}),
          ...(oldImage ? { OldImage: oldImage } : {}),
          SizeBytes: size(dynamodb.Keys) + size(newImage) + size(oldImage),
          StreamViewType: viewType,
        },
      };
    }

    it('shapes INSERT, MODIFY and REMOVE records like AWS', async () => {
      // Prepare
      const { TableName, StreamArn } = await createStreamTable(`view-${viewType.toLowerCase()}`, 'id', viewType);
      const Key = { id: { S: 'my-item-id' } };
      const [insert, modify] = updateItem['get-records']!.Records! as unknown as RecordedRecord[];
      const recordedRemove = (batchWrite['get-records']!.Records! as unknown as RecordedRecord[])[2]!;
      const remove: RecordedRecord = {
        ...recordedRemove,
        dynamodb: {
          ...recordedRemove.dynamodb,
          Keys: Key,
          OldImage: modify!.dynamodb.NewImage,
          SequenceNumber: '<sequence-number:3>',
        },
      };

      // Act
      await cloud.ddb.send(
        new PutItemCommand({ TableName, Item: { ...Key, attr1: { S: 'value1' }, attr2: { S: 'value2' } } }),
      );
      await cloud.ddb.send(
        new PutItemCommand({ TableName, Item: { ...Key, attr1: { S: 'value2' }, attr2: { S: 'value3' } } }),
      );
      await cloud.ddb.send(new DeleteItemCommand({ TableName, Key }));
      await cloud.ddb.send(new DeleteItemCommand({ TableName, Key }));
      const records = await readStream(cloud.streams, StreamArn);

      // Assess
      expectRecords(records, [expected(insert!), expected(modify!), expected(remove)]);
    });
  },
);
