// The sample events the workbench serves (`scenarios/<id>/events/*.json`, recorded on AWS), made to
// work when a learner runs them against their own target.
//
// Served (`GET /api/scenarios/:id`): the recording with the deployed names put in where it names
// someone else's resources; everything else stays as recorded (test/recordings/aws/ has the shapes).
// - S3 (thumbnails): bucket name and ARN → the photos bucket; object size and eTag → those of the
//   sample object Run uploads (below); awsRegion → the target's.
// - DynamoDB stream (stream-metrics): eventSourceARN → the orders table's stream; awsRegion.
// - Kinesis (stream-metrics): eventSourceARN → the click stream; invokeIdentityArn → the execution
//   role of the function that reads it; awsRegion. Served with `functionIndex` of that function.
// - HTTP API (web-backend): requestContext apiId, domainName, domainPrefix, accountId and the host
//   header → the deployed API's.
// The ARNs take a lookup (GetFunctionConfiguration, DescribeTable) through `clientConfig(target)`;
// one that fails (a sandbox role without the permission) leaves the recorded value, with a warning
// in the server's log: serving the page matters more than an ARN no handler reads.
//
// Run (`POST …/invoke`): what a sample refers to is created first when it is missing — the object an
// S3 sample names, the item the GET-one-item sample asks for. On Run, not when the events are served:
// the page loads the events every time it opens, and uploading a photo then would run the thumbnail
// function (the upload is a real S3 event) whenever someone merely opens the lesson. On Run the
// learner asked for the function to run; the sample's `note` says beforehand what Run does first,
// and the invoke result's `prepared` says what it did. Only what is missing is created (a learner's
// own `cat.jpg` is never replaced), and only for the keys and ids the samples name: an edited event
// naming another object meets S3's NoSuchKey, as it would on AWS.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { SampleEvent } from '../lib/workbench-api.ts';
import { fromAwsError, HttpError, isSdkError } from './http.ts';
import { clientConfig, stackOutputs, type Target } from './target.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `Records` of an event whose records come from `source` (`aws:s3`, `aws:dynamodb`, `aws:kinesis`). */
function recordsFrom(event: unknown, source: string): Json[] {
  if (!isObject(event) || !Array.isArray(event.Records)) return [];
  return event.Records.filter((record): record is Json => isObject(record) && record.eventSource === source);
}

/** An API Gateway HTTP API event (payload format 2.0), or undefined. */
function httpApiEvent(event: unknown): (Json & { requestContext: Json }) | undefined {
  return isObject(event) && event.version === '2.0' && isObject(event.requestContext)
    ? (event as Json & { requestContext: Json })
    : undefined;
}

/** The handler file that reads Kinesis records, where a scenario has one besides its first function. */
const KINESIS_HANDLER = 'kinesis-handler.ts';

/** The sample events of `scenarios/<id>/events/*.json` as recorded, by file name. */
export function readSampleEvents(root: string, scenario: ScenarioId): SampleEvent[] {
  const dir = join(root, 'scenarios', scenario, 'events');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    try {
      return { name: file.slice(0, -'.json'.length), event: JSON.parse(text) as unknown };
    } catch (error) {
      throw new HttpError(
        500,
        'BadSampleEvent',
        `scenarios/${scenario}/events/${file} is not JSON: ${(error as Error).message}`,
      );
    }
  });
}

/** Which of the scenario's functions an event is for: Kinesis records go to the stream's reader. */
export function functionIndexFor(scenario: ScenarioId, event: unknown): number {
  if (recordsFrom(event, 'aws:kinesis').length === 0) return 0;
  const index = SCENARIOS[scenario].functions.findIndex((fn) => fn.source === KINESIS_HANDLER);
  return Math.max(index, 0);
}

/** An S3 notification's object key as stored: S3 sends it URL-encoded with '+' for a space. */
export function decodeS3Key(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const IMAGE_TYPES: Readonly<Record<string, 'jpeg' | 'png'>> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png' };

/** A beach at noon, 800×600: big enough that the thumbnail function has something to shrink. */
const PHOTO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b7fd1"/><stop offset="1" stop-color="#cde9ff"/></linearGradient></defs>
<rect width="800" height="600" fill="url(#sky)"/><circle cx="610" cy="150" r="78" fill="#ffd24a"/>
<path d="M0 420 Q200 380 400 420 T800 420 V600 H0 Z" fill="#2e8ab8"/><rect y="500" width="800" height="100" fill="#e9cf94"/></svg>`;

/** The object Run uploads for a sample's key. */
export interface SampleObject {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** `photo` for keys the thumbnail function reads as images, `text file` otherwise. */
  readonly what: 'photo' | 'text file';
}

const sampleObjects = new Map<string, Promise<SampleObject>>();

/** The object uploaded under `key`: a generated JPEG or PNG for image extensions, else a short text. */
export function sampleObject(key: string): Promise<SampleObject> {
  const extension = /\.([^./]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  const format = IMAGE_TYPES[extension];
  const cacheKey = format ?? 'text';
  let made = sampleObjects.get(cacheKey);
  if (made === undefined) {
    made = (async (): Promise<SampleObject> => {
      if (format === undefined) {
        const text = 'A sample text file the Lambda Workbook uploaded: not a photo, so no thumbnail is made of it.\n';
        return { body: Buffer.from(text, 'utf8'), contentType: 'text/plain; charset=utf-8', what: 'text file' };
      }
      // Loaded here, not at the top: serving pages and most routes never need the image library.
      const { default: sharp } = await import('sharp');
      const image = sharp(Buffer.from(PHOTO_SVG));
      const body = await (format === 'jpeg' ? image.jpeg({ quality: 80 }) : image.png()).toBuffer();
      return { body, contentType: `image/${format}`, what: 'photo' };
    })();
    made.catch(() => sampleObjects.delete(cacheKey));
    sampleObjects.set(cacheKey, made);
  }
  return made;
}

/** What the served events need that only the target knows. */
interface DeployedFacts {
  readonly partition: string;
  readonly accountId?: string;
  /** Execution role ARN of each of the scenario's functions, by index, when known. */
  readonly roles: readonly (string | undefined)[];
  /** The orders table's stream, when the scenario has one. */
  readonly ordersStreamArn?: string;
}

const factsCache = new WeakMap<Target, Map<string, Promise<DeployedFacts>>>();

/** A lookup that may fail on a sandbox (missing permission): logged, and the value stays unknown. */
async function tryLookup<T>(what: string, lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    console.warn(`[sample events] could not read ${what}; the sample events keep the recorded value:`, error);
    return undefined;
  }
}

async function lookUpFacts(
  target: Target,
  scenario: ScenarioId,
  outputs: Readonly<Record<string, string>>,
): Promise<DeployedFacts> {
  const lambda = new LambdaClient(clientConfig(target));
  try {
    const configurations = await Promise.all(
      SCENARIOS[scenario].functions.map((fn) => {
        const name = outputs[fn.output];
        if (name === undefined) return undefined;
        return tryLookup(`the configuration of function ${name}`, () =>
          lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
        );
      }),
    );
    const arn = configurations.find((configuration) => configuration?.FunctionArn)?.FunctionArn?.split(':');
    const ordersTable = output(scenario, outputs, 'ordersTable');
    const ordersStreamArn =
      ordersTable === undefined
        ? undefined
        : await tryLookup(`the stream of table ${ordersTable}`, async () => {
            const dynamodb = new DynamoDBClient(clientConfig(target));
            try {
              return (await dynamodb.send(new DescribeTableCommand({ TableName: ordersTable }))).Table?.LatestStreamArn;
            } finally {
              dynamodb.destroy();
            }
          });
    return {
      partition: arn?.[1] || 'aws',
      ...(arn?.[4] ? { accountId: arn[4] } : {}),
      roles: configurations.map((configuration) => configuration?.Role),
      ...(ordersStreamArn ? { ordersStreamArn } : {}),
    };
  } finally {
    lambda.destroy();
  }
}

/** The facts of a scenario on a target, looked up once per target object (a redeploy makes a new one). */
function deployedFacts(
  target: Target,
  scenario: ScenarioId,
  outputs: Readonly<Record<string, string>>,
): Promise<DeployedFacts> {
  let perTarget = factsCache.get(target);
  if (perTarget === undefined) {
    perTarget = new Map();
    factsCache.set(target, perTarget);
  }
  let facts = perTarget.get(scenario);
  if (facts === undefined) {
    facts = lookUpFacts(target, scenario, outputs);
    const cache = perTarget;
    facts.catch(() => cache.delete(scenario));
    perTarget.set(scenario, facts);
  }
  return facts;
}

/** A deployed output of the scenario by its catalog role (`photosBucket`, `apiUrl`, …). */
function output(scenario: ScenarioId, outputs: Readonly<Record<string, string>>, role: string): string | undefined {
  const key = (SCENARIOS[scenario].outputs as Record<string, string | undefined>)[role];
  return key === undefined ? undefined : outputs[key];
}

/** The API id and host of an HTTP API URL (`https://{apiId}.execute-api.{region}.amazonaws.com`, or the local one). */
function apiOf(apiUrl: string): { apiId: string; hostname: string; host: string } | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined;
  }
  const apiId = /^([a-z0-9]+)\.execute-api\./i.exec(url.hostname)?.[1];
  return apiId === undefined ? undefined : { apiId, hostname: url.hostname, host: url.host };
}

/** The web-backend item Run writes when the GET-one-item sample names an id the table does not have. */
const SAMPLE_ITEM = { name: 'Desk lamp', price: 25 } as const;

/** Ids the samples ask for with `GET /items/{id}`. */
function sampleItemIds(samples: readonly SampleEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const { event } of samples) {
    const id = getItemId(event);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

function getItemId(event: unknown): string | undefined {
  const api = httpApiEvent(event);
  if (api?.routeKey !== 'GET /items/{id}' || !isObject(api.pathParameters)) return undefined;
  return typeof api.pathParameters.id === 'string' ? api.pathParameters.id : undefined;
}

/** Keys (decoded) of the objects the samples' S3 records name. */
function sampleKeys(samples: readonly SampleEvent[]): Set<string> {
  const keys = new Set<string>();
  for (const { event } of samples) {
    for (const record of recordsFrom(event, 'aws:s3')) {
      const key = objectKey(record);
      if (key !== undefined) keys.add(key);
    }
  }
  return keys;
}

function s3Parts(record: Json): { bucket: Json; object: Json } | undefined {
  const s3 = record.s3;
  if (!isObject(s3) || !isObject(s3.bucket) || !isObject(s3.object)) return undefined;
  return { bucket: s3.bucket, object: s3.object };
}

function objectKey(record: Json): string | undefined {
  const key = s3Parts(record)?.object.key;
  return typeof key === 'string' ? decodeS3Key(key) : undefined;
}

/** One sample with the target's names put in, and a note of what Run does first. */
async function adapt(
  sample: SampleEvent,
  scenario: ScenarioId,
  target: Target,
  outputs: Readonly<Record<string, string>>,
  facts: DeployedFacts,
): Promise<SampleEvent> {
  const event = structuredClone(sample.event);
  const functionIndex = functionIndexFor(scenario, event);
  const notes: string[] = [];
  if (functionIndex !== 0) {
    const fn = SCENARIOS[scenario].functions[functionIndex];
    const name = fn === undefined ? undefined : outputs[fn.output];
    notes.push(
      `This event is for ${name ?? 'another function'}${fn ? ` (scenarios/${scenario}/${fn.source})` : ''}: Run sends it there, not to the handler in the editor.`,
    );
  }

  const bucket = output(scenario, outputs, 'photosBucket');
  for (const record of recordsFrom(event, 'aws:s3')) {
    const parts = s3Parts(record);
    if (bucket === undefined || parts === undefined) continue;
    record.awsRegion = target.region;
    parts.bucket.name = bucket;
    parts.bucket.arn = `arn:${facts.partition}:s3:::${bucket}`;
    const key = objectKey(record);
    if (key === undefined) continue;
    const object = await sampleObject(key);
    parts.object.size = object.body.byteLength;
    parts.object.eTag = createHash('md5').update(object.body).digest('hex');
    notes.push(
      `If ${bucket} has no object ${key}, Run first uploads a sample ${object.what} there (PutObject)` +
        (object.what === 'photo'
          ? ': a real S3 event, so the bucket’s notification also runs the function on its own.'
          : '.'),
    );
  }

  for (const record of recordsFrom(event, 'aws:dynamodb')) {
    record.awsRegion = target.region;
    if (facts.ordersStreamArn !== undefined) record.eventSourceARN = facts.ordersStreamArn;
  }

  const stream = output(scenario, outputs, 'clickStream');
  for (const record of recordsFrom(event, 'aws:kinesis')) {
    record.awsRegion = target.region;
    if (stream !== undefined && facts.accountId !== undefined) {
      record.eventSourceARN = `arn:${facts.partition}:kinesis:${target.region}:${facts.accountId}:stream/${stream}`;
    }
    const role = facts.roles[functionIndex];
    if (role !== undefined) record.invokeIdentityArn = role;
  }

  const apiUrl = output(scenario, outputs, 'apiUrl');
  const api = apiUrl === undefined ? undefined : apiOf(apiUrl);
  const request = httpApiEvent(event);
  if (request !== undefined && api !== undefined) {
    const context = request.requestContext;
    context.apiId = api.apiId;
    context.domainName = api.hostname;
    context.domainPrefix = api.apiId;
    if (facts.accountId !== undefined) context.accountId = facts.accountId;
    if (isObject(request.headers) && 'host' in request.headers) request.headers.host = api.host;
    const id = getItemId(request);
    const table = output(scenario, outputs, 'itemsTable');
    if (id !== undefined && table !== undefined) {
      notes.push(
        `If ${table} has no item ${id}, Run first writes one (PutItem: ${JSON.stringify(SAMPLE_ITEM)}) so that the GET finds it.`,
      );
    }
  }

  return {
    name: sample.name,
    event,
    ...(functionIndex !== 0 ? { functionIndex } : {}),
    ...(notes.length > 0 ? { note: [...new Set(notes)].join(' ') } : {}),
  };
}

/**
 * The sample events as `GET /api/scenarios/:id` serves them: with the deployed names when the
 * scenario's stack is deployed on the target, as recorded otherwise.
 */
export async function servedSampleEvents(root: string, target: Target, scenario: ScenarioId): Promise<SampleEvent[]> {
  const samples = readSampleEvents(root, scenario);
  const outputs = stackOutputs(target, SCENARIOS[scenario].stack);
  if (outputs === undefined) {
    return markDefault(
      scenario,
      samples.map((sample) => {
        const functionIndex = functionIndexFor(scenario, sample.event);
        return functionIndex === 0 ? sample : { ...sample, functionIndex };
      }),
    );
  }
  const facts = await deployedFacts(target, scenario, outputs);
  return markDefault(
    scenario,
    await Promise.all(samples.map((sample) => adapt(sample, scenario, target, outputs, facts))),
  );
}

/** Marks the catalog's `defaultEvent`, the sample the panel opens on (one that succeeds). */
function markDefault(scenario: ScenarioId, samples: SampleEvent[]): SampleEvent[] {
  return samples.map((sample) =>
    sample.name === SCENARIOS[scenario].defaultEvent ? { ...sample, default: true } : sample,
  );
}

const isNotFound = (error: unknown): boolean =>
  isObject(error) &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    (isObject(error.$metadata) && error.$metadata.httpStatusCode === 404));

/** Runs one preparation step; an AWS error says what the workbench was doing. */
async function step<T>(doing: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw isSdkError(error) ? fromAwsError(error, doing) : error;
  }
}

const bytes = (count: number) => `${count.toLocaleString('en-US')} byte${count === 1 ? '' : 's'}`;

/**
 * Before `event` is invoked: creates what it refers to when it is a sample's (or one edited from a
 * sample without changing that part) and the target lacks it. Returns one line per thing created.
 */
export async function prepareSampleEvent(
  root: string,
  target: Target,
  scenario: ScenarioId,
  event: unknown,
  signal?: AbortSignal,
): Promise<string[]> {
  const outputs = stackOutputs(target, SCENARIOS[scenario].stack);
  if (outputs === undefined) return [];
  const options = signal ? { abortSignal: signal } : {};
  const done: string[] = [];

  const bucket = output(scenario, outputs, 'photosBucket');
  const records = bucket === undefined ? [] : recordsFrom(event, 'aws:s3');
  if (bucket !== undefined && records.length > 0) {
    const known = sampleKeys(readSampleEvents(root, scenario));
    const keys = new Set(
      records
        .filter((record) => s3Parts(record)?.bucket.name === bucket)
        .map(objectKey)
        .filter((key): key is string => key !== undefined && known.has(key)),
    );
    if (keys.size > 0) {
      const s3 = new S3Client(clientConfig(target));
      try {
        for (const key of keys) {
          const missing = await step(`checking for ${bucket}/${key}`, () =>
            s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), options).then(
              () => false,
              (error: unknown) => {
                if (isNotFound(error)) return true;
                throw error;
              },
            ),
          );
          if (!missing) continue;
          const object = await sampleObject(key);
          await step(`uploading the sample ${object.what} ${bucket}/${key}`, () =>
            s3.send(
              new PutObjectCommand({ Bucket: bucket, Key: key, Body: object.body, ContentType: object.contentType }),
              options,
            ),
          );
          done.push(
            `PutObject ${bucket}/${key} (${bytes(object.body.byteLength)}): a sample ${object.what}, as the event names it` +
              (object.what === 'photo'
                ? ' — a real S3 event, so the bucket’s notification also runs the function.'
                : '.'),
          );
        }
      } finally {
        s3.destroy();
      }
    }
  }

  const table = output(scenario, outputs, 'itemsTable');
  const id = getItemId(event);
  if (table !== undefined && id !== undefined && sampleItemIds(readSampleEvents(root, scenario)).has(id)) {
    const dynamodb = new DynamoDBClient(clientConfig(target));
    try {
      const found = await step(`reading item ${id} of ${table}`, () =>
        dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }), options),
      );
      if (found.Item === undefined) {
        const createdAt = new Date().toISOString();
        await step(`writing the sample item ${id} to ${table}`, () =>
          dynamodb.send(
            new PutItemCommand({
              TableName: table,
              Item: {
                id: { S: id },
                name: { S: SAMPLE_ITEM.name },
                price: { N: String(SAMPLE_ITEM.price) },
                createdAt: { S: createdAt },
              },
            }),
            options,
          ),
        );
        done.push(
          `PutItem ${table} ${JSON.stringify({ id, ...SAMPLE_ITEM, createdAt })}: the item the event asks for.`,
        );
      }
    } finally {
      dynamodb.destroy();
    }
  }
  return done;
}
