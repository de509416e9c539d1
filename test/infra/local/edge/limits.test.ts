import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  LambdaClient,
  LambdaServiceException,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import { DynamoDBService } from '../../../../infra/local/dynamodb/service.ts';
import { InMemoryCredentialStore } from '../../../../infra/local/edge/credentials.ts';
import { bodyLimitFor } from '../../../../infra/local/edge/limits.ts';
import { createEdgeHandler } from '../../../../infra/local/edge/server.ts';
import { S3Service } from '../../../../infra/local/s3/service.ts';
import { TraceBus } from '../../../../infra/local/trace/bus.ts';
import { TEST_CREDENTIALS } from '../../../helpers/edge.ts';
import { ROLE } from '../../../helpers/lambda-cloud.ts';
import { FakeLambdaInvoker } from '../../../helpers/s3-fake-lambda.ts';

const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

async function failure<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error as E & { $metadata: { httpStatusCode?: number } };
}

/** A deployment package of `size` bytes of incompressible code, stored (not deflated) as a CLI zip may be. */
function packageOf(size: number): Uint8Array {
  return zipSync(
    {
      'index.mjs': new TextEncoder().encode('export const handler = async () => "ok";\n'),
      'blob.bin': randomBytes(size),
    },
    { level: 0 },
  );
}

describe('Lambda request limits per operation, as Lambda words them', () => {
  let cloud: LocalCloud;
  let lambda: LambdaClient;
  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true });
    lambda = new LambdaClient({ ...config(cloud.endpoint), credentials: cloud.adminCredentials });
  });
  afterAll(async () => {
    lambda?.destroy();
    await cloud?.close();
  });

  it('accepts a 49 MiB zip in CreateFunction, as AWS does (its base64 JSON is under 70167211 bytes)', {
    timeout: 120_000,
  }, async () => {
    // Act
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'big-package',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: packageOf(49 * 1024 * 1024) },
      }),
    );

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.CodeSize).toBeGreaterThan(49 * 1024 * 1024);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'big-package' }));
  });

  it.each([
    [
      'CreateFunction',
      () =>
        new CreateFunctionCommand({
          FunctionName: 'too-big',
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: packageOf(51 * 1024 * 1024) },
        }),
    ],
    [
      'UpdateFunctionCode',
      () => new UpdateFunctionCodeCommand({ FunctionName: 'too-big', ZipFile: packageOf(51 * 1024 * 1024) }),
    ],
  ] as const)(
    'refuses a %s request over 70167211 bytes with RequestEntityTooLargeException',
    { timeout: 120_000 },
    async (operation, command) => {
      // Act
      const error = await failure(lambda.send(command() as never), LambdaServiceException);

      // Assess
      expect(error.name).toBe('RequestEntityTooLargeException');
      expect(error.$metadata.httpStatusCode).toBe(413);
      expect(error.message).toBe(`Request must be smaller than 70167211 bytes for the ${operation} operation`);
    },
  );
});

describe('S3 and DynamoDB limits in their own error shapes', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    const trace = new TraceBus();
    server = createServer(
      createEdgeHandler({
        services: [new S3Service({ trace, lambda: new FakeLambdaInvoker() }), new DynamoDBService({ trace })],
        credentials: new InMemoryCredentialStore([TEST_CREDENTIALS]),
        trace,
        maxBodyBytes: { s3: 1024, dynamodb: 1024 },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  it('S3 answers EntityTooLarge (400, S3 XML) past its limit', async () => {
    // Prepare
    const s3 = new S3Client({ ...config(endpoint), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'limits' }));

    // Act
    const error = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'limits', Key: 'big', Body: Buffer.alloc(4096) })),
      S3ServiceException,
    );

    // Assess
    expect(error.name).toBe('EntityTooLarge');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('Your proposed upload exceeds the maximum allowed size');
  });

  it('DynamoDB answers a ValidationException (JSON) past its limit', async () => {
    // Prepare
    const ddb = new DynamoDBClient(config(endpoint));

    // Act
    const error = await failure(
      ddb.send(new PutItemCommand({ TableName: 't', Item: { id: { S: 'x'.repeat(4096) } } })),
      DynamoDBServiceException,
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('bodyLimitFor', () => {
  it.each([
    ['lambda', 'POST', '/2015-03-31/functions', 70_167_211],
    ['lambda', 'PUT', '/2015-03-31/functions/f/code', 70_167_211],
    ['lambda', 'POST', '/2015-03-31/functions/f/invocations', 6_291_456],
    ['lambda', 'GET', '/2015-03-31/functions/f', 64 * 1024 * 1024],
    ['s3', 'PUT', '/bucket/key', 1024 * 1024 * 1024],
    ['dynamodb', 'POST', '/', 16 * 1024 * 1024],
    ['kinesis', 'POST', '/', 64 * 1024 * 1024],
  ])('%s %s %s: %i bytes', (service, method, rawPath, bytes) => {
    expect(bodyLimitFor({ service, method, rawPath, headers: {} }).bytes).toBe(bytes);
  });
});
