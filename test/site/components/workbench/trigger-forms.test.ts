import { describe, expect, it } from 'vitest';
import {
  bytesToBase64,
  checkUpload,
  clickRecordRequest,
  contentTypeFor,
  deleteOrderRequest,
  httpRequest,
  keyFor,
  MAX_UPLOAD_BYTES,
  notificationWarning,
  orderItemRequest,
  parseHeaders,
  uploadRequest,
} from '../../../../site/components/workbench/triggers/forms.ts';

describe('photo upload', () => {
  it('accepts a photo, keeping its name as the key', () => {
    expect(checkUpload({ name: 'my cat.jpg', size: 12_345, type: 'image/jpeg' })).toEqual({
      ok: true,
      value: { key: 'my cat.jpg', contentType: 'image/jpeg' },
    });
  });

  it('refuses empty and too large files with a clear message', () => {
    const empty = checkUpload({ name: 'a.jpg', size: 0, type: 'image/jpeg' });
    expect(empty).toEqual({ ok: false, error: '"a.jpg" is empty.' });
    const large = checkUpload({ name: 'big.png', size: MAX_UPLOAD_BYTES + 1, type: 'image/png' });
    expect(large.ok).toBe(false);
    expect(!large.ok && large.error).toMatch(/"big.png" is 5\.0 MB; the workbench sends photos up to 5 MB/);
  });

  it('warns when the key will not notify the function (suffix filters are case-sensitive)', () => {
    expect(notificationWarning('cat.png')).toBeUndefined();
    expect(notificationWarning('IMG_1234.JPG')).toMatch(/case-sensitive.*\.jpg/);
    expect(checkUpload({ name: 'notes.txt', size: 3, type: '' })).toMatchObject({
      ok: true,
      value: { key: 'notes.txt', contentType: 'text/plain', warning: expect.stringContaining('.jpg, .jpeg, .png') },
    });
  });

  it('makes keys from file names', () => {
    expect(keyFor('C:\\Users\\ada\\photo.jpg')).toBe('photo.jpg');
    expect(keyFor('dir/sub/photo.png')).toBe('photo.png');
    expect(keyFor('  \u0001 ')).toBe('photo.jpg');
    const long = keyFor(`${'a'.repeat(300)}.jpeg`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.jpeg')).toBe(true);
    expect(contentTypeFor('x.PNG')).toBe('image/png');
    expect(contentTypeFor('x.bin')).toBe('application/octet-stream');
  });

  it('encodes bytes as base64, large ones too', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(uploadRequest('a.jpg', 'image/jpeg', new Uint8Array([1, 2, 3]))).toEqual({
      kind: 'upload',
      key: 'a.jpg',
      contentType: 'image/jpeg',
      bodyBase64: 'AQID',
    });
  });
});

describe('order and click forms', () => {
  it('writes an order item the metrics handler can sum', () => {
    expect(orderItemRequest({ orderId: ' order-1001 ', total: '42.5', status: 'placed' })).toEqual({
      ok: true,
      value: { kind: 'put-item', item: { orderId: 'order-1001', total: 42.5, status: 'placed' } },
    });
    expect(orderItemRequest({ orderId: 'o1', total: '1', status: 'paid' }, 'orders-table')).toMatchObject({
      ok: true,
      value: { table: 'orders-table' },
    });
  });

  it('refuses bad order fields', () => {
    expect(orderItemRequest({ orderId: '', total: '1', status: 'placed' })).toMatchObject({ ok: false });
    expect(orderItemRequest({ orderId: 'has space', total: '1', status: 'placed' })).toMatchObject({ ok: false });
    expect(orderItemRequest({ orderId: 'o1', total: 'ten', status: 'placed' })).toEqual({
      ok: false,
      error: 'Total must be a number from 0 to 1000000 (e.g. 42.5).',
    });
    expect(orderItemRequest({ orderId: 'o1', total: '', status: 'placed' })).toMatchObject({ ok: false });
    expect(orderItemRequest({ orderId: 'o1', total: '-1', status: 'placed' })).toMatchObject({ ok: false });
  });

  it('deletes an order by its key', () => {
    expect(deleteOrderRequest('order-1001')).toEqual({
      ok: true,
      value: { kind: 'delete-item', key: { orderId: 'order-1001' } },
    });
  });

  it('puts a click record the Kinesis handler parses', () => {
    const request = clickRecordRequest({ page: '/pricing', clientId: 'device-42' });
    expect(request).toEqual({
      ok: true,
      value: { kind: 'kinesis-record', data: '{"page":"/pricing","clientId":"device-42"}', partitionKey: 'device-42' },
    });
    expect(clickRecordRequest({ page: 'pricing', clientId: 'd' })).toMatchObject({ ok: false });
    expect(clickRecordRequest({ page: '/', clientId: '' }, 'not json')).toEqual({
      ok: true,
      value: { kind: 'kinesis-record', data: 'not json', partitionKey: 'browser' },
    });
  });
});

describe('HTTP request form', () => {
  it('builds the request API Gateway receives', () => {
    expect(
      httpRequest({
        method: 'post',
        path: '/items',
        headers: 'Content-Type: application/json\n\n',
        body: '{"name":"Lamp","price":25}',
      }),
    ).toEqual({
      ok: true,
      value: {
        kind: 'http',
        method: 'POST',
        path: '/items',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"Lamp","price":25}',
      },
    });
    expect(httpRequest({ method: 'GET', path: '/items?limit=2', headers: '', body: '' })).toEqual({
      ok: true,
      value: { kind: 'http', method: 'GET', path: '/items?limit=2' },
    });
  });

  it('says what to fix', () => {
    expect(httpRequest({ method: 'FETCH', path: '/', headers: '', body: '' })).toMatchObject({ ok: false });
    expect(httpRequest({ method: 'GET', path: 'items', headers: '', body: '' })).toMatchObject({ ok: false });
    expect(httpRequest({ method: 'GET', path: '/items', headers: '', body: '{}' })).toEqual({
      ok: false,
      error: 'A GET request has no body: clear the body or choose POST.',
    });
    expect(parseHeaders('accept application/json')).toEqual({
      ok: false,
      error: 'Header line 1 must look like "name: value", got "accept application/json".',
    });
    expect(parseHeaders('x-a: 1: 2')).toEqual({ ok: true, value: { 'x-a': '1: 2' } });
  });
});
