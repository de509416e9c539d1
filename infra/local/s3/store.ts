import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { copyFile, open, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobStream } from './blob-stream.ts';
import type { Checksum } from './checksums.ts';
import type { BucketNotification } from './notifications.ts';
import { createPrivateTempDir, removePrivateTempDir } from './temp-dir.ts';

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
 * Buckets, objects and multipart uploads. The index lives in memory; the bytes live in files,
 * `<root>/<bucket>/data/<blob>`, so they are never on the JS heap nor in the pages a fork of this
 * process copies. With a `dataDir` the root is `<dataDir>/s3/buckets/` and the index is written
 * there too: `bucket.json`, `objects/<sha256(key)>.json` (metadata sidecar naming its blob) and
 * `uploads/<uploadId>.json`. Metadata is written atomically (temp file + rename) after the blob,
 * so a crash never leaves a sidecar without its bytes. Without one (in memory) the root is a
 * private temporary folder, made on first use and removed on close or exit (./temp-dir.ts).
 */
export class S3Store {
  readonly #buckets = new Map<string, BucketState>();
  /** The data directory's bucket root; undefined in memory. */
  readonly #persistent: string | undefined;
  #temp: string | undefined;
  /** Serialises writes per file so the last index update is also the last write. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(dataDir?: string) {
    this.#persistent = dataDir === undefined ? undefined : join(dataDir, 's3', 'buckets');
    if (this.#persistent !== undefined) {
      mkdirSync(this.#persistent, { recursive: true });
      this.#load(this.#persistent);
    }
  }

  /** Where the bytes of an in-memory store are (made on first use); undefined until then or with a data dir. */
  get tempDir(): string | undefined {
    return this.#temp;
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
    this.#buckets.set(record.name, { record, objects: new Map(), uploads: new Map() });
    const dir = this.#bucketDir(record.name);
    mkdirSync(join(dir, 'data'), { recursive: true });
    if (this.#persistent !== undefined) {
      for (const sub of ['objects', 'uploads']) mkdirSync(join(dir, sub), { recursive: true });
      await this.#writeJson(join(dir, 'bucket.json'), record);
    }
  }

  async updateBucket(record: BucketRecord): Promise<void> {
    const state = this.#state(record.name);
    state.record = record;
    if (this.#persistent !== undefined)
      await this.#writeJson(join(this.#bucketDir(record.name), 'bucket.json'), record);
  }

  async deleteBucket(name: string): Promise<void> {
    if (!this.#buckets.delete(name)) return;
    await rm(this.#bucketDir(name), { recursive: true, force: true });
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

  /**
   * Writes bytes, handed over in the pieces they arrived in (one vectored write, no join), to a
   * new blob; returns its id for an ObjectRecord or PartRecord.
   */
  async writeBlob(bucket: string, data: Buffer | readonly Buffer[]): Promise<string> {
    const id = newBlobId();
    const file = await open(this.#blobPath(bucket, id), 'wx');
    try {
      const chunks = Buffer.isBuffer(data) ? [data] : data;
      if (chunks.length > 0) await file.writev(chunks as Buffer[]);
    } finally {
      await file.close();
    }
    return id;
  }

  /** A new blob with the bytes of `blobs`, one after the other (a multipart upload's parts), streamed. */
  async concatBlobs(bucket: string, blobs: readonly string[]): Promise<string> {
    const id = newBlobId();
    const file = await open(this.#blobPath(bucket, id), 'wx');
    try {
      for (const blob of blobs) {
        for await (const chunk of await this.openBlob(bucket, blob)) await file.write(chunk as Buffer);
      }
    } finally {
      await file.close();
    }
    return id;
  }

  /** A new blob in `toBucket` with the bytes of `blob` (CopyObject): copied by the kernel. */
  async copyBlob(fromBucket: string, blob: string, toBucket: string): Promise<string> {
    const id = newBlobId();
    await copyFile(this.#blobPath(fromBucket, blob), this.#blobPath(toBucket, id));
    return id;
  }

  /** MD5 (hex) of a blob's bytes, read in a stream. */
  async md5OfBlob(bucket: string, blob: string): Promise<string> {
    const hash = createHash('md5');
    for await (const chunk of await this.openBlob(bucket, blob)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /**
   * A blob's bytes, or those of the inclusive byte range `[start, end]`, as a stream from its
   * file (see BlobStream). Fails (ENOENT) at once when the blob is gone; once open, a concurrent
   * delete does not cut the stream short.
   */
  async openBlob(bucket: string, blob: string, range?: { start: number; end: number }): Promise<BlobStream> {
    const file = await open(this.#blobPath(bucket, blob), 'r');
    try {
      const { start, end } = range ?? { start: 0, end: (await file.stat()).size - 1 };
      return new BlobStream(file, start, end);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Stores an object record (its blob already written); returns the record it replaced. */
  async putObject(bucket: string, record: ObjectRecord): Promise<ObjectRecord | undefined> {
    const state = this.#state(bucket);
    const previous = state.objects.get(record.key);
    state.objects.set(record.key, record);
    if (this.#persistent !== undefined)
      await this.#writeJson(join(this.#bucketDir(bucket), 'objects', keyFileName(record.key)), record);
    if (previous !== undefined && previous.blob !== record.blob) await this.#deleteBlob(bucket, previous.blob);
    return previous;
  }

  async deleteObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const state = this.#state(bucket);
    const previous = state.objects.get(key);
    if (previous === undefined) return undefined;
    state.objects.delete(key);
    if (this.#persistent !== undefined)
      await this.#removeFile(join(this.#bucketDir(bucket), 'objects', keyFileName(key)));
    await this.#deleteBlob(bucket, previous.blob);
    return previous;
  }

  // ---- multipart uploads

  getUpload(bucket: string, uploadId: string): UploadRecord | undefined {
    return this.#state(bucket).uploads.get(uploadId);
  }

  async putUpload(bucket: string, upload: UploadRecord): Promise<void> {
    this.#state(bucket).uploads.set(upload.uploadId, upload);
    if (this.#persistent !== undefined)
      await this.#writeJson(join(this.#bucketDir(bucket), 'uploads', `${upload.uploadId}.json`), upload);
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
    if (this.#persistent !== undefined)
      await this.#removeFile(join(this.#bucketDir(bucket), 'uploads', `${uploadId}.json`));
    for (const part of Object.values(upload.parts)) await this.#deleteBlob(bucket, part.blob);
  }

  /** Resolves once every pending metadata write has reached the disk. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes.values()]);
  }

  /** Lets pending writes finish; an in-memory store then forgets everything and removes its folder. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#temp === undefined) return;
    this.#buckets.clear();
    removePrivateTempDir(this.#temp);
    this.#temp = undefined;
  }

  // ---- internals

  #state(bucket: string): BucketState {
    const state = this.#buckets.get(bucket);
    if (state === undefined) throw new Error(`Bucket ${bucket} is not in the store`);
    return state;
  }

  #bucketDir(bucket: string): string {
    this.#temp ??= this.#persistent === undefined ? createPrivateTempDir() : undefined;
    return join(this.#persistent ?? this.#temp!, bucket);
  }

  #blobPath(bucket: string, blob: string): string {
    return join(this.#bucketDir(bucket), 'data', blob);
  }

  async #deleteBlob(bucket: string, blob: string): Promise<void> {
    if (!this.#buckets.has(bucket)) return;
    await unlink(this.#blobPath(bucket, blob)).catch(() => undefined);
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
      const state: BucketState = { record, objects: new Map(), uploads: new Map() };
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
