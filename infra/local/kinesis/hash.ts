import { createHash } from 'node:crypto';

/** Kinesis hash keys are 128-bit unsigned integers: 0 … 2^128 - 1. */
export const HASH_KEY_SPACE = 2n ** 128n;

/**
 * The hash key of a partition key: MD5 of its UTF-8 bytes read as a big-endian unsigned integer
 * ("Kinesis Data Streams uses MD5 to map partition keys to 128-bit integer values", API reference, PutRecord).
 */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export interface HashKeyRange {
  readonly startingHashKey: string;
  readonly endingHashKey: string;
}

/** Splits the hash key space evenly over `count` shards, as CreateStream does. */
export function evenHashKeyRanges(count: number): HashKeyRange[] {
  const n = BigInt(count);
  return Array.from({ length: count }, (_, i) => {
    const start = (BigInt(i) * HASH_KEY_SPACE) / n;
    const end = (BigInt(i + 1) * HASH_KEY_SPACE) / n - 1n;
    return { startingHashKey: start.toString(), endingHashKey: end.toString() };
  });
}

export function inRange(hashKey: bigint, range: HashKeyRange): boolean {
  return hashKey >= BigInt(range.startingHashKey) && hashKey <= BigInt(range.endingHashKey);
}

/** `shardId-000000000007`: AWS's shard ids are a 12-digit zero-padded index. */
export function shardIdFor(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}
