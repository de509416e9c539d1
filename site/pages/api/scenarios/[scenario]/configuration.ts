import type { APIRoute } from 'astro';
import type { ConfigUpdateProgress } from '../../../../lib/function-config.ts';
import { NDJSON } from '../../../../lib/workbench-api.ts';
import {
  explainConfigError,
  parseConfigUpdate,
  readFunctionConfig,
  updateFunctionConfig,
} from '../../../../server/function-config.ts';
import { answer, functionIndexField, HttpError, isSdkError, json, scenarioParam } from '../../../../server/http.ts';
import { readScenarioRequest } from '../../../../server/scenario-route.ts';
import { requireRuntime } from '../../../../server/session.ts';

export const prerender = false;

/** A configuration change is a few numbers and at most 4 KB of variables. */
const BODY_LIMIT = 64 * 1024;

/** The function's configuration, triggers and execution role (`?functionIndex=N`, default the edited function). */
export const GET: APIRoute = ({ params, url }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    const index = url.searchParams.get('functionIndex');
    const functionIndex = functionIndexField(index === null ? {} : { functionIndex: Number(index) }, scenario);
    return json(200, await readFunctionConfig({ target: runtime.target(), scenario, functionIndex }));
  }, "reading the function's configuration");

/**
 * Changes memory, timeout and/or environment variables (UpdateFunctionConfiguration) and waits
 * until Lambda has applied them. Streams ConfigUpdateProgress lines when asked for NDJSON.
 */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const { scenario, runtime, input } = await readScenarioRequest(params, request, BODY_LIMIT, (body) =>
      // readScenarioRequest has already answered 404 for an unknown scenario.
      parseConfigUpdate(body, scenarioParam(params.scenario)),
    );
    const target = runtime.target();
    const options = { target, scenario, functionIndex: input.functionIndex, update: input };
    const explain = async (error: unknown) => {
      if (error instanceof HttpError) return { error: error.code, message: error.message, status: error.status };
      if (!isSdkError(error)) throw error;
      return explainConfigError(
        error,
        target,
        'lambda:UpdateFunctionConfiguration',
        "changing the function's configuration",
      );
    };
    if (!(request.headers.get('accept') ?? '').includes(NDJSON)) {
      try {
        return json(200, await updateFunctionConfig(options));
      } catch (error) {
        const { status, error: code, message, ...extra } = await explain(error);
        throw new HttpError(status, code, message, extra);
      }
    }
    const encoder = new TextEncoder();
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
      async start(controller) {
        const send = (progress: ConfigUpdateProgress) => {
          if (!cancelled) controller.enqueue(encoder.encode(`${JSON.stringify(progress)}\n`));
        };
        try {
          const view = await updateFunctionConfig({
            ...options,
            onStatus: (lastUpdateStatus, elapsedMs) => send({ kind: 'status', lastUpdateStatus, elapsedMs }),
          });
          send({ kind: 'done', view });
        } catch (error) {
          try {
            const { status: _status, ...explained } = await explain(error);
            send({ kind: 'error', error: explained });
          } catch (unexpected) {
            send({ kind: 'error', error: { error: 'InternalError', message: (unexpected as Error).message } });
          }
        }
        if (!cancelled) controller.close();
      },
    });
    return new Response(stream, {
      headers: {
        'content-type': `${NDJSON}; charset=utf-8`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }, "changing the function's configuration");
