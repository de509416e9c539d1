// Uploading a bundle: UpdateFunctionCode, then waiting only while Lambda says the update is in
// progress (AWS answers `LastUpdateStatus: InProgress` and finishes within seconds; a response
// that already says `Successful` is final, and asking GetFunction after it only adds a round trip).
// The real SDK client, with Lambda's answers given by a middleware in place of the wire.
import { LambdaClient, type LastUpdateStatus } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadBundle } from '../../../site/server/deploy-edit.ts';

/** A client whose calls are recorded and answered with the function's status, one per call. */
function fakeLambda(statuses: LastUpdateStatus[]): { lambda: LambdaClient; calls: string[] } {
  const lambda = new LambdaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  const calls: string[] = [];
  lambda.middlewareStack.add(
    () => async () => {
      throw new Error('unreachable: answered before');
    },
    { step: 'finalizeRequest', name: 'noWire' },
  );
  lambda.middlewareStack.add(
    (_next, context) => async () => {
      calls.push(context.commandName ?? '?');
      const status = statuses.shift() ?? 'Successful';
      const configuration = { FunctionName: 'fn', CodeSha256: 'sha', LastUpdateStatus: status };
      const output = context.commandName === 'GetFunctionCommand' ? { Configuration: configuration } : configuration;
      return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
    },
    { step: 'initialize', name: 'answerAsLambda' },
  );
  return { lambda, calls };
}

const bundle = { zip: new Uint8Array([1, 2, 3]), bundleBytes: 3 };
let client: LambdaClient | undefined;
afterEach(() => client?.destroy());

describe('uploadBundle', () => {
  it('is done when UpdateFunctionCode says the update succeeded: no GetFunction after it', async () => {
    const { lambda, calls } = fakeLambda(['Successful']);
    client = lambda;

    const result = await uploadBundle(lambda, 'fn', bundle, performance.now());

    expect(calls).toEqual(['UpdateFunctionCodeCommand']);
    expect(result).toMatchObject({ functionName: 'fn', codeSha256: 'sha', bundleBytes: 3 });
  });

  it('waits while the update is in progress, until GetFunction says it succeeded', async () => {
    const { lambda, calls } = fakeLambda(['InProgress', 'InProgress', 'Successful']);
    client = lambda;

    await uploadBundle(lambda, 'fn', bundle, performance.now());

    expect(calls).toEqual(['UpdateFunctionCodeCommand', 'GetFunctionCommand', 'GetFunctionCommand']);
  });

  it('fails when the update fails', async () => {
    const { lambda } = fakeLambda(['InProgress', 'Failed']);
    client = lambda;

    await expect(uploadBundle(lambda, 'fn', bundle, performance.now())).rejects.toThrow(/fn/);
  });
});
