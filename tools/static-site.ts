// The built site's files as `npm start` serves them: compressed (brotli or gzip, negotiated with
// Accept-Encoding, from the .br/.gz files written beside each file at build time), revalidated by
// ETag, and cached for good under /_astro/ (Astro puts a content hash in those names). What is
// not a file of dist/client (the /api routes, the 404 page) is left to Astro's handler.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Content types by extension; `compress` for the text formats worth compressing. */
const TYPES: Readonly<Record<string, { type: string; compress: boolean }>> = {
  '.html': { type: 'text/html; charset=utf-8', compress: true },
  '.css': { type: 'text/css; charset=utf-8', compress: true },
  '.js': { type: 'text/javascript; charset=utf-8', compress: true },
  '.mjs': { type: 'text/javascript; charset=utf-8', compress: true },
  '.json': { type: 'application/json; charset=utf-8', compress: true },
  '.map': { type: 'application/json; charset=utf-8', compress: true },
  '.svg': { type: 'image/svg+xml', compress: true },
  '.xml': { type: 'application/xml; charset=utf-8', compress: true },
  '.txt': { type: 'text/plain; charset=utf-8', compress: true },
  '.ttf': { type: 'font/ttf', compress: true },
  '.wasm': { type: 'application/wasm', compress: true },
  // Already compressed: sent as they are.
  '.webp': { type: 'image/webp', compress: false },
  '.png': { type: 'image/png', compress: false },
  '.jpg': { type: 'image/jpeg', compress: false },
  '.jpeg': { type: 'image/jpeg', compress: false },
  '.gif': { type: 'image/gif', compress: false },
  '.avif': { type: 'image/avif', compress: false },
  '.ico': { type: 'image/x-icon', compress: false },
  '.woff': { type: 'font/woff', compress: false },
  '.woff2': { type: 'font/woff2', compress: false },
  // Pagefind's index files are gzip data its script inflates itself.
  '.pagefind': { type: 'application/octet-stream', compress: false },
  '.pf_meta': { type: 'application/octet-stream', compress: false },
  '.pf_index': { type: 'application/octet-stream', compress: false },
  '.pf_fragment': { type: 'application/octet-stream', compress: false },
};

export type ContentCoding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Exclude<ContentCoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };
/** Hashed, never-changing assets (Astro's build.assets directory). */
const IMMUTABLE_PREFIX = '/_astro/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The coding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3: q-values, `*`, a
 * q=0 refusal): brotli over gzip when both are acceptable, identity when neither is.
 */
export function negotiateEncoding(header: string | undefined, available: readonly ContentCoding[]): ContentCoding {
  if (header === undefined) return 'identity';
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of ['br', 'gzip'] as const) {
    if (!available.includes(coding)) continue;
    const w = weight(coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}

export function contentTypeOf(path: string): { type: string; compress: boolean } {
  return TYPES[extname(path).toLowerCase()] ?? { type: 'application/octet-stream', compress: false };
}

/** Every file under `dir`, recursively (none when there is no such directory). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Up to this size a file gets brotli's best quality (the pages, styles and scripts of a lesson's first load). */
const BEST_QUALITY_MAX_BYTES = 200_000;

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file of the built site that they
 * make smaller (at least 5 %). Brotli at its best quality for the small files a page loads first;
 * the editor's bundles (up to 7 MB) at quality 5, within ~15 % of the best at 1/30 of the time.
 */
export async function precompressSite(dir: string): Promise<{ files: number; bytes: number; compressedBytes: number }> {
  const candidates = filesUnder(dir).filter((file) => contentTypeOf(file).compress);
  let bytes = 0;
  let compressedBytes = 0;
  let files = 0;
  // A few at a time: zlib runs them on libuv's thread pool.
  const queue = [...candidates];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const body = await readFile(file);
        const small = body.length <= BEST_QUALITY_MAX_BYTES;
        const [br, gz] = await Promise.all([
          brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: small ? constants.BROTLI_MAX_QUALITY : 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            },
          }),
          gzipAsync(body, { level: small ? 9 : 6 }),
        ]);
        if (gz.length > body.length * 0.95) continue;
        await writeFile(`${file}.gz`, gz);
        if (br.length <= body.length * 0.95) await writeFile(`${file}.br`, br);
        files += 1;
        bytes += body.length;
        compressedBytes += Math.min(br.length, gz.length);
      }
    }),
  );
  return { files, bytes, compressedBytes };
}

/** The file of `dir` a URL path names (a directory's index.html), or undefined when there is none. */
function resolveFile(dir: string, urlPath: string): { path: string; size: number; mtimeMs: number } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  // Dotfiles (the build stamp) and anything outside the directory are not the site's.
  if (relative.split(/[/\\]/).some((segment) => segment.startsWith('.'))) return undefined;
  let path = join(dir, relative);
  if (path !== dir && !path.startsWith(dir + sep)) return undefined;
  let stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    path = join(path, 'index.html');
    stat = statSync(path, { throwIfNoEntry: false });
  }
  if (stat === undefined || !stat.isFile()) return undefined;
  return { path, size: stat.size, mtimeMs: stat.mtimeMs };
}

/**
 * A request handler for the files of `dir` (dist/client). Returns false, touching nothing, for a
 * request it does not serve (not GET/HEAD, or no such file): the caller passes it on to Astro.
 */
export function createStaticHandler(dir: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = normalize(dir).replace(/[/\\]+$/, '');
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const urlPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    const file = resolveFile(root, urlPath);
    if (file === undefined) return false;
    const { type, compress } = contentTypeOf(file.path);

    let coding: ContentCoding = 'identity';
    let servedPath = file.path;
    let size = file.size;
    if (compress) {
      const available = (['br', 'gzip'] as const).filter((c) =>
        statSync(`${file.path}${SUFFIX[c]}`, { throwIfNoEntry: false }),
      );
      coding = negotiateEncoding(req.headers['accept-encoding'], available);
      if (coding !== 'identity') {
        servedPath = `${file.path}${SUFFIX[coding]}`;
        size = statSync(servedPath).size;
      }
    }
    // One tag per representation (RFC 9110 §8.8.3): the compressed bytes differ from the file's.
    const etag = `"${file.size.toString(36)}-${Math.floor(file.mtimeMs).toString(36)}${coding === 'identity' ? '' : `-${coding}`}"`;
    const headers: Record<string, string> = {
      'content-type': type,
      etag,
      'last-modified': new Date(file.mtimeMs).toUTCString(),
      'cache-control': urlPath.startsWith(IMMUTABLE_PREFIX) ? IMMUTABLE : 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (compress) headers.vary = 'Accept-Encoding';
    if (coding !== 'identity') headers['content-encoding'] = coding;

    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(size) });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    pipeline(createReadStream(servedPath), res).catch(() => res.destroy());
    return true;
  };
}
