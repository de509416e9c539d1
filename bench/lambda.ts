// Lambda figures of the local cloud, each beside a baseline measured in the same run:
// warm invoke round trip, cold starts, and a 12-megapixel upload → thumbnail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import { type LocalCloud, startLocalCloud } from '../infra/local/cloud.ts';
import type { TraceEvent } from '../infra/local/trace/bus.ts';
import { createExecutionRole } from '../test/helpers/iam-roles.ts';
import { ms, printTable, type Row, ratio, summarize, time } from './lib.ts';
import { forkReady } from './processes.ts';

// The clouds here accept the tutorial keys (`adminKeys: 'test'`), as the baselines do.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROLE = 'arn:aws:iam::000000000000:role/bench';
const S3_SHARP_DIR = fileURLToPath(new URL('./fixtures/s3-sharp/', import.meta.url));
const THUMBNAIL_DIR = fileURLToPath(new URL('../test/fixtures/thumbnail-function/', import.meta.url));

/** A bare HTTP server answering like Lambda's Invoke: what the SDK round trip costs with no cloud behind it. */
async function startEchoServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end('"ok"');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A 4000×3000 JPEG with noise (about 5 MB): the thumbnail benchmarks' photo. */
export function twelveMegapixelPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#6a8',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * Buckets `<prefix>-photos` → notification → the thumbnail function → `<prefix>-thumbnails` on
 * `cloud`; answers a function that uploads a photo and resolves once its thumbnail is stored.
 */
export async function deployThumbnailPipeline(
  cloud: LocalCloud,
  lambda: LambdaClient,
  s3: S3Client,
  prefix: string,
): Promise<(key: string, photo: Buffer) => Promise<void>> {
  const photos = `${prefix}-photos`;
  const thumbnails = `${prefix}-thumbnails`;
  await s3.send(new CreateBucketCommand({ Bucket: photos }));
  await s3.send(new CreateBucketCommand({ Bucket: thumbnails }));
  const thumbnailRole = await createExecutionRole(cloud, `${prefix}-thumbnail`, [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${photos}/*` },
    { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${thumbnails}/*` },
  ]);
  const functionName = `${prefix}-thumbnail`;
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'nodejs22.x',
      Role: thumbnailRole,
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 30,
      Code: { S3Bucket: '__local__', S3Key: THUMBNAIL_DIR },
      Environment: { Variables: { DEST_BUCKET: thumbnails } },
    }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: 's3',
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
    }),
  );
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: photos,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'] }],
      },
    }),
  );
  return async (key, photo) => {
    const stored = new Promise<void>((resolve) => {
      const stop = cloud.trace.subscribe((event) => {
        if (
          event.type === 's3.request' &&
          event.detail.bucket === thumbnails &&
          event.detail.key === `thumbnails/${key}.jpg` &&
          event.detail.status === 200
        ) {
          stop();
          resolve();
        }
      });
    });
    await s3.send(new PutObjectCommand({ Bucket: photos, Key: `${key}.jpg`, Body: photo, ContentType: 'image/jpeg' }));
    await stored;
  };
}

export async function benchLambda(): Promise<Row[]> {
  const cloud = await startLocalCloud({ port: 0, inMemory: true, adminKeys: 'test' });
  const events: TraceEvent[] = [];
  cloud.trace.subscribe((event) => {
    if (event.type === 'lambda.invoke.end' || event.type === 's3.request') events.push(event);
  });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  const s3 = new S3Client({ endpoint: cloud.endpoint, region: 'us-east-1', credentials });
  const echo = await startEchoServer();
  const echoClient = new LambdaClient({ endpoint: echo.endpoint, region: 'us-east-1', credentials });
  const rows: Row[] = [];
  try {
    // Warm invoke round trip through the SDK.
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
    const invoke = (client: LambdaClient) => client.send(new InvokeCommand({ FunctionName: 'trivial', Payload: '{}' }));
    const warm = await time(2000, () => invoke(lambda), 100);
    const warmBase = await time(2000, () => invoke(echoClient), 100);
    rows.push(
      {
        name: 'warm Invoke round trip p50 (SDK)',
        value: ms(warm.p50),
        baseline: `bare HTTP answer ${ms(warmBase.p50)}`,
        ratio: ratio(warm.p50, warmBase.p50),
        goal: '≤ 0.5 ms',
      },
      {
        name: 'warm Invoke round trip p99 (SDK)',
        value: ms(warm.p99),
        baseline: `bare HTTP answer ${ms(warmBase.p99)}`,
        ratio: ratio(warm.p99, warmBase.p99),
        goal: '≤ 2 ms',
      },
    );

    // Cold starts: a configuration change retires the warm environment, so the next invoke is cold.
    async function coldStarts(functionName: string, n: number): Promise<{ roundTrip: number; init: number }> {
      const roundTrips: number[] = [];
      const inits: number[] = [];
      for (let i = 0; i < n; i += 1) {
        await lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: functionName,
            Environment: { Variables: { RUN: String(i) } },
          }),
        );
        const start = performance.now();
        await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: '{}' }));
        roundTrips.push(performance.now() - start);
        const end = events.findLast((e) => e.type === 'lambda.invoke.end' && e.detail.functionName === functionName);
        if (end?.detail.cold !== true) throw new Error(`invoke ${i} of ${functionName} was not cold`);
        inits.push(Number(end.detail.initDuration));
      }
      return { roundTrip: summarize(roundTrips).p50, init: summarize(inits).p50 };
    }
    const trivialCold = await coldStarts('trivial', 20);
    const bareFork = summarize(
      await Promise.all([0].map(() => 0)).then(async () => {
        const samples: number[] = [];
        for (let i = 0; i < 20; i += 1) samples.push(await forkReady([]));
        return samples;
      }),
    ).p50;
    rows.push({
      name: 'cold start, trivial handler (invoke round trip p50)',
      value: `${ms(trivialCold.roundTrip)} (Init Duration ${ms(trivialCold.init)})`,
      baseline: `fork of bare node ${ms(bareFork)}`,
      ratio: ratio(trivialCold.roundTrip, bareFork),
      goal: '≤ 30 ms',
    });

    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 's3-sharp',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        MemorySize: 512,
        Code: { S3Bucket: '__local__', S3Key: S3_SHARP_DIR },
      }),
    );
    const sharpCold = await coldStarts('s3-sharp', 10);
    const sharpFork: number[] = [];
    for (let i = 0; i < 10; i += 1) sharpFork.push(await forkReady(['@aws-sdk/client-s3', 'sharp']));
    const sharpBase = summarize(sharpFork).p50;
    rows.push({
      name: 'cold start, handler importing S3 client + sharp (p50)',
      value: `${ms(sharpCold.roundTrip)} (Init Duration ${ms(sharpCold.init)})`,
      baseline: `fork of node importing both ${ms(sharpBase)}`,
      ratio: ratio(sharpCold.roundTrip, sharpBase),
      goal: '≤ 120 ms',
    });

    // 12-megapixel JPEG upload → thumbnail stored (warm function).
    const photo = await twelveMegapixelPhoto();
    const uploadThumbnail = await deployThumbnailPipeline(cloud, lambda, s3, 'bench');
    const upload = await time(10, (i) => uploadThumbnail(`photo-${i}`, photo), 2);
    const resizeOnly = await time(
      10,
      () => sharp(photo).resize({ width: 200, withoutEnlargement: true }).jpeg().toBuffer(),
      2,
    );
    rows.push({
      name: `12 MP JPEG (${(photo.length / 1e6).toFixed(1)} MB) upload → thumbnail stored, p50`,
      value: ms(upload.p50),
      baseline: `sharp resize in-process ${ms(resizeOnly.p50)}`,
      ratio: ratio(upload.p50, resizeOnly.p50),
      goal: '≤ 150 ms',
    });
  } finally {
    lambda.destroy();
    s3.destroy();
    echoClient.destroy();
    await echo.close();
    await cloud.close();
  }
  printTable('Lambda (in-memory local cloud, SDK v3 clients)', rows);
  return rows;
}
