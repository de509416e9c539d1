// What the wall costs: the same figures with the bubblewrap wall on and off (the Node permission
// model alone), two clouds in the same run, measured interleaved so that a noisy neighbour
// weighs on both alike. Warm invoke, cold start and the 12 MP thumbnail.
import { performance } from 'node:perf_hooks';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { type LocalCloud, startLocalCloud } from '../infra/local/cloud.ts';
import { probeWall } from '../infra/local/lambda/runtime/sandbox.ts';
import { deployThumbnailPipeline, twelveMegapixelPhoto } from './lambda.ts';
import { ms, printTable, type Row, summarize } from './lib.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';

interface Side {
  readonly cloud: LocalCloud;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly warm: number[];
  readonly cold: number[];
  readonly init: number[];
  readonly thumbnail: number[];
  upload?: (key: string, photo: Buffer) => Promise<void>;
}

async function side(sandbox: 'bwrap' | 'node'): Promise<Side> {
  const cloud = await startLocalCloud({ port: 0, inMemory: true, sandbox, adminKeys: 'test' });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  const s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'trivial',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: {
        ZipFile: zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => "ok";\n') }),
      },
    }),
  );
  return { cloud, lambda, s3, warm: [], cold: [], init: [], thumbnail: [] };
}

const invoke = (s: Side) => s.lambda.send(new InvokeCommand({ FunctionName: 'trivial', Payload: '{}' }));

async function coldStart(s: Side, i: number): Promise<void> {
  // A configuration change retires the warm environment: the next invoke is cold.
  await s.lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'trivial', Environment: { Variables: { RUN: String(i) } } }),
  );
  let initDuration: number | undefined;
  const stop = s.cloud.trace.subscribe((event) => {
    if (event.type === 'lambda.invoke.end' && event.detail.functionName === 'trivial') {
      initDuration = Number(event.detail.initDuration);
    }
  });
  const start = performance.now();
  await invoke(s);
  s.cold.push(performance.now() - start);
  stop();
  if (initDuration === undefined || Number.isNaN(initDuration)) throw new Error(`cold start ${i} was not cold`);
  s.init.push(initDuration);
}

export async function benchSandbox(): Promise<Row[]> {
  const wall = probeWall();
  if (wall.bwrap === undefined) {
    const rows = [{ name: 'wall on vs off', value: `not measured: ${wall.problem}` }];
    printTable('Lambda sandbox: the wall on vs off', rows);
    return rows;
  }
  const on = await side('bwrap');
  const off = await side('node');
  try {
    const photo = await twelveMegapixelPhoto();
    on.upload = await deployThumbnailPipeline(on.cloud, on.lambda, on.s3, 'wall');
    off.upload = await deployThumbnailPipeline(off.cloud, off.lambda, off.s3, 'belt');
    // Warm-up: one environment each, the SDK connections open.
    for (let i = 0; i < 50; i += 1) await Promise.all([invoke(on), invoke(off)]);
    await on.upload('warmup', photo);
    await off.upload('warmup', photo);

    // Interleaved: rounds alternate which side goes first.
    for (let round = 0; round < 10; round += 1) {
      const order = round % 2 === 0 ? [on, off] : [off, on];
      for (const s of order) {
        for (let i = 0; i < 100; i += 1) {
          const start = performance.now();
          await invoke(s);
          s.warm.push(performance.now() - start);
        }
      }
      for (const s of order) await coldStart(s, round * 2);
      for (const s of order) await coldStart(s, round * 2 + 1);
      for (const s of order) {
        const start = performance.now();
        await s.upload?.(`photo-${round}`, photo);
        s.thumbnail.push(performance.now() - start);
      }
    }
  } finally {
    for (const s of [on, off]) {
      s.lambda.destroy();
      s.s3.destroy();
      await s.cloud.close();
    }
  }
  const row = (name: string, a: number[], b: number[], goal: string, pick: 'p50' | 'p99' = 'p50'): Row => {
    const wallOn = summarize(a)[pick];
    const wallOff = summarize(b)[pick];
    return {
      name,
      value: `wall on ${ms(wallOn)}`,
      baseline: `wall off (permission model only) ${ms(wallOff)}`,
      ratio: `${wallOn - wallOff >= 0 ? '+' : ''}${ms(wallOn - wallOff)}`,
      goal,
    };
  };
  const rows = [
    row('warm Invoke round trip p50', on.warm, off.warm, 'no cost (≈ +0 ms)'),
    row('warm Invoke round trip p99', on.warm, off.warm, 'no cost', 'p99'),
    row('cold start, trivial handler (round trip p50)', on.cold, off.cold, 'a few ms at most'),
    row('cold start Init Duration p50', on.init, off.init, 'a few ms at most'),
    row('12 MP JPEG upload → thumbnail stored p50', on.thumbnail, off.thumbnail, 'no cost'),
  ];
  printTable('Lambda sandbox: the wall on vs off (same run, interleaved; ratio column = difference)', rows);
  return rows;
}
