import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBServiceException,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBService } from '../../../../infra/local/dynamodb/service.ts';
import type { ServiceRequest } from '../../../../infra/local/edge/types.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { type DynamoDBTestCloud, startDynamoDB, tableName } from '../../../helpers/dynamodb-cloud.ts';
import { diffDynamoDB, loadDynamoDBRecording } from '../../../helpers/dynamodb-recordings.ts';

let cloud: DynamoDBTestCloud;
beforeAll(async () => {
  // Tables leave UPDATING at once (the window has its own tests below).
  cloud = await startDynamoDB({ tableUpdateMs: 0 });
});
afterAll(async () => {
  await cloud?.close();
});

async function failure(promise: Promise<unknown>): Promise<DynamoDBServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DynamoDBServiceException)) throw new Error(`expected a DynamoDB error, got ${String(error)}`);
  return error;
}

const simpleTable = (TableName: string) =>
  new CreateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  });

type Recorded = Record<string, Record<string, unknown>>;

describe('table CRUD (recorded: dynamodb-error-resourcenotfound-deletetable.json)', () => {
  const recorded = loadDynamoDBRecording<Recorded>('dynamodb-error-resourcenotfound-deletetable.json');

  it('creates, describes and deletes a table like AWS; deleting a missing table is a 400 ResourceNotFoundException', async () => {
    // Prepare
    const TableName = tableName('crud');
    const bindings = () =>
      new Map([
        ['<table-name:1>', TableName],
        ['<region>', 'us-east-1'],
        ['<partition>', 'aws'],
        ['<account-id>', '000000000000'],
      ]);

    // Act
    const created = await cloud.ddb.send(simpleTable(TableName));
    const described = await cloud.ddb.send(new DescribeTableCommand({ TableName }));
    const listed = await cloud.ddb.send(new ListTablesCommand({}));
    const deleted = await cloud.ddb.send(new DeleteTableCommand({ TableName }));
    const missing = await failure(cloud.ddb.send(new DeleteTableCommand({ TableName: 'non-existent' })));

    // Assess
    expect(diffDynamoDB(created, recorded['create-table'], bindings())).toEqual([]);
    expect(diffDynamoDB(described, recorded['describe-table'], bindings())).toEqual([]);
    expect(listed.TableNames).toContain(TableName);
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    expect(deleted.TableDescription?.TableName).toBe(TableName);
    const error = recorded['delete-non-existent-table']!.Error as Record<string, string>;
    expect(missing.name).toBe(error.Code);
    expect(missing.message).toBe(error.Message);
    expect(missing.$metadata.httpStatusCode).toBe(400);
  });

  it('answers ResourceInUseException for an existing table (recorded: dynamodb-error-resourceinuse-table-exists.json)', async () => {
    // Prepare
    const TableName = tableName('dup');
    const recordedError = loadDynamoDBRecording<{ Error: string }>(
      'dynamodb-error-resourceinuse-table-exists.json',
    ).Error;
    await cloud.ddb.send(simpleTable(TableName));

    // Act
    const error = await failure(cloud.ddb.send(simpleTable(TableName)));

    // Assess
    expect(`An error occurred (${error.name}) when calling the CreateTable operation: ${error.message}`).toBe(
      recordedError.replace('<test-table>', TableName),
    );
  });
});

describe('item errors', () => {
  it('answers "The provided key element does not match the schema" for a batch put without the key (recorded)', async () => {
    // Prepare
    const TableName = tableName('schema');
    const recordedError = loadDynamoDBRecording<{ ValidationException: string }>(
      'dynamodb-error-validation-key-schema.json',
    );
    await cloud.ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'sortKey', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'sortKey', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    // Act
    const error = await failure(
      cloud.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: { [TableName]: [{ PutRequest: { Item: { id: { S: '1' }, other: { S: 'x' } } } }] },
        }),
      ),
    );

    // Assess
    expect(`An error occurred (${error.name}) when calling the BatchWriteItem operation: ${error.message}`).toBe(
      recordedError.ValidationException,
    );
  });

  it('returns the existing item with ConditionalCheckFailedException when asked to (recorded: dynamodb-error-conditionalcheckfailed.json)', async () => {
    // Prepare
    const TableName = tableName('condition');
    const recorded = loadDynamoDBRecording<{ items: { Error: Record<string, string>; Item: Record<string, unknown> } }>(
      'dynamodb-error-conditionalcheckfailed.json',
    ).items;
    await cloud.ddb.send(simpleTable(TableName));
    await cloud.ddb.send(new PutItemCommand({ TableName, Item: recorded.Item as never }));

    // Act
    const error = await failure(
      cloud.ddb.send(
        new DeleteItemCommand({
          TableName,
          Key: { id: { S: '456' } },
          ConditionExpression: 'price between :lo and :hi',
          ExpressionAttributeValues: { ':lo': { N: '500' }, ':hi': { N: '600' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    const still = await cloud.ddb.send(new GetItemCommand({ TableName, Key: { id: { S: '456' } } }));

    // Assess
    expect(error.name).toBe(recorded.Error.Code);
    expect(error.message).toBe(recorded.Error.Message);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((error as unknown as { Item: unknown }).Item).toEqual(recorded.Item);
    expect(still.Item).toEqual(recorded.Item);
  });

  it('keeps dynalite-validated errors, e.g. a missing table on PutItem', async () => {
    // Act
    const error = await failure(
      cloud.ddb.send(new PutItemCommand({ TableName: 'no-such-table', Item: { id: { S: '1' } } })),
    );

    // Assess
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found');
  });

  it('answers the generic validation format for bad members', async () => {
    // Act
    const error = await failure(cloud.ddb.send(new QueryCommand({ TableName: 'x', Limit: 0 } as never)));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(
      /^\d validation errors? detected: Value .* at '.*' failed to satisfy constraint: Member must/,
    );
  });
});

describe('StreamSpecification validation', () => {
  it.each([
    [
      { StreamEnabled: true },
      'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
    ],
    [
      { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' },
      'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
    ],
    [
      { StreamEnabled: true, StreamViewType: 'EVERYTHING' },
      "1 validation error detected: Value 'EVERYTHING' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
    ],
  ])('CreateTable with %j answers ValidationException', async (StreamSpecification, message) => {
    // Act
    const error = await failure(
      cloud.ddb.send(
        new CreateTableCommand({
          TableName: tableName('bad-stream'),
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: StreamSpecification as never,
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('follows AWS through enable, re-enable, disable and disable again', async () => {
    // Prepare
    const TableName = tableName('toggle');
    await cloud.ddb.send(simpleTable(TableName));
    const update = (StreamSpecification: object) =>
      cloud.ddb.send(new UpdateTableCommand({ TableName, StreamSpecification: StreamSpecification as never }));

    // Act
    const noViewType = await failure(update({ StreamEnabled: true }));
    const enabled = await update({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const again = await failure(update({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }));
    const disableWithType = await failure(update({ StreamEnabled: false, StreamViewType: 'KEYS_ONLY' }));
    const disabled = await update({ StreamEnabled: false });
    const described = await cloud.ddb.send(new DescribeTableCommand({ TableName }));
    const disableAgain = await failure(update({ StreamEnabled: false }));
    const reenabled = await update({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    const withThroughput = await failure(
      cloud.ddb.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: false },
          ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 6 },
        }),
      ),
    );
    const missing = await failure(
      cloud.ddb.send(
        new UpdateTableCommand({ TableName: 'missing-table', StreamSpecification: { StreamEnabled: false } }),
      ),
    );

    // Assess
    expect(noViewType.message).toBe(
      'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
    );
    expect(enabled.TableDescription?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const firstArn = enabled.TableDescription?.LatestStreamArn;
    expect(firstArn).toBe(
      `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/stream/${enabled.TableDescription?.LatestStreamLabel}`,
    );
    expect(enabled.TableDescription?.LatestStreamLabel).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(again.message).toBe(`Table already has an enabled stream: TableName: ${TableName}`);
    expect(disableWithType.message).toBe(
      'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
    );
    expect(disabled.TableDescription?.StreamSpecification).toBeUndefined();
    expect(described.Table?.StreamSpecification).toBeUndefined();
    expect(described.Table?.LatestStreamArn).toBe(firstArn);
    expect(described.Table).not.toHaveProperty('LocalCloudStreamViewType');
    expect(disableAgain.message).toBe(`Table has no stream to disable: TableName: ${TableName}`);
    expect(reenabled.TableDescription?.LatestStreamArn).not.toBe(firstArn);
    expect(withThroughput.message).toBe(
      'One or more parameter values were invalid: You cannot modify stream status while updating table IOPS',
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Requested resource not found: Table: missing-table not found');
  });
});

describe('UpdateTable: the UPDATING window (recorded: lambda-esm-dynamodb-create-get-delete.json update_table_response)', () => {
  let windowed: DynamoDBTestCloud;
  beforeAll(async () => {
    windowed = await startDynamoDB({ tableUpdateMs: 400 });
  });
  afterAll(async () => {
    await windowed?.close();
  });

  it('answers UPDATING with WarmThroughput, refuses a second update meanwhile, then is ACTIVE', async () => {
    // Prepare
    const TableName = tableName('window');
    await windowed.ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const recorded = loadDynamoDBRecording<Recorded>('lambda-esm-dynamodb-create-get-delete.json')
      .update_table_response!.TableDescription as Record<string, unknown>;

    // Act
    const updated = await windowed.ddb.send(
      new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
    );
    const during = await windowed.ddb.send(new DescribeTableCommand({ TableName }));
    const again = await failure(
      windowed.ddb.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } })),
    );
    await new Promise((resolve) => setTimeout(resolve, 450));
    const after = await windowed.ddb.send(new DescribeTableCommand({ TableName }));

    // Assess
    expect(updated.TableDescription?.TableStatus).toBe(recorded.TableStatus);
    expect(updated.TableDescription?.WarmThroughput).toEqual(recorded.WarmThroughput);
    expect(during.Table?.TableStatus).toBe('UPDATING');
    expect(again.name).toBe('ResourceInUseException');
    expect(again.message).toBe(
      `Attempt to change a resource which is still in use: Table is being updated: ${TableName}`,
    );
    expect(after.Table?.TableStatus).toBe('ACTIVE');
    expect(after.Table?.WarmThroughput).toEqual({
      ReadUnitsPerSecond: 12000,
      WriteUnitsPerSecond: 4000,
      Status: 'ACTIVE',
    });
  });
});

describe('parameters the local cloud does not support are refused by name', () => {
  it('refuses UpdateTable with ReplicaUpdates naming ReplicaUpdates (global tables), not as missing', async () => {
    // Prepare
    const TableName = tableName('replicas');
    await cloud.ddb.send(simpleTable(TableName));

    // Act
    const error = await failure(
      cloud.ddb.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      'The local cloud does not support the ReplicaUpdates parameter of UpdateTable (global tables are not modelled).',
    );
  });

  it('refuses creating or deleting an index through UpdateTable, which the engine would drop', async () => {
    // Prepare
    const TableName = tableName('gsi');
    await cloud.ddb.send(simpleTable(TableName));

    // Act
    const error = await failure(
      cloud.ddb.send(
        new UpdateTableCommand({
          TableName,
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'by-g',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
                ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
              },
            },
          ],
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('GlobalSecondaryIndexUpdates.Create');
  });

  it('refuses a parameter it does not know of, and accepts a refused one set to NONE', async () => {
    // Prepare
    const TableName = tableName('unknown');
    await cloud.ddb.send(simpleTable(TableName));

    // Act
    const sse = await failure(
      cloud.ddb.send(new UpdateTableCommand({ TableName, SSESpecification: { Enabled: true } })),
    );
    const none = await cloud.ddb.send(
      new PutItemCommand({ TableName, Item: { id: { S: 'a' } }, ReturnItemCollectionMetrics: 'NONE' }),
    );
    const size = await failure(
      cloud.ddb.send(new PutItemCommand({ TableName, Item: { id: { S: 'a' } }, ReturnItemCollectionMetrics: 'SIZE' })),
    );

    // Assess
    expect(sse.message).toBe(
      'The local cloud does not support the SSESpecification parameter of UpdateTable (server-side encryption settings are not modelled).',
    );
    expect(none.$metadata.httpStatusCode).toBe(200);
    expect(size.message).toContain('ReturnItemCollectionMetrics parameter of PutItem');
  });

  it('keeps the Tags given to CreateTable, as ListTagsOfResource shows', async () => {
    // Prepare
    const TableName = tableName('tags');

    // Act
    const created = await cloud.ddb.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        Tags: [{ Key: 'lesson', Value: 'streams' }],
      }),
    );
    const tags = await cloud.ddb.send(
      new ListTagsOfResourceCommand({ ResourceArn: created.TableDescription!.TableArn! }),
    );

    // Assess
    expect(tags.Tags).toEqual([{ Key: 'lesson', Value: 'streams' }]);
  });
});

describe('operations dynalite lacks', () => {
  it.each(['TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement', 'UpdateTimeToLive'])(
    '%s answers an error naming it, not a silent no-op',
    async (operation) => {
      // Prepare
      const service = new DynamoDBService({ trace: new TraceBus() });

      // Act
      const response = await service.handle(request(`DynamoDB_20120810.${operation}`, '{"TableName":"t"}'));
      await service.close();

      // Assess
      expect(response.status).toBe(400);
      const body = JSON.parse(String(response.body)) as { __type: string; message: string };
      expect(body.__type).toBe('com.amazon.coral.service#UnknownOperationException');
      expect(body.message).toContain(operation);
    },
  );
});

function request(target: string | undefined, body: string): ServiceRequest {
  return {
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
    },
    body: Buffer.from(body),
    service: 'dynamodb',
    region: 'us-east-1',
    requestId: 'test-request',
    caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
  };
}

describe('bad requests (no socket: the service handler directly)', () => {
  let service: DynamoDBService;
  const trace = new TraceBus();
  beforeAll(() => {
    service = new DynamoDBService({ trace });
  });
  afterAll(async () => {
    await service?.close();
  });

  it.each([
    ['malformed JSON', 'DynamoDB_20120810.ListTables', '{"Limit": ', 'com.amazon.coral.service#SerializationException'],
    ['an empty body', 'DynamoDB_20120810.ListTables', '', 'com.amazon.coral.service#SerializationException'],
    ['a JSON array', 'DynamoDB_20120810.ListTables', '[]', 'com.amazon.coral.service#SerializationException'],
    [
      'an unknown operation',
      'DynamoDB_20120810.FlyToTheMoon',
      '{}',
      'com.amazon.coral.service#UnknownOperationException',
    ],
    [
      'an unknown streams operation',
      'DynamoDBStreams_20120810.PutRecord',
      '{}',
      'com.amazon.coral.service#UnknownOperationException',
    ],
    ['no target', undefined, '{}', 'com.amazon.coral.service#UnknownOperationException'],
    [
      'a wrong member type',
      'DynamoDB_20120810.ListTables',
      '{"Limit":"ten"}',
      'com.amazon.coral.service#SerializationException',
    ],
    [
      'a wrong streams member type',
      'DynamoDBStreams_20120810.GetRecords',
      '{"ShardIterator":5}',
      'com.amazon.coral.service#SerializationException',
    ],
  ])('answers %s with a 400 JSON error', async (_case, target, body, type) => {
    // Act
    const response = await service.handle(request(target, body));

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/x-amz-json-1.0');
    expect((JSON.parse(String(response.body)) as { __type: string }).__type).toBe(type);
  });

  it('turns an unexpected throw into InternalServerError 500 and a trace event', async () => {
    // Prepare
    const events: string[] = [];
    const unsubscribe = trace.subscribe((event) => events.push(event.type));
    const broken = request('DynamoDB_20120810.ListTables', '{}');
    Object.defineProperty(broken, 'body', {
      get: () => {
        throw new Error('boom');
      },
    });

    // Act
    const response = await service.handle(broken);
    unsubscribe();

    // Assess
    expect(response.status).toBe(500);
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: 'Internal server error',
    });
    expect(events).toEqual(['dynamodb.error', 'dynamodb.request']);
  });

  it('publishes dynamodb.request with operation, table, status and caller', async () => {
    // Prepare
    const seen: Record<string, unknown>[] = [];
    const unsubscribe = trace.subscribe((event) => {
      if (event.type === 'dynamodb.request') seen.push({ ...event.detail });
    });

    // Act
    await service.handle(request('DynamoDB_20120810.DescribeTable', '{"TableName":"absent"}'));
    unsubscribe();

    // Assess
    expect(seen).toEqual([
      { operation: 'DescribeTable', table: 'absent', status: 400, caller: 'arn:aws:iam::000000000000:root' },
    ]);
  });
});
