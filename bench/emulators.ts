// The local cloud beside the emulators this machine can run offline, in the same run, rounds
// interleaved: moto (Python; skipped with the reason where it is missing) for S3, DynamoDB and
// Kinesis figures, and idle memory (RSS) beside moto's and a bare Node process's. s3rver and
// dynalite are compared in the s3 and streams sections.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ms, printTable, type Row, ratio, time } from './lib.ts';
import { startMoto } from './moto.ts';
import { startCloudProcess } from './processes.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROUNDS = 3;
const MiB = 2 ** 20;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rssOf = (pid: number) =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

/** One client set against `endpoint`, with the tables, bucket and stream the figures use. */
async function clients(endpoint: string) {
  const config = { endpoint, region: 'us-east-1', credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const ddb = new DynamoDBClient(config);
  // HTTP/1.1, as the other clients (the Kinesis client would try HTTP/2, which moto does not speak).
  const kinesis = new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  await ddb.send(
    new CreateTableCommand({
      TableName: 'bench',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await kinesis.send(new CreateStreamCommand({ StreamName: 'bench', ShardCount: 1 }));
  await new Promise((resolve) => setTimeout(resolve, 600)); // tables and streams become ACTIVE
  for (let i = 0; i < 100; i += 1) {
    await ddb.send(new PutItemCommand({ TableName: 'bench', Item: { pk: { S: 'q' }, sk: { N: String(i) } } }));
  }
  const body = Buffer.alloc(4096, 7);
  const records = Array.from({ length: 100 }, (_, i) => ({ Data: Buffer.alloc(100, 1), PartitionKey: `k${i}` }));
  const figures: Record<string, (i: number) => Promise<unknown>> = {
    'S3 PutObject 4 KiB': (i) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `o${i % 200}`, Body: body })),
    'S3 GetObject 4 KiB': async (i) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `o${i % 200}` }));
      await out.Body?.transformToByteArray();
    },
    'DynamoDB PutItem': (i) =>
      ddb.send(
        new PutItemCommand({
          TableName: 'bench',
          Item: { pk: { S: `p${i % 500}` }, sk: { N: '0' }, v: { S: 'x'.repeat(200) } },
        }),
      ),
    'DynamoDB GetItem': (i) =>
      ddb.send(new GetItemCommand({ TableName: 'bench', Key: { pk: { S: `p${i % 500}` }, sk: { N: '0' } } })),
    'DynamoDB Query (100 items)': () =>
      ddb.send(
        new QueryCommand({
          TableName: 'bench',
          KeyConditionExpression: 'pk = :q',
          ExpressionAttributeValues: { ':q': { S: 'q' } },
        }),
      ),
    'Kinesis PutRecords (100 records)': () =>
      kinesis.send(new PutRecordsCommand({ StreamName: 'bench', Records: records })),
  };
  // S3 objects to read.
  for (let i = 0; i < 200; i += 1) await figures['S3 PutObject 4 KiB']!(i);
  return {
    figures,
    destroy: () => {
      s3.destroy();
      ddb.destroy();
      kinesis.destroy();
    },
  };
}

export async function benchEmulators(): Promise<Row[]> {
  const rows: Row[] = [];
  const cloud = await startCloudProcess();
  const moto = await startMoto();
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await settle();
    const ourIdle = rssOf(cloud.pid);
    const bareIdle = rssOf(bare.pid!);
    if (typeof moto === 'string') {
      rows.push({
        name: 'idle RSS',
        value: `${(ourIdle / MiB).toFixed(0)} MiB`,
        baseline: `moto: skipped, ${moto}`,
        goal: '≤ 1.3× moto',
      });
      rows.push({ name: 'S3, DynamoDB and Kinesis vs moto', value: `skipped: ${moto}` });
      return rows;
    }
    const motoIdle = rssOf(moto.pid);
    rows.push({
      name: 'idle RSS (started, nothing deployed)',
      value: `${(ourIdle / MiB).toFixed(0)} MiB`,
      baseline: `moto ${moto.version} ${(motoIdle / MiB).toFixed(0)} MiB (bare Node ${(bareIdle / MiB).toFixed(0)} MiB)`,
      ratio: ratio(ourIdle, motoIdle),
      goal: '≤ 1.3× moto',
    });
    const ours = await clients(cloud.endpoint);
    const theirs = await clients(moto.endpoint);
    const samples = new Map<string, number[]>();
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      loads.push(loadavg()[0]!);
      for (const name of Object.keys(ours.figures)) {
        const sides = round % 2 === 0 ? (['ours', 'moto'] as const) : (['moto', 'ours'] as const);
        for (const side of sides) {
          const fn = (side === 'ours' ? ours : theirs).figures[name]!;
          const sample = await time(200, fn, 20);
          samples.set(`${side} ${name}`, [...(samples.get(`${side} ${name}`) ?? []), sample.p50]);
        }
      }
      console.error(`  emulators: round ${round + 1}/${ROUNDS} done`);
    }
    ours.destroy();
    theirs.destroy();
    const at = `load ${loads.map((l) => l.toFixed(2)).join('/')}`;
    for (const name of Object.keys(ours.figures)) {
      const a = median(samples.get(`ours ${name}`)!);
      const b = median(samples.get(`moto ${name}`)!);
      rows.push({
        name: `${name} p50 (SDK)`,
        value: ms(a),
        baseline: `moto ${ms(b)}`,
        ratio: ratio(a, b),
        goal: `— (${at})`,
      });
    }
    return rows;
  } finally {
    bare.kill();
    await cloud.close();
    if (typeof moto !== 'string') await moto.close();
    printTable(`The local cloud beside moto (${ROUNDS} interleaved rounds, medians)`, rows);
  }
}
