import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evenHashKeyRanges, partitionKeyHash, shardIdFor } from '../../../../infra/local/kinesis/hash.ts';

describe('hash keys', () => {
  it.each(['', 'a', 'user-42', 'ünïcødé', 'x'.repeat(256)])('hashes %j as the big-endian MD5 integer', (key) => {
    // Act
    const hash = partitionKeyHash(key);

    // Assess
    expect(hash.toString(16).padStart(32, '0')).toBe(createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex'));
  });

  it.each([1, 2, 3, 4, 7])('splits the hash key space into %i contiguous ranges covering 0 … 2^128-1', (count) => {
    // Act
    const ranges = evenHashKeyRanges(count);

    // Assess
    expect(ranges).toHaveLength(count);
    expect(ranges[0]?.startingHashKey).toBe('0');
    expect(ranges.at(-1)?.endingHashKey).toBe((2n ** 128n - 1n).toString());
    for (let i = 1; i < ranges.length; i++) {
      expect(BigInt(ranges[i]!.startingHashKey)).toBe(BigInt(ranges[i - 1]!.endingHashKey) + 1n);
    }
  });

  it("matches AWS's split for two shards", () => {
    // Act
    const [first, second] = evenHashKeyRanges(2);

    // Assess
    expect(first).toEqual({ startingHashKey: '0', endingHashKey: '170141183460469231731687303715884105727' });
    expect(second?.startingHashKey).toBe('170141183460469231731687303715884105728');
  });

  it('names shards shardId- and 12 digits', () => {
    expect(shardIdFor(0)).toBe('shardId-000000000000');
    expect(shardIdFor(42)).toBe('shardId-000000000042');
  });
});
