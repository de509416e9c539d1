// `POST …/invoke`: the scenario's function invoked through the Lambda API, as any client would —
// synchronously with the log tail (`LogType: Tail`) and its REPORT line, or as an async event.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScenarioId } from '../../scenarios/catalog.ts';
import type { InvokeRequest, InvokeResult } from '../lib/workbench-api.ts';
import { scenarioFunction } from './deploy-edit.ts';
import { badRequest } from './http.ts';
import { decodeLogResult, findReport } from './report.ts';
import { clientConfig, type Target } from './target.ts';

/** Largest payload text returned as is; bigger answers are cut (the function may answer up to 6 MB). */
export const MAX_PAYLOAD_TEXT = 1024 * 1024;

/** Validates an invoke body: an `event` (any JSON) and an invocation type. */
export function parseInvokeRequest(body: Readonly<Record<string, unknown>>): InvokeRequest {
  if (!('event' in body)) throw badRequest("'event' is required: the JSON event to send to the function.");
  const invocationType = body.invocationType ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event') {
    throw badRequest("'invocationType' must be 'RequestResponse' or 'Event'.");
  }
  return { event: body.event, invocationType };
}

/** A function's answer: JSON when it parses, else the text (cut when huge). */
export function parsePayload(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined || bytes.byteLength === 0) return undefined;
  let text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (text.length > MAX_PAYLOAD_TEXT) {
      text = `${text.slice(0, MAX_PAYLOAD_TEXT)}… (${text.length - MAX_PAYLOAD_TEXT} more characters)`;
    }
    return text;
  }
}

/** The lines of one invocation in a log tail (from its START line on), or the whole tail when absent. */
export function invocationLines(log: string, requestId: string | undefined): string {
  if (requestId === undefined) return log;
  const start = log.indexOf(`START RequestId: ${requestId}`);
  return start > 0 ? log.slice(start) : log;
}

export interface InvokeOptions {
  readonly target: Target;
  readonly scenario: ScenarioId;
  readonly request: InvokeRequest;
  readonly functionIndex?: number;
  readonly signal?: AbortSignal;
}

/** Invokes the scenario's function; a function error is a result (`functionError`), not a failure. */
export async function invokeScenarioFunction({
  target,
  scenario,
  request,
  functionIndex = 0,
  signal,
}: InvokeOptions): Promise<InvokeResult> {
  const { functionName } = scenarioFunction(target, scenario, functionIndex);
  const lambda = new LambdaClient(clientConfig(target));
  const started = performance.now();
  try {
    const sync = request.invocationType === 'RequestResponse';
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: request.invocationType,
        Payload: Buffer.from(JSON.stringify(request.event ?? null)),
        ...(sync ? { LogType: 'Tail' as const } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
    const durationMs = Math.round(performance.now() - started);
    const requestId = output.$metadata.requestId;
    const logs = invocationLines(decodeLogResult(output.LogResult), requestId);
    const report = findReport(logs, requestId) ?? findReport(logs);
    const payload = sync ? parsePayload(output.Payload) : undefined;
    return {
      ...(requestId !== undefined ? { requestId } : {}),
      statusCode: output.StatusCode ?? 200,
      ...(output.FunctionError ? { functionError: output.FunctionError } : {}),
      ...(payload !== undefined ? { payload } : {}),
      logs,
      ...(report ? { report } : {}),
      durationMs,
    };
  } finally {
    lambda.destroy();
  }
}
