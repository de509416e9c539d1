// Recursive loop detection for loops made only of Lambda functions (a function invoking itself),
// and the function's setting for it: PutFunctionRecursionConfig / GetFunctionRecursionConfig.
import {
  CreateFunctionCommand,
  GetFunctionRecursionConfigCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionRecursionConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';
import type { TraceEvent } from '../../../../infra/local/trace/bus.ts';
import { zipOf } from '../../../helpers/lambda-cloud.ts';

// Invokes itself with depth + 1 until `until`: asynchronously, then synchronously from `syncFrom`
// on (so a chain of 17 needs two environments, not 17). Logs how each of its own calls went.
const invokesItself = `import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
  const lambda = new LambdaClient({});
  export const handler = async (event, context) => {
    const depth = event.depth ?? 1;
    if (depth >= event.until) return { depth };
    const sync = depth >= event.syncFrom;
    try {
      await lambda.send(new InvokeCommand({
        FunctionName: context.functionName,
        InvocationType: sync ? 'RequestResponse' : 'Event',
        Payload: JSON.stringify({ ...event, depth: depth + 1 }),
      }));
      return { depth };
    } catch (error) {
      console.log('call ' + (depth + 1) + ' refused: ' + error.name + ': ' + error.message);
      return { depth, refused: error.name };
    }
  };`;

let cloud: LocalCloud;
let lambda: LambdaClient;
const events: TraceEvent[] = [];

const ran = (name: string) =>
  events.filter((event) => event.type === 'lambda.invoke.end' && event.detail.functionName === name);

function until(predicate: () => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${what} did not happen`));
    }, ms);
    const stop = cloud.trace.subscribe(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function createSelfInvoker(name: string): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/loop-role',
      Code: { ZipFile: zipOf({ 'index.mjs': invokesItself }) },
      Timeout: 30,
    }),
  );
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false });
  cloud.trace.subscribe((event) => events.push(event));
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: cloud.adminCredentials });
});

afterAll(async () => {
  lambda?.destroy();
  await cloud?.close();
});

describe('a function invoking itself', () => {
  it('is stopped at its 17th invocation in the chain: a synchronous call gets RecursiveInvocationException', async () => {
    await createSelfInvoker('self-invoker');
    // Act: the first invocation starts the chain (Event up to the 15th, then synchronous)
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'self-invoker',
        InvocationType: 'Event',
        Payload: JSON.stringify({ until: 100, syncFrom: 15 }),
      }),
    );
    await until(() => ran('self-invoker').length >= 16, 'sixteen invocations');
    await until(
      () => events.some((event) => event.type === 'lambda.log' && /refused/.test(String(event.detail.line))),
      'the refusal',
    );

    // Assess: 16 ran; the 16th's call was refused with Lambda's error; the trace says why
    expect(ran('self-invoker')).toHaveLength(16);
    const refusal = events.find((event) => event.type === 'lambda.log' && /refused/.test(String(event.detail.line)));
    expect(String(refusal?.detail.line)).toContain(
      "call 17 refused: RecursiveInvocationException: Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.",
    );
    expect(events.find((event) => event.type === 'lambda.recursion.stopped')?.detail).toMatchObject({
      functionName: 'self-invoker',
      invocations: 16,
      limit: 16,
    });
  }, 120_000);

  it('runs on past 16 when its recursion config allows loops', async () => {
    await createSelfInvoker('allowed-loop');
    await expect(
      lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'allowed-loop' })),
    ).resolves.toMatchObject({ RecursiveLoop: 'Terminate' });
    const put = await lambda.send(
      new PutFunctionRecursionConfigCommand({ FunctionName: 'allowed-loop', RecursiveLoop: 'Allow' }),
    );
    expect(put.RecursiveLoop).toBe('Allow');
    await expect(
      lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'allowed-loop' })),
    ).resolves.toMatchObject({ RecursiveLoop: 'Allow' });

    // Act: a chain of 20, all asynchronous
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'allowed-loop',
        InvocationType: 'Event',
        Payload: JSON.stringify({ until: 20, syncFrom: 100 }),
      }),
    );
    await until(() => ran('allowed-loop').length >= 20, 'twenty invocations');

    // Assess
    expect(ran('allowed-loop').every((event) => event.detail.error === undefined)).toBe(true);
    expect(
      events.some((event) => event.type === 'lambda.recursion.stopped' && event.detail.functionName === 'allowed-loop'),
    ).toBe(false);
  }, 120_000);
});

describe('PutFunctionRecursionConfig', () => {
  it('refuses a value other than Allow or Terminate, and a function that does not exist', async () => {
    await createSelfInvoker('config-target');
    await expect(
      lambda.send(
        new PutFunctionRecursionConfigCommand({
          FunctionName: 'config-target',
          RecursiveLoop: 'Sometimes' as 'Allow',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'Sometimes' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Allow, Terminate]",
    });
    await expect(
      lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'no-such-function' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});

describe('trace headers of invocations (nextStep)', () => {
  it('gives every invocation a well-formed header with a root and parent of its own, past many at once', async () => {
    const { nextStep, lineageHash } = await import('../../../../infra/local/lambda/recursion.ts');
    const { createHash } = await import('node:crypto');
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:trace-ids';
    const roots = new Set<string>();
    const parents = new Set<string>();
    // Enough to draw the random pool down several times.
    for (let i = 0; i < 1000; i += 1) {
      const { traceId, count } = nextStep(arn);
      const match =
        /^Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=0;Lineage=([0-9a-f]{8}):1$/.exec(traceId);
      expect(match, traceId).not.toBeNull();
      expect(count).toBe(1);
      roots.add(match![2]!);
      parents.add(match![3]!);
    }
    expect(roots.size).toBe(1000);
    expect(parents.size).toBe(1000);
    expect(lineageHash(arn)).toBe(createHash('sha256').update(arn).digest('hex').slice(0, 8));
    const next = nextStep(arn, nextStep(arn).traceId);
    expect(next.count).toBe(2);
  });
});
