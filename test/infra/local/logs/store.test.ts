import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../../../infra/local/cloud.ts';
import { EVENT_OVERHEAD_BYTES, LogStore } from '../../../../infra/local/logs/store.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-logs-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('LogStore', () => {
  it('keeps memory bounded: past maxBytes the oldest events go, store-wide', () => {
    // GIVEN a store holding at most ~10 events of 100 bytes
    const store = new LogStore({ maxBytes: 10 * (100 + EVENT_OVERHEAD_BYTES) });
    const group = store.createGroup('g');
    const old = store.createStream(group, 'old');
    const recent = store.createStream(group, 'recent');
    const message = (n: number) => `${String(n).padStart(3, '0')}${'x'.repeat(97)}`;
    // WHEN 20 events arrive, the older stream's first
    store.append(
      group,
      old,
      Array.from({ length: 10 }, (_, n) => ({ timestamp: 1000 + n, message: message(n) })),
    );
    store.append(
      group,
      recent,
      Array.from({ length: 10 }, (_, n) => ({ timestamp: 2000 + n, message: message(10 + n) })),
    );
    // THEN what is kept fits with room to spare, and it is the newest
    expect(store.bytes).toBeLessThanOrEqual(0.9 * 10 * (100 + EVENT_OVERHEAD_BYTES));
    expect(store.bytes).toBeGreaterThan(0);
    expect(old.events).toEqual([]);
    expect(group.bytes).toBe(store.bytes);
    const kept = recent.events.map((event) => Number(event.message.slice(0, 3)));
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, n) => 20 - kept.length + n));
  });

  it('sorts events arriving out of order into timestamp order, ties in arrival order', () => {
    const store = new LogStore();
    const group = store.createGroup('g');
    const stream = store.createStream(group, 's');
    store.append(group, stream, [
      { timestamp: 5, message: 'five' },
      { timestamp: 9, message: 'nine' },
    ]);
    store.append(group, stream, [
      { timestamp: 5, message: 'five again' },
      { timestamp: 7, message: 'seven' },
    ]);
    expect(stream.events.map((event) => event.message)).toEqual(['five', 'five again', 'seven', 'nine']);
  });
});

describe('persistence', () => {
  it('brings groups, streams, events and retention back after a restart (and forgets deleted ones)', async () => {
    // GIVEN a local cloud with a data directory, a group with a retention and two streams
    const dataDir = tempDir();
    let cloud = await startLocalCloud({ port: 0, dataDir });
    let logs = new CloudWatchLogsClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      maxAttempts: 1,
    });
    const now = Date.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/kept' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/kept', retentionInDays: 14 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/kept', logStreamName: 'a' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/kept', logStreamName: 'empty' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/kept',
        logStreamName: 'a',
        logEvents: [
          { timestamp: now - 10, message: 'one' },
          { timestamp: now, message: 'two ü' },
        ],
      }),
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/deleted' }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/deleted' }));
    logs.destroy();
    await cloud.close();
    expect(readdirSync(join(dataDir, 'logs')).filter((file) => file.endsWith('.ndjson'))).toHaveLength(1);

    // WHEN it starts again on the same directory
    cloud = await startLocalCloud({ port: 0, dataDir });
    logs = new CloudWatchLogsClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
      maxAttempts: 1,
    });
    try {
      // THEN everything is as it was
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
      expect(logGroups?.map((group) => [group.logGroupName, group.retentionInDays])).toEqual([['/kept', 14]]);
      const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/kept' }));
      expect(logStreams?.map((stream) => stream.logStreamName)).toEqual(['a', 'empty']);
      const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: '/kept' }));
      expect(events?.map((event) => [event.timestamp, event.message])).toEqual([
        [now - 10, 'one'],
        [now, 'two ü'],
      ]);
    } finally {
      logs.destroy();
      await cloud.close();
    }
  }, 30_000);

  it('rewrites a journal that holds far more than its group', () => {
    const dataDir = tempDir();
    const store = new LogStore({ dataDir });
    const group = store.createGroup('g');
    const stream = store.createStream(group, 'big');
    const message = 'y'.repeat(1000);
    for (let batch = 0; batch < 3; batch += 1) {
      store.append(
        group,
        stream,
        Array.from({ length: 1000 }, (_, n) => ({ timestamp: batch * 1000 + n, message })),
      );
    }
    const [file] = readdirSync(join(dataDir, 'logs'));
    const before = statSync(join(dataDir, 'logs', file!)).size;
    expect(before).toBeGreaterThan(3_000_000);
    store.deleteStream(group, 'big');
    const after = statSync(join(dataDir, 'logs', file!)).size;
    expect(after).toBeLessThan(1000);
    expect(new LogStore({ dataDir }).group('g')?.streams.size).toBe(0);
  });
});
