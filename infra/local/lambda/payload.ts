import { LambdaError } from './errors.ts';

/** Jackson (Lambda's front end) quotes at most this much of the source in a parse error. */
const SOURCE_LIMIT = 500;

/** Where the first byte that breaks UTF-8 is, and whether it starts or continues a character. */
function firstInvalidByte(bytes: Uint8Array): { index: number; kind: 'start' | 'middle' } | undefined {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const extra =
      lead < 0x80
        ? 0
        : lead >= 0xc0 && lead < 0xe0
          ? 1
          : lead >= 0xe0 && lead < 0xf0
            ? 2
            : lead >= 0xf0 && lead < 0xf8
              ? 3
              : -1;
    if (extra < 0) return { index: i, kind: 'start' };
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80)
        return { index: Math.min(i + k, bytes.length - 1), kind: 'middle' };
    }
    i += extra + 1;
  }
  return undefined;
}

/**
 * An Invoke payload must be UTF-8 before it can be JSON: Lambda answers InvalidRequestContentException
 * naming the byte, worded by its JSON parser (Jackson): "Could not parse request body into json:
 * Could not parse payload into json: Invalid UTF-8 start byte 0x87 … line: 1, column: 3" (as AWS
 * answers and SDK users quote it). Line and column are 1-based; the column counts bytes up to and
 * including the offending one, plus one, as Jackson's stream parser does.
 */
export function checkUtf8(bytes: Uint8Array): void {
  const invalid = firstInvalidByte(bytes);
  if (invalid === undefined) return;
  const before = bytes.subarray(0, invalid.index);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((byte) => byte === 0x0a).length + 1;
  const column = invalid.index - lineStart + 2;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const source =
    text.length > SOURCE_LIMIT
      ? `${text.slice(0, SOURCE_LIMIT)}"[truncated ${text.length - SOURCE_LIMIT} chars]`
      : `${text}"`;
  const hex = bytes[invalid.index]!.toString(16);
  throw new LambdaError(
    'InvalidRequestContentException',
    `Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 ${invalid.kind} byte 0x${hex}\n at [Source: (byte[])"${source}; line: ${line}, column: ${column}]`,
  );
}

/** The payload as JSON text: bytes are checked to be UTF-8 first, other values are serialized. */
export function payloadText(payload: unknown): string {
  if (payload === undefined) return '';
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) {
    checkUtf8(payload);
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  }
  return JSON.stringify(payload);
}
