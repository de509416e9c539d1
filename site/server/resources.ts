// `GET …/resources` and `GET /api/objects`: what the scenario's buckets and tables hold now, and
// the bytes of an object for an image preview — read through the S3 and DynamoDB APIs.
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { BucketView, ResourcesView, TableView } from '../lib/workbench-api.ts';
import { scenarioOutputs } from './deploy-edit.ts';
import { fromItem } from './dynamodb-json.ts';
import { HttpError } from './http.ts';
import { clientConfig, stackOutputs, type Target } from './target.ts';

/** Items and objects shown per table and bucket. */
export const VIEW_LIMIT = 100;

/** Image types a preview shows inline (never SVG: it can carry scripts). */
export const PREVIEW_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
};

const extensionOf = (key: string) => /\.[A-Za-z0-9]+$/.exec(key)?.[0]?.toLowerCase() ?? '';

/** The `/api/objects` URL of an object's preview (token not included), when it is an image. */
export function previewUrl(bucket: string, key: string): string | undefined {
  if (PREVIEW_TYPES[extensionOf(key)] === undefined) return undefined;
  return `/api/objects?${new URLSearchParams({ bucket, key }).toString()}`;
}

/** The scenario's resources of one kind, as output role → physical name (`photosBucket` → `…-photosbucket-…`). */
export function scenarioResources(
  outputs: Readonly<Record<string, string>>,
  scenario: ScenarioId,
  kind: 'Bucket' | 'Table' | 'Stream',
): { role: string; name: string }[] {
  return Object.entries(SCENARIOS[scenario].outputs)
    .filter(([role]) => role.endsWith(kind))
    .flatMap(([role, output]) => (outputs[output] ? [{ role, name: outputs[output] }] : []));
}

/** The scenario's buckets (objects, image previews) and tables (items, as plain JSON). */
export async function resourcesView(
  target: Target,
  scenario: ScenarioId,
  signal?: AbortSignal,
): Promise<ResourcesView> {
  const outputs = scenarioOutputs(target, scenario);
  const s3 = new S3Client(clientConfig(target));
  const dynamodb = new DynamoDBClient(clientConfig(target));
  const options = signal ? { abortSignal: signal } : {};
  try {
    const buckets = Promise.all(
      scenarioResources(outputs, scenario, 'Bucket').map(async ({ role, name }): Promise<BucketView> => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: VIEW_LIMIT }), options);
        return {
          role,
          name,
          objects: (listed.Contents ?? []).map((object) => {
            const key = object.Key ?? '';
            const preview = previewUrl(name, key);
            return {
              key,
              size: object.Size ?? 0,
              lastModified: object.LastModified?.toISOString() ?? '',
              ...(preview ? { previewUrl: preview } : {}),
            };
          }),
        };
      }),
    );
    const tables = Promise.all(
      scenarioResources(outputs, scenario, 'Table').map(async ({ role, name }): Promise<TableView> => {
        const scanned = await dynamodb.send(new ScanCommand({ TableName: name, Limit: VIEW_LIMIT }), options);
        return { role, name, items: (scanned.Items ?? []).map(fromItem) };
      }),
    );
    // Awaited together: a listing that fails first must not leave the scans' failure unhandled.
    const [bucketViews, tableViews] = await Promise.all([buckets, tables]);
    return { buckets: bucketViews, tables: tableViews };
  } finally {
    s3.destroy();
    dynamodb.destroy();
  }
}

/** Whether a bucket belongs to a scenario stack deployed on the target (the only ones `/api/objects` reads). */
export function isScenarioBucket(target: Target, bucket: string): boolean {
  return SCENARIO_IDS.some((scenario) => {
    const outputs = stackOutputs(target, SCENARIOS[scenario].stack);
    return outputs !== undefined && scenarioResources(outputs, scenario, 'Bucket').some(({ name }) => name === bucket);
  });
}

/** An object's bytes for a preview: images inline with their type, anything else as a download. */
export async function objectResponse(
  target: Target,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<Response> {
  if (!isScenarioBucket(target, bucket)) {
    throw new HttpError(404, 'UnknownBucket', `'${bucket}' is not a bucket of a deployed scenario stack.`);
  }
  const s3 = new S3Client(clientConfig(target));
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    // Inline only an image by its name whose stored type is an image type too (or says nothing).
    const byName = PREVIEW_TYPES[extensionOf(key)];
    const declared = (object.ContentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const imageTypes = Object.values(PREVIEW_TYPES);
    const unspecified = ['', 'binary/octet-stream', 'application/octet-stream'].includes(declared);
    const type =
      byName === undefined ? undefined : imageTypes.includes(declared) ? declared : unspecified ? byName : undefined;
    const headers: Record<string, string> = {
      'content-type': type ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': `${type ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(key.split('/').at(-1) ?? 'object')}`,
    };
    if (object.ContentLength !== undefined) headers['content-length'] = String(object.ContentLength);
    const body = object.Body?.transformToWebStream();
    const s3Done = () => s3.destroy();
    if (body === undefined) {
      s3Done();
      return new Response(null, { status: 200, headers });
    }
    // The client is destroyed once the body has been streamed (or abandoned).
    const reader = body.getReader();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            s3Done();
          } else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
          s3Done();
        }
      },
      cancel(reason) {
        void reader.cancel(reason).finally(s3Done);
      },
    });
    return new Response(stream, { status: 200, headers });
  } catch (error) {
    s3.destroy();
    throw error;
  }
}
