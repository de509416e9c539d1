// DynamoDB and Streams figures, each beside a baseline measured in the same run.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { createExecutionRole } from '../test/helpers/iam-roles.ts';
import { ms, perSecond, printTable, type Row, ratio, time } from './lib.ts';

// The clouds here accept the tutorial keys (`adminKeys: 'test'`), as the baselines do.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const AGGREGATE_DIR = fileURLToPath(new URL('./fixtures/aggregate/', import.meta.url));

async function createTable(client: DynamoDBClient, name: string, key: string, stream = false) {
  return client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }),
  );
}

/** dynalite on its own HTTP server: the engine without the local cloud around it. */
async function startDynalite(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const dynalite = createRequire(import.meta.url)('dynalite') as (options: Record<string, number>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const progress = (step: string) => console.error(`  streams: ${step}…`);

export async function benchStreams(): Promise<Row[]> {
  const cloud = await startLocalCloud({ port: 0, inMemory: true, adminKeys: 'test' });
  const dynalite = await startDynalite();
  const ours = new DynamoDBClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  const theirs = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1', credentials });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  const rows: Row[] = [];
  try {
    progress('PutItem/GetItem latency');
    // PutItem / GetItem latency: local cloud (edge + streams) beside dynalite alone.
    for (const client of [ours, theirs]) await createTable(client, 'kvs', 'id');
    const item = (i: number) => ({ id: { S: `k${i % 500}` }, value: { S: 'x'.repeat(200) }, n: { N: String(i) } });
    const putOurs = await time(2000, (i) => ours.send(new PutItemCommand({ TableName: 'kvs', Item: item(i) })), 100);
    const putTheirs = await time(
      2000,
      (i) => theirs.send(new PutItemCommand({ TableName: 'kvs', Item: item(i) })),
      100,
    );
    const getOurs = await time(
      2000,
      (i) => ours.send(new GetItemCommand({ TableName: 'kvs', Key: { id: { S: `k${i % 500}` } } })),
      100,
    );
    const getTheirs = await time(
      2000,
      (i) => theirs.send(new GetItemCommand({ TableName: 'kvs', Key: { id: { S: `k${i % 500}` } } })),
      100,
    );
    rows.push(
      {
        name: 'PutItem p50 (SDK)',
        value: ms(putOurs.p50),
        baseline: `dynalite alone ${ms(putTheirs.p50)}`,
        ratio: ratio(putOurs.p50, putTheirs.p50),
      },
      {
        name: 'GetItem p50 (SDK)',
        value: ms(getOurs.p50),
        baseline: `dynalite alone ${ms(getTheirs.p50)}`,
        ratio: ratio(getOurs.p50, getTheirs.p50),
      },
    );

    progress('write → handler delivery');
    // Write → handler receives the record.
    const table = await createTable(ours, 'orders', 'id', true);
    const streamArn = table.TableDescription!.LatestStreamArn!;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'receiver',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/bench',
        Handler: 'index.handler',
        Code: {
          ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => ({});\n') }),
        },
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'receiver',
        EventSourceArn: streamArn,
        StartingPosition: 'LATEST',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // mapping Creating → Enabled
    const received = () =>
      new Promise<void>((resolve) => {
        const stop = cloud.trace.subscribe((event) => {
          if (event.type === 'lambda.invoke.start' && event.detail.functionName === 'receiver') {
            stop();
            resolve();
          }
        });
      });
    const delivery = await time(
      200,
      async (i) => {
        const got = received();
        await ours.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: `o${i}` }, total: { N: '1' } } }));
        await got;
      },
      10,
    );
    const writeOnly = await time(200, (i) => ours.send(new PutItemCommand({ TableName: 'kvs', Item: item(i) })), 10);
    rows.push({
      name: 'write → handler invoked with the record, p50',
      value: ms(delivery.p50),
      baseline: `the PutItem alone ${ms(writeOnly.p50)}`,
      ratio: ratio(delivery.p50, writeOnly.p50),
      goal: '≤ 20 ms',
    });

    progress('aggregation throughput');
    // Records aggregated per second through a handler doing UpdateItem ADD.
    await createTable(ours, 'events', 'id', true);
    await createTable(ours, 'metrics', 'metric');
    const total = 20_000;
    const categories = ['books', 'music', 'games', 'garden'];
    const writeStart = performance.now();
    for (let i = 0; i < total; i += 25) {
      await ours.send(
        new BatchWriteItemCommand({
          RequestItems: {
            events: Array.from({ length: 25 }, (_, j) => ({
              PutRequest: { Item: { id: { S: `e${i + j}` }, category: { S: categories[(i + j) % 4]! } } },
            })),
          },
        }),
      );
    }
    const writeRate = total / ((performance.now() - writeStart) / 1000);
    const aggregateRole = await createExecutionRole(
      cloud,
      'bench-aggregate',
      [
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/metrics',
        },
      ],
      ['arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole'],
    );
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'aggregate',
        Runtime: 'nodejs22.x',
        Role: aggregateRole,
        Handler: 'index.handler',
        Code: { S3Bucket: '__local__', S3Key: AGGREGATE_DIR },
        Environment: { Variables: { METRICS_TABLE: 'metrics' } },
      }),
    );
    const events = await ours.send(new ScanCommand({ TableName: 'events', Select: 'COUNT' }));
    if (events.Count !== total) throw new Error(`expected ${total} events, found ${events.Count}`);
    const description = await ours.send(new DescribeTableCommand({ TableName: 'events' }));
    const aggregateStart = performance.now();
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'aggregate',
        EventSourceArn: description.Table!.LatestStreamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 1000,
      }),
    );
    for (;;) {
      const scan = await ours.send(new ScanCommand({ TableName: 'metrics' }));
      const counted = (scan.Items ?? []).reduce((n, it) => n + Number(it.count?.N ?? 0), 0);
      if (counted >= total) break;
      if (performance.now() - aggregateStart > 120_000) throw new Error(`only ${counted} of ${total} aggregated`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const aggregateRate = total / ((performance.now() - aggregateStart) / 1000);
    rows.push({
      name: `records aggregated (${total.toLocaleString('en-US')} records, batches of 1,000)`,
      value: perSecond(aggregateRate),
      baseline: `BatchWriteItem of the same records ${perSecond(writeRate)}`,
      ratio: ratio(aggregateRate, writeRate),
      goal: '≥ 5,000/s',
    });
  } finally {
    ours.destroy();
    theirs.destroy();
    lambda.destroy();
    await dynalite.close();
    await cloud.close();
  }
  printTable('DynamoDB, Streams and event source mappings (in-memory)', rows);
  return rows;
}
