// The workbench in AWS mode (`npm start -- --target aws`), with the local cloud standing in for AWS:
// the outputs file as `cdk deploy --outputs-file` writes it, credentials from the environment, the
// endpoint overridden. The workbench's AWS code paths — deploy my edit, invoke with the REPORT
// line, HTTP triggers, resources, and live logs read back from CloudWatch Logs — run end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeployResult,
  InvokeResult,
  ScenarioInfo,
  SessionInfo,
  TriggerResult,
} from '../../site/lib/workbench-api.ts';
import { openTrace } from '../helpers/trace-stream.ts';
import { type ModeWorkbook, startWorkbookIn } from '../helpers/workbook-modes.ts';

let workbook: ModeWorkbook;
let session: SessionInfo;

const headers = () => ({
  origin: workbook.siteUrl,
  'content-type': 'application/json',
  'x-workbook-token': session?.token ?? '',
});
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${workbook.siteUrl}${path}`, {
    method,
    headers: headers(),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  workbook = await startWorkbookIn('aws', ['LambdaWorkbook-WebBackend']);
  const response = await fetch(`${workbook.siteUrl}/api/session`, { headers: { origin: workbook.siteUrl } });
  session = (await response.json()) as SessionInfo;
}, 300_000);

afterAll(async () => {
  await workbook?.stop();
});

describe('the workbench in AWS mode (local cloud standing in for AWS)', () => {
  it('says it drives AWS, signed in with the learner’s credentials', () => {
    expect(workbook.output()).toMatch(/Signed in to AWS as arn:aws:iam::\d+:root \(us-east-1\)/);
    expect(workbook.output()).toContain('web-backend');
    expect(session.target).toEqual({ kind: 'aws', region: 'us-east-1', endpoint: workbook.sandbox?.cloud.endpoint });
  });

  it('deploys an edit, invokes it with the REPORT line, and streams its logs from CloudWatch Logs', async () => {
    const info = await call<ScenarioInfo>('GET', '/api/scenarios/web-backend');
    expect(info.deployed).toBe(true);
    const marker = `aws-mode-${Date.now()}`;
    const edited = info.function.source.replace(
      'export const handler = async (',
      `console.log('${marker}');\nexport const handler = async (`,
    );
    expect(edited).not.toBe(info.function.source);

    const trace = await openTrace(workbook.siteUrl, session.token);
    expect(trace.status).toBe(200);
    try {
      const deployed = await call<DeployResult>('POST', '/api/scenarios/web-backend/deploy', { source: edited });
      expect(deployed.functionName).toBe(info.function.name);
      const event = info.events.find((e) => e.name === 'get-items')?.event;
      const result = await call<InvokeResult>('POST', '/api/scenarios/web-backend/invoke', {
        event,
        invocationType: 'RequestResponse',
      });
      expect(result.statusCode).toBe(200);
      expect(result.functionError).toBeUndefined();
      expect(result.report).toMatchObject({ coldStart: true, memorySizeMb: expect.any(Number) });
      // The edit's module-scope line runs at init, before START: not in the invocation's log tail…
      expect(result.logs).not.toContain(marker);

      // What AWS mode can observe: the function's log lines, read back from CloudWatch Logs.
      await trace.waitFor((m) => String(m.detail.line ?? '').startsWith('REPORT RequestId:'), { timeoutMs: 20_000 });
      const lines = trace.messages
        .filter((m) => m.detail.source === 'cloudwatch-logs')
        .map((m) => String(m.detail.line));
      expect(lines.some((line) => line.startsWith('START RequestId:'))).toBe(true);
      expect(lines.some((line) => line.startsWith('REPORT RequestId:'))).toBe(true);
      // …but in the function's log stream, as on AWS: the deployed code is the edit.
      expect(lines.some((line) => line.includes(marker))).toBe(true);
    } finally {
      trace.close();
    }
  }, 120_000);

  it('calls the HTTP API like the learner’s browser would', async () => {
    const result = await call<TriggerResult>('POST', '/api/scenarios/web-backend/trigger', {
      kind: 'http',
      method: 'GET',
      path: '/items',
    });
    expect(result.response?.status).toBe(200);
  }, 60_000);
});
