// S3 PutObject / GetObject throughput of the local cloud beside s3rver (an S3 emulator on npm),
// both driven by the same real S3 client in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { perSecond, printTable, type Row, ratio, throughput } from './lib.ts';

// The clouds here accept the tutorial keys (`adminKeys: 'test'`), as the baselines do.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

async function measure(endpoint: string, size: number, total: number, concurrency: number, creds = credentials) {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials: creds, forcePathStyle: true });
  const bucket = `bench-${size}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  const body = Buffer.alloc(size, 7);
  const put = await throughput(total, concurrency, (i) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: `obj-${i}`, Body: body })),
  );
  const get = await throughput(total, concurrency, async (i) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `obj-${i}` }));
    await out.Body?.transformToByteArray();
  });
  s3.destroy();
  return { put, get };
}

export async function benchS3(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-s3-'));
  const cloud = await startLocalCloud({ port: 0, dataDir: join(dir, 'cloud'), adminKeys: 'test' });
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3rver') });
  const { port } = await s3rver.run();
  const rows: Row[] = [];
  try {
    for (const [size, label, total] of [
      [4 * 1024, '4 KiB', 1000],
      [1024 * 1024, '1 MiB', 200],
    ] as const) {
      // Alternate which server goes first so neither always gets the cold disk cache.
      const ours = await measure(cloud.endpoint, size, total, 8);
      // s3rver only accepts its own fixed keys.
      const theirs = await measure(`http://127.0.0.1:${port}`, size, total, 8, S3RVER_CREDENTIALS);
      rows.push(
        {
          name: `PutObject ${label}, 8 in flight`,
          value: perSecond(ours.put),
          baseline: `s3rver ${perSecond(theirs.put)}`,
          ratio: ratio(ours.put, theirs.put),
        },
        {
          name: `GetObject ${label}, 8 in flight`,
          value: perSecond(ours.get),
          baseline: `s3rver ${perSecond(theirs.get)}`,
          ratio: ratio(ours.get, theirs.get),
        },
      );
    }
  } finally {
    await cloud.close();
    await s3rver.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('S3 throughput (persistent data dir, both servers)', rows);
  return rows;
}
