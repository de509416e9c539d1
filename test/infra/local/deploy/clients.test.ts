// The deployer's clients: by default an error fails the resource at once; with throttleRetries a
// throttled call (a cloud enforcing AWS's quotas) is retried with backoff, as CloudFormation waits
// out a throttled control-plane call, and any other error still fails at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../../../infra/local/deploy/clients.ts';

let server: Server;
let endpoint: string;
/** What the next requests get, in order; then 200. */
let answers: { status: number; type: string }[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    request.resume();
    const answer = answers.shift();
    if (answer === undefined) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ Configuration: { FunctionName: 'fn' } }));
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': answer.type });
    response.end(JSON.stringify({ Type: 'User', message: `${answer.type} for the test` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const THROTTLED = { status: 429, type: 'TooManyRequestsException' };

describe('createClients', () => {
  it('fails a throttled call at once by default', async () => {
    answers = [THROTTLED];
    requests = 0;
    const clients = createClients({ endpoint, region: 'us-east-1', credentials });
    try {
      await expect(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
      });
      expect(requests).toBe(1);
    } finally {
      clients.destroy();
    }
  });

  it('with throttleRetries, retries throttled calls until one is admitted, counting each', async () => {
    answers = [THROTTLED, THROTTLED, THROTTLED];
    requests = 0;
    const throttles: string[] = [];
    const clients = createClients({
      endpoint,
      region: 'us-east-1',
      credentials,
      throttleRetries: { onThrottle: (error) => void throttles.push((error as Error).name) },
    });
    try {
      const answer = await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
      expect(answer.Configuration?.FunctionName).toBe('fn');
      expect(requests).toBe(4);
      expect(throttles).toEqual(['TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException']);
    } finally {
      clients.destroy();
    }
  }, 30_000);

  it('with throttleRetries, still fails any other error at once, and gives up after maxAttempts', async () => {
    const clients = createClients({ endpoint, region: 'us-east-1', credentials, throttleRetries: { maxAttempts: 2 } });
    try {
      answers = [{ status: 400, type: 'InvalidParameterValueException' }];
      requests = 0;
      await expect(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).rejects.toMatchObject({
        name: 'InvalidParameterValueException',
      });
      expect(requests).toBe(1);

      answers = [THROTTLED, THROTTLED, THROTTLED];
      requests = 0;
      await expect(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
      });
      expect(requests).toBe(2);
    } finally {
      clients.destroy();
    }
  }, 30_000);
});
