// The shard store keeps records packed outside the JS object graph: a cloud holding 250,000
// Kinesis records has barely more for the garbage collector to mark than an empty one (each major
// collection walks the whole heap, so a heap that grows with the data makes every request dearer).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createKinesisStore } from '../../../../infra/local/kinesis/service.ts';
import { ShardStore } from '../../../../infra/local/streams/shard-store.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
const SHARDS = ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'];

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** 100 bytes of data, different for each record, base64 as the API carries it. */
const dataOf = (n: number) => Buffer.from(`${n}`.padEnd(100, '.')).toString('base64');

function kinesisStream(now: () => number = Date.now) {
  const store = createKinesisStore({ now });
  const stream = store.create(ARN, 4900000000000000000000000000000000000000000000n);
  for (const shardId of SHARDS) stream.addShard(shardId);
  return store;
}

/** Reads a shard to its end from TRIM_HORIZON, 10,000 records a call. */
function readAll<T>(store: ShardStore<T>, shardId: string) {
  const records = [];
  let iterator: string | undefined = store.iterator(ARN, shardId, { type: 'TRIM_HORIZON' });
  for (;;) {
    const result = store.read(iterator, 10_000);
    records.push(...result.records);
    if (result.records.length === 0) return records;
    iterator = result.nextIterator!;
  }
}

describe('ShardStore memory', () => {
  it('holds 250,000 Kinesis records in less than 4 MiB of JS heap', () => {
    // Prepare
    const store = kinesisStream();
    const before = settledHeap();

    // Act
    for (let n = 0; n < 250_000; n += 1) {
      store.append(ARN, SHARDS[n % 4]!, { data: dataOf(n), partitionKey: `k${n}` });
    }

    // Assess: as objects (record, payload, sequence number, data and key strings) they took 86 MiB.
    const growth = settledHeap() - before;
    expect(growth).toBeLessThan(4 * MiB);
    const shard = store.require(ARN).shard(SHARDS[1]!);
    expect(shard.size).toBe(62_500);
    expect(shard.at(62_499)?.payload).toEqual({ data: dataOf(249_997), partitionKey: 'k249997' });
  });

  it('holds 50,000 DynamoDB stream records (JSON payloads) in less than 4 MiB of JS heap', () => {
    // Prepare
    const store = new ShardStore<Record<string, unknown>>();
    const stream = store.create(ARN);
    stream.addShard('shardId-1');
    const before = settledHeap();

    // Act
    for (let n = 0; n < 50_000; n += 1) {
      store.append(ARN, 'shardId-1', {
        eventID: `event-${n}`,
        eventName: 'INSERT',
        dynamodb: { Keys: { id: { S: `item-${n}` } }, NewImage: { id: { S: `item-${n}` }, n: { N: `${n}` } } },
      });
    }

    // Assess
    expect(settledHeap() - before).toBeLessThan(4 * MiB);
    expect(store.require(ARN).shard('shardId-1').at(49_999)?.payload).toEqual({
      eventID: 'event-49999',
      eventName: 'INSERT',
      dynamodb: { Keys: { id: { S: 'item-49999' } }, NewImage: { id: { S: 'item-49999' }, n: { N: '49999' } } },
    });
  });
});

describe('ShardStore over many pages of records', () => {
  it('reads every record back in order with its sequence number, arrival time and payload', () => {
    // Prepare: records of every shape the codec knows, some of them 300 KiB.
    let clock = 1_700_000_000_000;
    const store = kinesisStream(() => clock);
    const appended = [];
    for (let n = 0; n < 12_000; n += 1) {
      clock += n % 7 === 0 ? 1 : 0;
      const payload =
        n % 1000 === 1
          ? { data: Buffer.alloc(300 * 1024, n % 251).toString('base64'), partitionKey: 'grand', explicitHashKey: '0' }
          : n % 3 === 0
            ? { data: '', partitionKey: `ключ-${n}-🔑`, explicitHashKey: `${n}`.padStart(40, '0') }
            : { data: dataOf(n), partitionKey: `k${n}` };
      appended.push(store.append(ARN, SHARDS[0]!, payload));
    }

    // Act
    const read = readAll(store, SHARDS[0]!);

    // Assess
    expect(read).toEqual(appended);
    expect(read.at(-1)?.sequenceNumber).toMatch(/^49\d{54}$/);
  });

  it('starts iterators of every type inside later pages', () => {
    // Prepare
    let clock = 1_700_000_000_000;
    const store = kinesisStream(() => clock);
    const appended = [];
    for (let n = 0; n < 9000; n += 1) {
      clock += 2;
      appended.push(store.append(ARN, SHARDS[2]!, { data: dataOf(n), partitionKey: `k${n}` }));
    }
    const first = (type: Parameters<typeof store.iterator>[2]) =>
      store.read(store.iterator(ARN, SHARDS[2]!, type), 1).records[0]?.sequenceNumber;

    // Act / Assess
    expect(first({ type: 'TRIM_HORIZON' })).toBe(appended[0]!.sequenceNumber);
    expect(first({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: appended[8500]!.sequenceNumber })).toBe(
      appended[8500]!.sequenceNumber,
    );
    expect(first({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: appended[4095]!.sequenceNumber })).toBe(
      appended[4096]!.sequenceNumber,
    );
    expect(first({ type: 'AT_TIMESTAMP', timestamp: appended[6001]!.arrivalTime - 1 })).toBe(
      appended[6001]!.sequenceNumber,
    );
    expect(first({ type: 'LATEST' })).toBeUndefined();
    const behind = store.read(store.iterator(ARN, SHARDS[2]!, { type: 'TRIM_HORIZON' }), 10);
    expect(behind.millisBehindLatest).toBe(appended[8999]!.arrivalTime - appended[9]!.arrivalTime);
  });

  it('trims what retention lets go of, page by page, and says so to an iterator behind it', () => {
    // Prepare: one record a second for 30,000 seconds, 20,000 seconds' retention.
    let clock = 1_700_000_000_000;
    const store = createKinesisStore({ now: () => clock, retentionMs: 20_000 * 1000 });
    store.create(ARN, 4900000000000000000000000000000000000000000000n).addShard(SHARDS[0]!);
    const appended = [];
    for (let n = 0; n < 30_000; n += 1) {
      clock += 1000;
      appended.push(store.append(ARN, SHARDS[0]!, { data: dataOf(n), partitionKey: `k${n}` }));
    }
    const old = store.iterator(ARN, SHARDS[0]!, {
      type: 'AT_SEQUENCE_NUMBER',
      sequenceNumber: appended[0]!.sequenceNumber,
    });

    // Act
    store.trim();

    // Assess: the records that arrived before clock - retention (the first 9,999) are gone.
    const shard = store.require(ARN).shard(SHARDS[0]!);
    expect(shard.size).toBe(20_001);
    expect(shard.trimmedThrough).toBe(BigInt(appended[9998]!.sequenceNumber));
    expect(readAll(store, SHARDS[0]!)).toEqual(appended.slice(9999));
    expect(() => store.read(old, 1)).toThrow(expect.objectContaining({ code: 'TrimmedDataAccessException' }));
  });
});
