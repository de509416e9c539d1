import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, isAwsChunked } from '../../../../infra/local/s3/chunked.ts';
import { S3Error } from '../../../../infra/local/s3/errors.ts';

const frame = (chunks: string[], trailer = '', signed = false) =>
  Buffer.from(
    `${chunks
      .map(
        (c) => `${Buffer.byteLength(c).toString(16)}${signed ? `;chunk-signature=${'a'.repeat(64)}` : ''}\r\n${c}\r\n`,
      )
      .join('')}0${signed ? `;chunk-signature=${'b'.repeat(64)}` : ''}\r\n${trailer}\r\n`,
  );

describe('aws-chunked bodies', () => {
  it.each([
    ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, true],
    ['Content-Encoding aws-chunked', { 'content-encoding': 'gzip, aws-chunked' }, true],
    ['a plain body', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, false],
  ])('recognises %s', (_label, headers: Record<string, string>, expected) => {
    expect(isAwsChunked((name) => headers[name])).toBe(expected);
  });

  it('decodes unsigned chunks with a checksum trailer', () => {
    // Prepare
    const body = frame(['hello ', 'world'], 'x-amz-checksum-crc32:DUoRhQ==\r\n');

    // Act
    const decoded = decodeAwsChunked(body, 11);

    // Assess
    expect(Buffer.concat(decoded.chunks).toString()).toBe('hello world');
    expect(decoded.size).toBe(11);
    expect(decoded.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
  });

  it('decodes signed framing (its signatures are checked against a chain: chunk-signatures.test.ts)', () => {
    const decoded = decodeAwsChunked(frame(['abc', 'def'], '', true), 6);
    expect(Buffer.concat(decoded.chunks).toString()).toBe('abcdef');
    expect(decoded.trailers.size).toBe(0);
  });

  it.each([
    ['a truncated chunk', Buffer.from('a\r\nshort')],
    ['a bad size line', Buffer.from('zz\r\nabc\r\n0\r\n\r\n')],
    ['a length other than x-amz-decoded-content-length', frame(['abc'])],
  ])('answers IncompleteBody for %s', (_label, body) => {
    const attempt = () => decodeAwsChunked(body, 99);
    expect(attempt).toThrow(S3Error);
    expect(() => decodeAwsChunked(body, 99)).toThrow(expect.objectContaining({ code: 'IncompleteBody', status: 400 }));
  });
});
