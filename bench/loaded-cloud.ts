// What a cloud holding data costs, beside a fresh one and beside the floors, in the same run:
// one cloud holds ≥ 1 GiB of S3 objects (an in-memory cloud: their bytes in its private temporary
// folder) and 250,000 stream records, the other
// nothing; each runs in a process of its own. Rounds alternate the order; figures are medians.
// - cold start (trivial handler; S3 client; S3 client + sharp) vs a bare fork of the same Node
//   importing the same modules, from this (small) process;
// - S3 PutObject / GetObject at 1 MiB and 16 MiB: the server's CPU time per MiB.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CreateStreamCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { ms, printTable, type Row, ratio } from './lib.ts';
import { forkReady, type ServerProcess, startCloudProcess } from './processes.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const ROUNDS = 3;
const COLD_PER_ROUND = 5;
const MiB = 1024 * 1024;
const LOAD_OBJECTS = 68; // × 16 MiB ≥ 1 GiB
const LOAD_RECORDS = 250_000;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const progress = (step: string) => console.error(`  loaded-cloud: ${step}…`);

interface Cloud {
  readonly name: string;
  readonly server: ServerProcess;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
}

const HANDLERS = [
  { name: 'trivial', modules: [] as string[], label: 'trivial handler' },
  { name: 's3-client', modules: ['@aws-sdk/client-s3'], label: 'handler importing the S3 client' },
  { name: 's3-sharp', modules: ['@aws-sdk/client-s3', 'sharp'], label: 'handler importing the S3 client + sharp' },
] as const;

async function startCloud(name: string): Promise<Cloud> {
  const server = await startCloudProcess();
  const config = { endpoint: server.endpoint, region: 'us-east-1', credentials };
  const cloud = {
    name,
    server,
    lambda: new LambdaClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
  for (const handler of HANDLERS) {
    const code =
      handler.name === 'trivial'
        ? { ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => "ok";\n') }) }
        : { S3Bucket: '__local__', S3Key: fileURLToPath(new URL(`./fixtures/${handler.name}/`, import.meta.url)) };
    await cloud.lambda.send(
      new CreateFunctionCommand({
        FunctionName: handler.name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        MemorySize: 512,
        Code: code,
      }),
    );
  }
  await cloud.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  return cloud;
}

/** ≥ 1 GiB of objects and 250,000 Kinesis records. */
async function load(cloud: Cloud): Promise<void> {
  const body = Buffer.alloc(16 * MiB, 7);
  await cloud.s3.send(new CreateBucketCommand({ Bucket: 'ballast' }));
  for (let i = 0; i < LOAD_OBJECTS; i += 1) {
    await cloud.s3.send(new PutObjectCommand({ Bucket: 'ballast', Key: `object-${i}`, Body: body }));
  }
  const kinesis = new KinesisClient({ endpoint: cloud.server.endpoint, region: 'us-east-1', credentials });
  await kinesis.send(new CreateStreamCommand({ StreamName: 'ballast', ShardCount: 4 }));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // CREATING → ACTIVE
  const data = Buffer.alloc(100, 1);
  for (let i = 0; i < LOAD_RECORDS; i += 500) {
    let records = Array.from({ length: 500 }, (_, j) => ({ Data: data, PartitionKey: `k${i + j}` }));
    // Each shard takes 1,000 records a second: resend what was throttled in the next second, as a producer does.
    while (records.length > 0) {
      const { Records: results = [] } = await kinesis.send(
        new PutRecordsCommand({ StreamName: 'ballast', Records: records }),
      );
      records = records.filter((_, k) => results[k]?.SequenceNumber === undefined);
      if (records.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    }
  }
  kinesis.destroy();
}

/** Cold starts of `functionName`: round trip (client) and Init Duration (the cloud's REPORT). */
async function coldStarts(cloud: Cloud, functionName: string, n: number, offset: number) {
  const roundTrips: number[] = [];
  for (let i = 0; i < n; i += 1) {
    await cloud.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        Environment: { Variables: { RUN: String(offset + i) } },
      }),
    );
    await cloud.server.usage(); // empties the Init Durations collected so far
    const start = performance.now();
    await cloud.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: '{}' }));
    roundTrips.push(performance.now() - start);
    const { initDurations = [] } = await cloud.server.usage();
    if (initDurations.length !== 1) throw new Error(`invoke ${i} of ${functionName} was not cold`);
  }
  return roundTrips;
}

/** Server CPU time (µs) per MiB of PutObject and of GetObject of `size`-byte objects. */
async function s3CpuPerMiB(cloud: Cloud, size: number, count: number) {
  const body = Buffer.alloc(size, 3);
  const before = await cloud.server.usage();
  for (let i = 0; i < count; i += 1) {
    await cloud.s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `o-${size}-${i}`, Body: body }));
  }
  const afterPut = await cloud.server.usage();
  for (let i = 0; i < count; i += 1) {
    const out = await cloud.s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `o-${size}-${i}` }));
    await out.Body?.transformToByteArray();
  }
  const afterGet = await cloud.server.usage();
  const mib = (size * count) / MiB;
  return {
    put: (afterPut.cpuMicros - before.cpuMicros) / mib,
    get: (afterGet.cpuMicros - afterPut.cpuMicros) / mib,
  };
}

export async function benchLoadedCloud(): Promise<Row[]> {
  progress('starting two clouds');
  const fresh = await startCloud('fresh');
  const loaded = await startCloud('loaded');
  const samples = new Map<string, number[]>();
  const add = (key: string, values: number | readonly number[]) =>
    samples.set(key, [...(samples.get(key) ?? []), ...(typeof values === 'number' ? [values] : values)]);
  const loads: number[] = [];
  let loadedRss = 0;
  try {
    progress(
      `filling one with ${LOAD_OBJECTS} × 16 MiB objects and ${LOAD_RECORDS.toLocaleString('en-US')} stream records`,
    );
    await load(loaded);
    loadedRss = (await loaded.server.usage()).rss;
    // Warm both (first invokes, SDK connections).
    for (const cloud of [fresh, loaded]) for (const h of HANDLERS) await coldStarts(cloud, h.name, 1, 1000);
    for (let round = 0; round < ROUNDS; round += 1) {
      loads.push(loadavg()[0]!);
      progress(`round ${round + 1}/${ROUNDS}`);
      const clouds = round % 2 === 0 ? [fresh, loaded] : [loaded, fresh];
      for (const h of HANDLERS) {
        for (const cloud of clouds)
          add(`${cloud.name} ${h.name}`, await coldStarts(cloud, h.name, COLD_PER_ROUND, round * 100));
        for (let i = 0; i < COLD_PER_ROUND; i += 1) add(`fork ${h.name}`, await forkReady(h.modules));
      }
      for (const [size, count] of [
        [MiB, 32],
        [16 * MiB, 4],
      ] as const) {
        for (const cloud of clouds) {
          const cpu = await s3CpuPerMiB(cloud, size, count);
          add(`${cloud.name} put ${size}`, cpu.put);
          add(`${cloud.name} get ${size}`, cpu.get);
        }
      }
    }
  } finally {
    for (const cloud of [fresh, loaded]) {
      cloud.lambda.destroy();
      cloud.s3.destroy();
      await cloud.server.close();
    }
  }
  const m = (key: string) => median(samples.get(key) ?? [Number.NaN]);
  const at = `load ${loads.map((l) => l.toFixed(2)).join('/')}`;
  const rows: Row[] = [];
  for (const h of HANDLERS) {
    const floor = m(`fork ${h.name}`);
    const goal = h.name === 'trivial' ? '≤ 1.2×' : '≤ 1.1×';
    for (const cloud of ['fresh', 'loaded']) {
      rows.push({
        name: `cold start, ${h.label}, ${cloud} cloud (round trip p50)`,
        value: ms(m(`${cloud} ${h.name}`)),
        baseline: `bare fork${h.modules.length > 0 ? ` importing ${h.modules.join(' + ')}` : ''} ${ms(floor)}`,
        ratio: ratio(m(`${cloud} ${h.name}`), floor),
        goal: `${goal} (${at})`,
      });
    }
  }
  const perMiB = (v: number) => `${Math.round(v)} µs/MiB`;
  for (const size of [MiB, 16 * MiB]) {
    for (const op of ['put', 'get']) {
      const label = `${op === 'put' ? 'PutObject' : 'GetObject'} ${size / MiB} MiB: server CPU per MiB`;
      rows.push({
        name: `${label}, loaded cloud`,
        value: perMiB(m(`loaded ${op} ${size}`)),
        baseline: `fresh cloud ${perMiB(m(`fresh ${op} ${size}`))}`,
        ratio: ratio(m(`loaded ${op} ${size}`), m(`fresh ${op} ${size}`)),
        goal: `flat (≈ 1.0×) (${at})`,
      });
    }
  }
  printTable(
    `A cloud holding data (${(loadedRss / 2 ** 30).toFixed(2)} GiB RSS: ${LOAD_OBJECTS} × 16 MiB objects in an in-memory cloud, ${LOAD_RECORDS.toLocaleString('en-US')} stream records) beside a fresh one (${ROUNDS} interleaved rounds, medians)`,
    rows,
  );
  return rows;
}
