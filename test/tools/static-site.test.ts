// How `npm start` serves the built site's files (tools/static-site.ts): negotiated compression from
// the files precompressed at build time, Vary, ETag revalidation, immutable caching of hashed assets,
// images sent as they are, and everything else left to Astro.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler, negotiateEncoding, precompressSite } from '../../tools/static-site.ts';

describe('negotiateEncoding (Accept-Encoding, RFC 9110 §12.5.3)', () => {
  const both = ['br', 'gzip'] as const;
  it.each([
    ['gzip, deflate, br, zstd', both, 'br'], // what Chromium sends
    ['gzip, deflate', both, 'gzip'],
    ['br;q=0, gzip', both, 'gzip'],
    ['gzip;q=0.8, br;q=0.5', both, 'gzip'],
    ['BR', both, 'br'],
    ['*', both, 'br'],
    ['*;q=0', both, 'identity'],
    ['gzip;q=0, *', both, 'br'],
    ['identity', both, 'identity'],
    ['', both, 'identity'],
    [undefined, both, 'identity'],
    ['br', ['gzip'], 'identity'],
    ['br, gzip', ['gzip'], 'gzip'],
  ] as const)('%j with %j available → %s', (header, available, expected) => {
    expect(negotiateEncoding(header, available)).toBe(expected);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'workbook-static-'));
const page = `<!doctype html><title>Lesson</title>${'<p>A lesson paragraph about Lambda. </p>\n'.repeat(400)}`;
const script = `export const x = ${JSON.stringify('lambda '.repeat(2000))};\n`;
const photo = randomBytes(20_000); // incompressible, as an image is
let server: Server;
let base: string;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A raw HTTP request (no client-side decompression): what the browser receives on the wire. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, 'scenarios', 'thumbnails'), { recursive: true });
  mkdirSync(join(dir, '_astro'));
  mkdirSync(join(dir, 'screenshots'));
  writeFileSync(join(dir, 'scenarios', 'thumbnails', 'index.html'), page);
  writeFileSync(join(dir, '_astro', 'page.Ab12Cd34.js'), script);
  writeFileSync(join(dir, 'screenshots', 'tour.webp'), photo);
  writeFileSync(join(dir, 'tiny.txt'), 'hi');
  writeFileSync(join(dir, '.build-stamp'), 'secret-ish');
  await precompressSite(dir);
  const serveFile = createStaticHandler(dir);
  server = createServer((req, res) => {
    if (serveFile(req, res)) return;
    res.writeHead(404, { 'x-handled-by': 'astro' });
    res.end('not a file');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('precompressSite', () => {
  it('writes .br and .gz beside the text files, not beside images or what compression cannot shrink', () => {
    for (const file of ['scenarios/thumbnails/index.html', '_astro/page.Ab12Cd34.js']) {
      expect(existsSync(join(dir, `${file}.br`)), file).toBe(true);
      expect(existsSync(join(dir, `${file}.gz`)), file).toBe(true);
    }
    expect(existsSync(join(dir, 'screenshots', 'tour.webp.br'))).toBe(false);
    expect(existsSync(join(dir, 'screenshots', 'tour.webp.gz'))).toBe(false);
    expect(existsSync(join(dir, 'tiny.txt.gz'))).toBe(false); // gzip would make 2 bytes 22
  });
});

describe('createStaticHandler', () => {
  it('answers brotli to a browser that accepts it, with Vary and the compressed length', async () => {
    const answer = await get('/scenarios/thumbnails/', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(answer.body.length).toBeLessThan(page.length / 10);
    expect(brotliDecompressSync(answer.body).toString()).toBe(page);
    // A page may change with the next build: revalidated every time (cheaply, by ETag).
    expect(answer.headers['cache-control']).toBe('no-cache');
  });

  it('answers gzip when brotli is not accepted, and the file itself when nothing is', async () => {
    const gz = await get('/scenarios/thumbnails/index.html', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(page);

    const plain = await get('/scenarios/thumbnails/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding'); // a cache must not hand this to a brotli client, or back
    expect(plain.body.toString()).toBe(page);

    const refused = await get('/scenarios/thumbnails/', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('caches the hashed assets under /_astro/ for a year, immutable', async () => {
    const answer = await get('/_astro/page.Ab12Cd34.js', { 'accept-encoding': 'br' });
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(brotliDecompressSync(answer.body).toString()).toBe(script);
  });

  it('sends images as they are: no Content-Encoding, no Vary, the same bytes', async () => {
    const answer = await get('/screenshots/tour.webp', { 'accept-encoding': 'gzip, deflate, br' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('image/webp');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.vary).toBeUndefined();
    expect(answer.body.equals(photo)).toBe(true);
  });

  it('answers 304 to a matching If-None-Match, per representation', async () => {
    const first = await get('/scenarios/thumbnails/', { 'accept-encoding': 'br' });
    const etag = first.headers.etag as string;
    const again = await get('/scenarios/thumbnails/', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip bytes are another representation: its tag differs, so the brotli one does not match.
    const gz = await get('/scenarios/thumbnails/', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(200);
    expect(gz.headers.etag).not.toBe(etag);
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await get('/scenarios/thumbnails/', { 'accept-encoding': 'br' }, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0);
    expect(answer.body.length).toBe(0);
  });

  it.each([
    ['a missing file', 'GET', '/nope.html'],
    ['a path out of the directory', 'GET', '/%2e%2e/%2e%2e/etc/passwd'],
    ['a dotfile (the build stamp)', 'GET', '/.build-stamp'],
    ['a malformed escape', 'GET', '/%E0%A4%A'],
    ['a POST (the /api routes)', 'POST', '/scenarios/thumbnails/'],
  ])('leaves %s to Astro', async (_what, method, path) => {
    const answer = await get(path, {}, method);
    expect(answer.status).toBe(404);
    expect(answer.headers['x-handled-by']).toBe('astro');
  });
});
