import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, CompileFailureError } from '../../../site/server/bundle.ts';
import { deployEdit, NotDeployedError, resetFunction } from '../../../site/server/deploy-edit.ts';
import { clientConfig, type Target } from '../../../site/server/target.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from './checks/cloud.ts';

const root = PROJECT_ROOT;
let deployed: DeployedCloud;
let target: Target;
let lambda: LambdaClient;
let s3: S3Client;
const clicksFunction = () => deployed.outputsFile.stacks['LambdaWorkbook-MobileClicks']?.ClicksFunctionName ?? '';

async function invoke(functionName: string, event: unknown) {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
  );
  return {
    functionError: response.FunctionError,
    payload: JSON.parse(new TextDecoder().decode(response.Payload)),
  };
}

beforeAll(async () => {
  deployed = await startDeployedCloud(['LambdaWorkbook-Thumbnails', 'LambdaWorkbook-MobileClicks']);
  target = deployed.target;
  lambda = new LambdaClient(clientConfig(target));
  s3 = new S3Client(clientConfig(target));
}, 240_000);

afterAll(async () => {
  lambda?.destroy();
  s3?.destroy();
  await deployed?.close();
});

describe('deployEdit', () => {
  it('deploys an edited handler with UpdateFunctionCode, and the function runs the edit', async () => {
    // Arrange: an edit that still imports relative to the scenario folder
    const source = [
      "import { requireEnv } from '../shared/env.ts';",
      'export const handler = async (event: { button: string }) => ({ edited: true, table: requireEnv("CLICKS_TABLE"), event });',
    ].join('\n');

    // Act
    const result = await deployEdit({ target, root, scenario: 'mobile-clicks', source });

    // Assert: the result describes what Lambda now runs
    const { zip } = await bundleHandler({ root, scenario: 'mobile-clicks', source });
    expect(result).toMatchObject({
      functionName: clicksFunction(),
      codeSha256: createHash('sha256').update(zip).digest('base64'),
      bundleBytes: expect.any(Number),
      durationMs: expect.any(Number),
    });
    const configuration = await lambda.send(new GetFunctionCommand({ FunctionName: result.functionName }));
    expect(configuration.Configuration?.CodeSha256).toBe(result.codeSha256);
    expect(configuration.Configuration?.LastUpdateStatus).toBe('Successful');
    expect(configuration.Configuration?.Handler).toBe('index.handler');
    const { functionError, payload } = await invoke(result.functionName, { button: 'like' });
    expect(functionError).toBeUndefined();
    expect(payload).toEqual({
      edited: true,
      table: deployed.outputsFile.stacks['LambdaWorkbook-MobileClicks']?.ClicksTableName,
      event: { button: 'like' },
    });
  });

  it('resetFunction deploys the scenario’s own handler back', async () => {
    await deployEdit({
      target,
      root,
      scenario: 'mobile-clicks',
      source: 'export const handler = async () => "edited";',
    });
    const result = await resetFunction({ target, root, scenario: 'mobile-clicks' });
    const { zip } = await bundleHandler({
      root,
      scenario: 'mobile-clicks',
      source: readFileSync(join(root, 'scenarios', 'mobile-clicks', 'handler.ts'), 'utf8'),
    });
    expect(result.codeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(await invoke(result.functionName, { button: 'reset', clientId: 'device-1' })).toEqual({
      functionError: undefined,
      payload: { button: 'reset', count: 1 },
    });
  });

  it('deploys the thumbnails handler as a zip that still loads sharp, and an upload gets its thumbnail', async () => {
    // Arrange
    const outputs = deployed.outputsFile.stacks['LambdaWorkbook-Thumbnails'] ?? {};
    const source = readFileSync(join(root, 'scenarios', 'thumbnails', 'handler.ts'), 'utf8');
    await deployEdit({ target, root, scenario: 'thumbnails', source });
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a9d8f' } })
      .jpeg()
      .toBuffer();

    // Act: S3 notifies the function (asynchronously), which runs the deployed zip
    await s3.send(new PutObjectCommand({ Bucket: outputs.PhotosBucketName, Key: 'zip/photo one.jpg', Body: photo }));

    // Assert
    const deadline = Date.now() + 20_000;
    let thumbnail: Uint8Array | undefined;
    while (thumbnail === undefined && Date.now() < deadline) {
      thumbnail = await s3
        .send(new GetObjectCommand({ Bucket: outputs.ThumbnailsBucketName, Key: 'zip/photo one.jpg' }))
        .then((object) => object.Body?.transformToByteArray())
        .catch(() => undefined);
      if (thumbnail === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(thumbnail).toBeDefined();
    expect((await sharp(thumbnail).metadata()).width).toBe(200);
  }, 60_000);

  it('throws CompileFailureError for code that does not compile, and leaves the deployed code alone', async () => {
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: clicksFunction() }));
    await expect(
      deployEdit({ target, root, scenario: 'mobile-clicks', source: 'export const handler = async () => {' }),
    ).rejects.toBeInstanceOf(CompileFailureError);
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: clicksFunction() }));
    expect(after.Configuration?.CodeSha256).toBe(before.Configuration?.CodeSha256);
  });

  it('throws NotDeployedError when the scenario’s stack is not on the target', async () => {
    const source = 'export const handler = async () => 1;';
    const error = await deployEdit({ target, root, scenario: 'web-backend', source }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotDeployedError);
    expect((error as NotDeployedError).code).toBe('NotDeployed');
    expect((error as Error).message).toContain('LambdaWorkbook-WebBackend stack is not deployed');
  });

  it('passes on Lambda’s error when the function named by the outputs does not exist', async () => {
    const stale: Target = {
      ...target,
      stacks: { 'LambdaWorkbook-MobileClicks': { ClicksFunctionName: 'no-such-function' } },
    };
    await expect(
      deployEdit({ target: stale, root, scenario: 'mobile-clicks', source: 'export const handler = async () => 1;' }),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a function index the scenario does not have', async () => {
    await expect(
      deployEdit({ target, root, scenario: 'mobile-clicks', source: 'export const handler = 1;', functionIndex: 1 }),
    ).rejects.toThrow('functionIndex 1 is out of range');
  });
});
