import { describe, expect, it } from 'vitest';
import { checkApiToken, tokensEqual } from '../../../site/lib/request-guard.ts';
import { fromItem, toItem } from '../../../site/server/dynamodb-json.ts';
import { HttpError, readJsonObject, scenarioParam, toErrorResponse } from '../../../site/server/http.ts';
import { parseInvokeRequest, parsePayload } from '../../../site/server/invoke.ts';
import { previewUrl } from '../../../site/server/resources.ts';
import { parseTriggerRequest, validateKey } from '../../../site/server/triggers.ts';

/** The HttpError a function throws (or fails the test). */
function thrown(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://127.0.0.1:4321/api/x', { method: 'POST', body, headers });

describe('the per-start token', () => {
  it('compares in constant time and accepts only the same token', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(tokensEqual('', '')).toBe(false);
  });

  it('is read from the header, or from ?token= for EventSource and images', () => {
    const url = 'http://127.0.0.1:4321/api/trace';
    expect(checkApiToken(new Request(url, { headers: { 'x-workbook-token': 's3cret' } }), 's3cret')).toEqual({
      ok: true,
    });
    expect(checkApiToken(new Request(`${url}?token=s3cret`), 's3cret')).toEqual({ ok: true });
    const missing = checkApiToken(new Request(url), 's3cret');
    expect(missing).toMatchObject({ ok: false, status: 401 });
    expect(missing.ok === false && missing.reason).toContain('/api/session');
    const wrong = checkApiToken(new Request(`${url}?token=old`), 's3cret');
    expect(wrong.ok === false && wrong.reason).toContain('restarted');
  });
});

describe('request bodies', () => {
  it('parses a JSON object', async () => {
    await expect(readJsonObject(post('{"source":"x"}'), 100)).resolves.toEqual({ source: 'x' });
  });

  it.each([
    ['not JSON', post('{nope'), 400, 'not valid JSON'],
    ['an array', post('[1]'), 400, 'JSON object'],
    ['empty', post(''), 400, 'needs a JSON body'],
    ['too large', post(JSON.stringify({ source: 'x'.repeat(200) })), 413, 'larger than'],
    ['not declared JSON', post('{}', { 'content-type': 'text/plain' }), 415, 'application/json'],
  ])('refuses %s', async (_name, request, status, message) => {
    const error = await readJsonObject(request, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status });
    expect((error as Error).message).toContain(message);
  });

  it('counts a streamed body without Content-Length against the limit', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new Uint8Array(50));
        controller.close();
      },
    });
    const request = new Request('http://127.0.0.1/api/x', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    await expect(readJsonObject(request, 100)).rejects.toMatchObject({ status: 413 });
  });

  it('knows the four scenarios and names them for an unknown one', () => {
    expect(scenarioParam('thumbnails')).toBe('thumbnails');
    const error = thrown(() => scenarioParam('nope'));
    expect(error).toMatchObject({ status: 404, code: 'UnknownScenario' });
    expect(error.message).toContain('web-backend');
  });
});

describe('invoke bodies', () => {
  it('take any JSON event and RequestResponse by default', () => {
    expect(parseInvokeRequest({ event: { a: 1 } })).toEqual({ event: { a: 1 }, invocationType: 'RequestResponse' });
    expect(parseInvokeRequest({ event: null, invocationType: 'Event' })).toEqual({
      event: null,
      invocationType: 'Event',
    });
  });

  it('refuse a missing event or an unknown invocation type', () => {
    expect(thrown(() => parseInvokeRequest({})).message).toContain("'event' is required");
    expect(thrown(() => parseInvokeRequest({ event: {}, invocationType: 'DryRun' })).status).toBe(400);
  });

  it('return JSON payloads parsed and other text as text', () => {
    expect(parsePayload(Buffer.from('{"ok":true}'))).toEqual({ ok: true });
    expect(parsePayload(Buffer.from('plain'))).toBe('plain');
    expect(parsePayload(undefined)).toBeUndefined();
    expect(String(parsePayload(Buffer.from('x'.repeat(2 * 1024 * 1024)))).length).toBeLessThan(1024 * 1024 + 100);
  });
});

describe('trigger bodies', () => {
  it('accept each kind', () => {
    expect(
      parseTriggerRequest({ kind: 'upload', key: 'cat.jpg', contentType: 'image/jpeg', bodyBase64: 'AAAA' }),
    ).toEqual({
      kind: 'upload',
      key: 'cat.jpg',
      contentType: 'image/jpeg',
      bodyBase64: 'AAAA',
    });
    expect(parseTriggerRequest({ kind: 'put-item', item: { orderId: 'o1', total: 5 } })).toMatchObject({
      kind: 'put-item',
    });
    expect(parseTriggerRequest({ kind: 'delete-item', table: 'ordersTable', key: { orderId: 'o1' } })).toMatchObject({
      table: 'ordersTable',
    });
    expect(parseTriggerRequest({ kind: 'kinesis-record', data: '{"page":"/"}', partitionKey: 'p' })).toMatchObject({
      partitionKey: 'p',
    });
    expect(parseTriggerRequest({ kind: 'http', method: 'post', path: '/items?x=1', body: '{}' })).toEqual({
      kind: 'http',
      method: 'POST',
      path: '/items?x=1',
      body: '{}',
    });
  });

  it.each([
    ['an unknown kind', { kind: 'email' }, "'kind' must be one of"],
    ['an upload without a key', { kind: 'upload', contentType: 'image/png', bodyBase64: '' }, "'key' is required"],
    ['a key with ..', { kind: 'upload', key: 'a/../b.jpg', contentType: 'image/png', bodyBase64: '' }, "'..' segments"],
    ['a key with a newline', { kind: 'upload', key: 'a\nb', contentType: 'image/png', bodyBase64: '' }, 'control'],
    ['a bad content type', { kind: 'upload', key: 'a.png', contentType: 'png', bodyBase64: '' }, 'media type'],
    ['bad base64', { kind: 'upload', key: 'a.png', contentType: 'image/png', bodyBase64: 'a b!' }, 'base64'],
    ['an item that is not an object', { kind: 'put-item', item: [1] }, "'item' is required"],
    ['an item DynamoDB cannot hold', { kind: 'put-item', item: { n: Number.NaN } }, 'finite number'],
    ['a key that is empty', { kind: 'delete-item', key: {} }, "'key' is required"],
    ['a record without a partition key', { kind: 'kinesis-record', data: 'x' }, "'partitionKey'"],
    ['an HTTP path to another host', { kind: 'http', method: 'GET', path: '//evil.example/' }, "single '/'"],
    ['an HTTP method', { kind: 'http', method: 'CONNECT', path: '/' }, "'method' must be"],
    ['a Host header', { kind: 'http', method: 'GET', path: '/', headers: { Host: 'x' } }, 'set by the request'],
    ['a header with a newline', { kind: 'http', method: 'GET', path: '/', headers: { a: 'b\r\nc: d' } }, 'one-line'],
    ['a GET with a body', { kind: 'http', method: 'GET', path: '/', body: 'x' }, 'has no body'],
  ])('refuse %s', (_name, body, message) => {
    const error = thrown(() => parseTriggerRequest(body));
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });

  it('refuse a photo over 10 MiB with 413', () => {
    const bodyBase64 = 'A'.repeat(14 * 1024 * 1024);
    expect(
      thrown(() => parseTriggerRequest({ kind: 'upload', key: 'a.png', contentType: 'image/png', bodyBase64 })).status,
    ).toBe(413);
  });

  it('validate keys as S3 does', () => {
    expect(validateKey('photos/2024/cat photo.jpg')).toBe('photos/2024/cat photo.jpg');
    expect(thrown(() => validateKey('/abs')).message).toContain("start with '/'");
    expect(thrown(() => validateKey('é'.repeat(600))).message).toContain('1024 bytes');
  });
});

describe('DynamoDB items as plain JSON', () => {
  it('round-trips what JSON can express', () => {
    const item = { id: 'a', n: 1.5, big: 12, ok: true, none: null, list: [1, 'x'], map: { nested: { deep: 'y' } } };
    const marshalled = toItem(item);
    expect(marshalled).toMatchObject({ id: { S: 'a' }, n: { N: '1.5' }, ok: { BOOL: true }, none: { NULL: true } });
    expect(fromItem(marshalled)).toEqual(item);
  });

  it('keeps numbers JavaScript cannot hold exactly as strings, and reads sets as arrays', () => {
    expect(fromItem({ n: { N: '123456789012345678901234567890' } })).toEqual({ n: '123456789012345678901234567890' });
    expect(fromItem({ s: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } })).toEqual({ s: ['a', 'b'], ns: [1, 2] });
  });
});

describe('previews and errors', () => {
  it('offers a preview URL for images only', () => {
    expect(previewUrl('b', 'cats/cat 1.JPG')).toBe('/api/objects?bucket=b&key=cats%2Fcat+1.JPG');
    expect(previewUrl('b', 'notes.txt')).toBeUndefined();
    expect(previewUrl('b', 'drawing.svg')).toBeUndefined();
  });

  it('answers AWS errors with an explained message, the AWS code and a mapped status', async () => {
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::000000000000:assumed-role/r/s is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/k because no identity-based policy allows it',
      ),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      },
    );
    const response = toErrorResponse(denied);
    expect(response.status).toBe(403);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'AccessDenied', awsCode: 'AccessDenied', missingPermission: 's3:PutObject' });
    expect(String(body.message)).toContain('s3:PutObject');

    const missing = Object.assign(new Error('Function not found: x'), {
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    const notFound = toErrorResponse(missing);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({
      awsCode: 'ResourceNotFoundException',
      awsMessage: 'Function not found: x',
    });

    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(refused).status).toBe(502);
  });

  it('answers an unexpected error as a 500 that names it', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const response = toErrorResponse(new TypeError('boom'));
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'InternalError', message: 'The workbook server failed: boom' });
    } finally {
      console.error = original;
    }
  });
});
