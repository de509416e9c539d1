// The local cloud's administrator keys: a secret of this machine, not a constant. Whoever holds
// them can do anything (create roles, deploy code), so a foreign web page or a function's code
// must never know them. They are generated once per data directory and kept there in a file only
// the user can read; an in-memory cloud generates fresh ones for its process.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The LocalStack-style well-known keys, accepted only when asked for (`--admin-keys test`,
 * `LOCAL_CLOUD_ADMIN_KEYS=test`) so that tutorials written for LocalStack work as written.
 */
export const TUTORIAL_ADMIN_KEYS: AdminKeys = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Which admin keys a cloud accepts besides its own secret ones. */
export type AdminKeysMode = 'generated' | 'test';

/** The file in a data directory that holds its admin keys (mode 0600). */
export const ADMIN_KEYS_FILE = 'admin-keys.json';

/** `--admin-keys` / `LOCAL_CLOUD_ADMIN_KEYS`: 'generated' (the default) or 'test'; throws on anything else. */
export function parseAdminKeysMode(value: string | undefined): AdminKeysMode {
  if (value === undefined || value === '' || value === 'generated') return 'generated';
  if (value === 'test') return 'test';
  throw new Error(`--admin-keys must be 'generated' or 'test', received '${value}'.`);
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Fresh keys shaped like IAM user keys: `AKIA` + 16 base32 characters, a 40-character secret. */
export function generateAdminKeys(): AdminKeys {
  const bytes = randomBytes(16);
  let accessKeyId = 'AKIA';
  for (const byte of bytes) accessKeyId += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  const secretAccessKey = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
  return { accessKeyId, secretAccessKey };
}

function parseKeys(text: string, file: string): AdminKeys {
  const value = JSON.parse(text) as Partial<AdminKeys>;
  if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string') {
    throw new Error(
      `${file} does not hold admin keys ({"accessKeyId", "secretAccessKey"}): delete it to get new ones.`,
    );
  }
  return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
}

/** The admin keys of a data directory, or undefined when it has none yet. */
export function readAdminKeys(dataDir: string): AdminKeys | undefined {
  const file = join(dataDir, ADMIN_KEYS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseKeys(text, file);
}

/**
 * The data directory's admin keys, created on first use. The file is created with mode 0600
 * (exclusively, so two starts cannot write different keys); one found readable by others is
 * narrowed back to 0600.
 */
export function loadOrCreateAdminKeys(dataDir: string): AdminKeys {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, ADMIN_KEYS_FILE);
  const existing = readAdminKeys(dataDir);
  if (existing !== undefined) {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return existing;
  }
  return writeAdminKeys(dataDir, generateAdminKeys());
}

/** Writes keys to `<dir>/admin-keys.json`, readable by the user only (fails if the file exists). */
export function writeAdminKeys(dir: string, keys: AdminKeys): AdminKeys {
  const fd = openSync(join(dir, ADMIN_KEYS_FILE), 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(keys, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return keys;
}

/** The `export …` line that points the AWS CLI, boto3 and the SDKs at a local cloud. */
export function exportLine(endpoint: string, keys: AdminKeys, region = 'us-east-1'): string {
  return `export AWS_ENDPOINT_URL=${endpoint} AWS_ACCESS_KEY_ID=${keys.accessKeyId} AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey} AWS_REGION=${region} AWS_DEFAULT_REGION=${region}`;
}

/**
 * The admin keys a tool (`npm run check`, `verify`, `deploy:local`) signs with: the data
 * directory's (next to the stack outputs `npm start` writes), else `AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY` from the environment (the banner's `export` line, for an in-memory cloud).
 */
export function adminKeysForTools(dataDir: string, env: NodeJS.ProcessEnv = process.env): AdminKeys {
  const keys = readAdminKeys(dataDir);
  if (keys !== undefined) return keys;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  }
  throw new Error(
    `No admin keys for the local cloud: ${join(dataDir, ADMIN_KEYS_FILE)} does not exist. Point at the cloud's data directory (--data-dir / --stack-outputs), or run the 'export' line the cloud printed when it started.`,
  );
}
