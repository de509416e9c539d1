import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequestRaw } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { ApiGatewayV2Service, type ApiGatewayV2ServiceOptions } from '../../infra/local/apigateway/service.ts';
import { TEST_CREDENTIALS } from './edge.ts';
import { type LambdaCloud, localCode, ROLE, startLambdaCloud } from './lambda-cloud.ts';

/** Fixture handlers for API Gateway (test/fixtures/apigateway), deployed in place. */
export const APIGATEWAY_FIXTURES = fileURLToPath(new URL('../fixtures/apigateway/', import.meta.url));

export interface ApiGatewayCloud {
  readonly endpoint: string;
  readonly port: number;
  readonly lambda: LambdaCloud;
  readonly client: ApiGatewayV2Client;
  readonly service: ApiGatewayV2Service;
  /** Creates a fixture function (`echo`, `shapes`, …) that API Gateway may invoke. */
  createFunction(name: string, options?: { readonly permit?: boolean }): Promise<string>;
  /** An API's invoke URL in the path form: `http://127.0.0.1:{port}/_aws/execute-api/{apiId}`. */
  invokeUrl(apiId: string): string;
  close(): Promise<void>;
}

/** LambdaService and ApiGatewayV2Service behind the real edge, with real SDK clients. */
export async function startApiGatewayCloud(
  options: Partial<Omit<ApiGatewayV2ServiceOptions, 'trace' | 'lambda'>> = {},
): Promise<ApiGatewayCloud> {
  let lambda: LambdaCloud | undefined;
  const port = () => Number(new URL(lambda?.endpoint ?? 'http://127.0.0.1:0').port);
  let service: ApiGatewayV2Service | undefined;
  const proxy = {
    invoke: (...args: Parameters<LambdaCloud['service']['invoke']>) => lambda!.service.invoke(...args),
    functionExists: (ref: string) => lambda!.service.functionExists(ref),
    allowsInvoke: (ref: string, principal: string, sourceArn?: string) =>
      lambda!.service.allowsInvoke(ref, principal, sourceArn),
  };
  lambda = await startLambdaCloud({}, [
    {
      signingNames: ['apigateway', 'execute-api'],
      allowsAnonymous: (head) => service!.allowsAnonymous(head),
      handle: (request) => service!.handle(request),
    },
  ]);
  service = new ApiGatewayV2Service({ trace: lambda.trace, lambda: proxy, endpointPort: port, ...options });
  const client = new ApiGatewayV2Client({
    endpoint: lambda.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  const cloud = lambda;
  return {
    endpoint: cloud.endpoint,
    port: port(),
    lambda: cloud,
    client,
    service,
    async createFunction(name, { permit = true } = {}) {
      const created = await cloud.client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Role: ROLE,
          Handler: `${name}.handler`,
          Code: localCode(APIGATEWAY_FIXTURES),
        }),
      );
      if (permit) {
        await cloud.client.send(
          new AddPermissionCommand({
            FunctionName: name,
            StatementId: 'apigateway',
            Action: 'lambda:InvokeFunction',
            Principal: 'apigateway.amazonaws.com',
            SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:*/*',
          }),
        );
      }
      return created.FunctionArn!;
    },
    invokeUrl: (apiId) => `${cloud.endpoint}/_aws/execute-api/${apiId}`,
    async close() {
      client.destroy();
      await cloud.close();
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are free-form in tests
  json(): any;
}

/**
 * An HTTP request with full control of the headers (fetch may not set Host, which the
 * `{apiId}.execute-api.localhost` form needs: Node does not resolve `*.localhost`, browsers do).
 */
export async function httpRequest(
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string | string[]>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: all,
          text: all.toString('utf8'),
          json: () => JSON.parse(all.toString('utf8')),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
