import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Checksum } from './checksums.ts';
import type { BucketNotification } from './notifications.ts';

/** Representation headers S3 stores with an object and returns on GET/HEAD. */
export interface ObjectHeaders {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly expires?: string;
  /** `x-amz-meta-*` without the prefix, names lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ObjectRecord extends ObjectHeaders {
  readonly key: string;
  readonly size: number;
  /** MD5 hex, or `<md5 of part md5s>-<parts>` for multipart uploads; without quotes. */
  readonly etag: string;
  /** ISO-8601 with milliseconds. */
  readonly lastModified: string;
  readonly checksum?: Checksum;
  readonly partsCount?: number;
  /** Where the bytes are (opaque id). */
  readonly blob: string;
}

export interface BucketRecord {
  readonly name: string;
  readonly region: string;
  readonly creationDate: string;
  readonly notification: BucketNotification;
}

export interface PartRecord {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  readonly checksum?: Checksum;
  readonly blob: string;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly key: string;
  readonly initiated: string;
  readonly headers: ObjectHeaders;
  readonly checksumAlgorithm?: string;
  readonly parts: Readonly<Record<number, PartRecord>>;
}

interface BucketState {
  record: BucketRecord;
  readonly objects: Map<string, ObjectRecord>;
  readonly uploads: Map<string, UploadRecord>;
  /** Blob bytes when in memory: the pieces they arrived in, kept as they are (no join, no copy). */
  readonly blobs: Map<string, readonly Buffer[]>;
}

const BLOB_ID = /^[0-9a-f]{32}$/;
const newBlobId = () => randomUUID().replaceAll('-', '');

/** File name for a key: a hash, so any key (`../x`, 1024 bytes, any Unicode) maps to a safe, short name. */
const keyFileName = (key: string) => `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;

/** S3 lists keys in UTF-8 binary order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.${newBlobId()}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/**
 * Buckets, objects and multipart uploads. The index lives in memory; with a `dataDir`,
 * everything is also written under `<dataDir>/s3/buckets/<bucket>/`:
 * `bucket.json`, `objects/<sha256(key)>.json` (metadata sidecar naming its blob),
 * `uploads/<uploadId>.json` and `data/<blob>` (bytes). Metadata is written atomically
 * (temp file + rename) after the blob, so a crash never leaves a sidecar without its bytes.
 */
export class S3Store {
  readonly #buckets = new Map<string, BucketState>();
  readonly #root: string | undefined;
  /** Serialises writes per file so the last index update is also the last write. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(dataDir?: string) {
    this.#root = dataDir === undefined ? undefined : join(dataDir, 's3', 'buckets');
    if (this.#root !== undefined) {
      mkdirSync(this.#root, { recursive: true });
      this.#load(this.#root);
    }
  }

  // ---- buckets

  listBuckets(): BucketRecord[] {
    return [...this.#buckets.values()].map((s) => s.record).sort((a, b) => compareKeys(a.name, b.name));
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.#buckets.get(name)?.record;
  }

  /** Callers validate the name first: it becomes a directory name. */
  async createBucket(record: BucketRecord): Promise<void> {
    this.#buckets.set(record.name, { record, objects: new Map(), uploads: new Map(), blobs: new Map() });
    const dir = this.#bucketDir(record.name);
    if (dir !== undefined) {
      for (const sub of ['objects', 'uploads', 'data']) mkdirSync(join(dir, sub), { recursive: true });
      await this.#writeJson(join(dir, 'bucket.json'), record);
    }
  }

  async updateBucket(record: BucketRecord): Promise<void> {
    const state = this.#state(record.name);
    state.record = record;
    const dir = this.#bucketDir(record.name);
    if (dir !== undefined) await this.#writeJson(join(dir, 'bucket.json'), record);
  }

  async deleteBucket(name: string): Promise<void> {
    this.#buckets.delete(name);
    const dir = this.#bucketDir(name);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }

  objectCount(bucket: string): number {
    return this.#state(bucket).objects.size;
  }

  // ---- objects

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.#state(bucket).objects.get(key);
  }

  /** All objects of a bucket in key order. */
  listObjects(bucket: string): ObjectRecord[] {
    return [...this.#state(bucket).objects.values()].sort((a, b) => compareKeys(a.key, b.key));
  }

  /** Stores bytes and returns the blob id to put in an ObjectRecord or PartRecord. */
  async writeBlob(bucket: string, data: Buffer | readonly Buffer[]): Promise<string> {
    const id = newBlobId();
    const chunks = Buffer.isBuffer(data) ? [data] : data;
    const dir = this.#bucketDir(bucket);
    if (dir === undefined) {
      this.#state(bucket).blobs.set(id, chunks);
      return id;
    }
    const file = await open(join(dir, 'data', id), 'wx');
    try {
      for (const chunk of chunks) await file.write(chunk);
    } finally {
      await file.close();
    }
    return id;
  }

  /**
   * A blob's bytes, or those of the inclusive byte range `[start, end]`, as a stream: from its
   * file, or from the pieces in memory without joining them. Fails (ENOENT) at once when the blob
   * is gone.
   */
  async openBlob(bucket: string, blob: string, range?: { start: number; end: number }): Promise<Readable> {
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) {
      const file = await open(join(dir, 'data', blob), 'r');
      return file.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
    }
    const pieces = this.#memoryBlob(bucket, blob);
    if (range === undefined) return Readable.from(pieces, { objectMode: false });
    const selected: Buffer[] = [];
    let offset = 0;
    for (const piece of pieces) {
      const from = Math.max(range.start - offset, 0);
      const to = Math.min(range.end + 1 - offset, piece.length);
      if (from < to) selected.push(piece.subarray(from, to));
      offset += piece.length;
    }
    return Readable.from(selected, { objectMode: false });
  }

  #memoryBlob(bucket: string, blob: string): readonly Buffer[] {
    const found = this.#state(bucket).blobs.get(blob);
    if (found === undefined) {
      throw Object.assign(new Error(`Blob ${blob} of bucket ${bucket} is missing`), { code: 'ENOENT' });
    }
    return found;
  }

  /** Reads a blob, or the inclusive byte range `[start, end]` of it. */
  async readBlob(bucket: string, blob: string, range?: { start: number; end: number }): Promise<Buffer> {
    const dir = this.#bucketDir(bucket);
    let data: Buffer;
    if (dir === undefined) {
      const pieces = this.#memoryBlob(bucket, blob);
      data = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    } else if (range !== undefined) {
      const file = await open(join(dir, 'data', blob), 'r');
      try {
        const length = range.end - range.start + 1;
        const out = Buffer.alloc(length);
        const { bytesRead } = await file.read(out, 0, length, range.start);
        return out.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    } else {
      return readFile(join(dir, 'data', blob));
    }
    return range === undefined ? data : data.subarray(range.start, range.end + 1);
  }

  /** Stores an object record (its blob already written); returns the record it replaced. */
  async putObject(bucket: string, record: ObjectRecord): Promise<ObjectRecord | undefined> {
    const state = this.#state(bucket);
    const previous = state.objects.get(record.key);
    state.objects.set(record.key, record);
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) await this.#writeJson(join(dir, 'objects', keyFileName(record.key)), record);
    if (previous !== undefined && previous.blob !== record.blob) await this.#deleteBlob(bucket, previous.blob);
    return previous;
  }

  async deleteObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const state = this.#state(bucket);
    const previous = state.objects.get(key);
    if (previous === undefined) return undefined;
    state.objects.delete(key);
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) await this.#removeFile(join(dir, 'objects', keyFileName(key)));
    await this.#deleteBlob(bucket, previous.blob);
    return previous;
  }

  // ---- multipart uploads

  getUpload(bucket: string, uploadId: string): UploadRecord | undefined {
    return this.#state(bucket).uploads.get(uploadId);
  }

  async putUpload(bucket: string, upload: UploadRecord): Promise<void> {
    this.#state(bucket).uploads.set(upload.uploadId, upload);
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) await this.#writeJson(join(dir, 'uploads', `${upload.uploadId}.json`), upload);
  }

  /** Adds or replaces a part; the replaced part's bytes are dropped. */
  async putPart(bucket: string, uploadId: string, part: PartRecord): Promise<void> {
    const upload = this.getUpload(bucket, uploadId);
    if (upload === undefined) throw new Error(`Upload ${uploadId} vanished`);
    const previous = upload.parts[part.partNumber];
    await this.putUpload(bucket, { ...upload, parts: { ...upload.parts, [part.partNumber]: part } });
    if (previous !== undefined) await this.#deleteBlob(bucket, previous.blob);
  }

  /** Forgets an upload and drops its parts' bytes. */
  async deleteUpload(bucket: string, uploadId: string): Promise<void> {
    const state = this.#state(bucket);
    const upload = state.uploads.get(uploadId);
    if (upload === undefined) return;
    state.uploads.delete(uploadId);
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) await this.#removeFile(join(dir, 'uploads', `${uploadId}.json`));
    for (const part of Object.values(upload.parts)) await this.#deleteBlob(bucket, part.blob);
  }

  /** Resolves once every pending metadata write has reached the disk. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes.values()]);
  }

  // ---- internals

  #state(bucket: string): BucketState {
    const state = this.#buckets.get(bucket);
    if (state === undefined) throw new Error(`Bucket ${bucket} is not in the store`);
    return state;
  }

  #bucketDir(bucket: string): string | undefined {
    return this.#root === undefined ? undefined : join(this.#root, bucket);
  }

  async #deleteBlob(bucket: string, blob: string): Promise<void> {
    const state = this.#buckets.get(bucket);
    if (state === undefined) return;
    state.blobs.delete(blob);
    const dir = this.#bucketDir(bucket);
    if (dir !== undefined) await unlink(join(dir, 'data', blob)).catch(() => undefined);
  }

  #serialise(path: string, write: () => Promise<void>): Promise<void> {
    const next = (this.#writes.get(path) ?? Promise.resolve()).then(write, write);
    this.#writes.set(path, next);
    void next
      .finally(() => {
        if (this.#writes.get(path) === next) this.#writes.delete(path);
      })
      .catch(() => undefined);
    return next;
  }

  #writeJson(path: string, value: unknown): Promise<void> {
    return this.#serialise(path, () => writeFileAtomic(path, JSON.stringify(value)));
  }

  #removeFile(path: string): Promise<void> {
    return this.#serialise(path, () => unlink(path).catch(() => undefined));
  }

  /** Rebuilds the index from disk and removes leftovers of interrupted writes. */
  #load(root: string): void {
    /** A sidecar that cannot be read (hand-edited, truncated by a crash before rename existed) is skipped, not fatal. */
    const readJson = <T>(path: string): T | undefined => {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as T;
      } catch {
        return undefined;
      }
    };
    for (const name of readdirSync(root)) {
      const dir = join(root, name);
      const bucketFile = join(dir, 'bucket.json');
      if (!statSync(dir).isDirectory() || !existsSync(bucketFile)) continue;
      const record = readJson<BucketRecord>(bucketFile);
      if (record?.name !== name) continue;
      for (const file of readdirSync(dir)) if (file.endsWith('.tmp')) rmSync(join(dir, file), { force: true });
      const state: BucketState = { record, objects: new Map(), uploads: new Map(), blobs: new Map() };
      const referenced = new Set<string>();
      for (const sub of ['objects', 'uploads', 'data']) mkdirSync(join(dir, sub), { recursive: true });
      for (const file of readdirSync(join(dir, 'objects'))) {
        const path = join(dir, 'objects', file);
        if (!file.endsWith('.json')) {
          unlinkSync(path);
          continue;
        }
        const object = readJson<ObjectRecord>(path);
        if (
          object === undefined ||
          typeof object.blob !== 'string' ||
          !BLOB_ID.test(object.blob) ||
          !existsSync(join(dir, 'data', object.blob))
        )
          continue;
        state.objects.set(object.key, object);
        referenced.add(object.blob);
      }
      for (const file of readdirSync(join(dir, 'uploads'))) {
        const path = join(dir, 'uploads', file);
        if (!file.endsWith('.json')) {
          unlinkSync(path);
          continue;
        }
        const upload = readJson<UploadRecord>(path);
        if (upload === undefined) continue;
        const parts = Object.values(upload.parts).filter(
          (p) => BLOB_ID.test(p.blob) && existsSync(join(dir, 'data', p.blob)),
        );
        for (const part of parts) referenced.add(part.blob);
        state.uploads.set(upload.uploadId, {
          ...upload,
          parts: Object.fromEntries(parts.map((p) => [p.partNumber, p])),
        });
      }
      for (const file of readdirSync(join(dir, 'data'))) {
        if (!referenced.has(file)) rmSync(join(dir, 'data', file), { force: true });
      }
      this.#buckets.set(name, state);
    }
  }
}
