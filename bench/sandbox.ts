// What the wall costs: the same figures with the bubblewrap wall on and off (the Node permission
// model alone), two clouds in the same run, measured interleaved so that a noisy neighbour
// weighs on both alike. Warm invoke, cold starts (back to back, and spaced so that the spare
// environment is ready) and the 12 MP thumbnail.
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
const ROUNDS = 10;

interface ColdStarts {
  readonly roundTrip: number[];
  /** Init Duration as reported: from the assignment, the rest of a spare's start included. */
  readonly init: number[];
  /** How many found a spare ready when their Invoke was sent. */
  spareReady: number;
  /** The most spares there were when an Invoke was sent (more are kept during bursts). */
  mostSpares: number;
}

const coldStarts = (): ColdStarts => ({ roundTrip: [], init: [], spareReady: 0, mostSpares: 0 });

interface Side {
  readonly cloud: LocalCloud;
  readonly lambda: LambdaClient;
  readonly s3: S3Client;
  readonly warm: number[];
  /** Cold starts right after another one: the spare that the previous one started may still be starting. */
  readonly backToBack: ColdStarts;
  /** Cold starts once the spare is ready (its runtime up), as when a learner deploys and then invokes. */
  readonly spaced: ColdStarts;
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
  return { cloud, lambda, s3, warm: [], backToBack: coldStarts(), spaced: coldStarts(), thumbnail: [] };
}

const invoke = (s: Side) => s.lambda.send(new InvokeCommand({ FunctionName: 'trivial', Payload: '{}' }));

const spareReady = (s: Side): boolean => s.cloud.lambda.spareEnvironment()?.ready === true;

async function coldStart(s: Side, run: number, into: ColdStarts | undefined, spaced: boolean): Promise<void> {
  // A configuration change retires the warm environment: the next invoke is cold.
  await s.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'trivial',
      Environment: { Variables: { RUN: String(run) } },
    }),
  );
  if (spaced) {
    for (let waited = 0; !spareReady(s); waited += 5) {
      if (waited > 10_000) throw new Error('the spare environment was not ready within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  let initDuration: number | undefined;
  const stop = s.cloud.trace.subscribe((event) => {
    if (event.type === 'lambda.invoke.end' && event.detail.functionName === 'trivial') {
      initDuration = Number(event.detail.initDuration);
    }
  });
  const ready = spareReady(s);
  const spares = s.cloud.lambda.spareEnvironments().length;
  const start = performance.now();
  await invoke(s);
  const roundTrip = performance.now() - start;
  stop();
  if (initDuration === undefined || Number.isNaN(initDuration)) throw new Error(`cold start ${run} was not cold`);
  if (into === undefined) return;
  into.roundTrip.push(roundTrip);
  into.init.push(initDuration);
  if (ready) into.spareReady += 1;
  into.mostSpares = Math.max(into.mostSpares, spares);
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
    let run = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? [on, off] : [off, on];
      for (const s of order) {
        for (let i = 0; i < 100; i += 1) {
          const start = performance.now();
          await invoke(s);
          s.warm.push(performance.now() - start);
        }
      }
      // Back to back: three in a row, the first (whose spare had the other side's turn to start) not counted.
      for (const s of order) {
        for (let i = 0; i < 3; i += 1) await coldStart(s, run++, i === 0 ? undefined : s.backToBack, false);
      }
      for (const s of order) {
        for (let i = 0; i < 2; i += 1) await coldStart(s, run++, s.spaced, true);
      }
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
  const ready = (s: Side, kind: 'backToBack' | 'spaced') =>
    `${s[kind].spareReady}/${s[kind].roundTrip.length} (up to ${s[kind].mostSpares} spares)`;
  const rows = [
    row('warm Invoke round trip p50', on.warm, off.warm, 'no cost (≈ +0 ms)'),
    row('warm Invoke round trip p99', on.warm, off.warm, 'no cost', 'p99'),
    row('cold start, spare ready (round trip p50)', on.spaced.roundTrip, off.spaced.roundTrip, 'a few ms at most'),
    row('cold start, spare ready: Init Duration p50', on.spaced.init, off.spaced.init, 'a few ms at most'),
    row(
      `cold start back to back (round trip p50; spare ready on ${ready(on, 'backToBack')} walled, ${ready(off, 'backToBack')} not)`,
      on.backToBack.roundTrip,
      off.backToBack.roundTrip,
      'a few ms at most',
    ),
    row(
      'cold start back to back: Init Duration p50 (the spare’s unfinished start included)',
      on.backToBack.init,
      off.backToBack.init,
      'a few ms at most',
    ),
    row('12 MP JPEG upload → thumbnail stored p50', on.thumbnail, off.thumbnail, 'no cost'),
  ];
  printTable('Lambda sandbox: the wall on vs off (same run, interleaved; ratio column = difference)', rows);
  return rows;
}
