import type { APIRoute } from 'astro';
import {
  answer,
  BODY_LIMITS,
  functionIndexField,
  json,
  readJsonObject,
  scenarioParam,
} from '../../../../server/http.ts';
import { invokeScenarioFunction, parseInvokeRequest } from '../../../../server/invoke.ts';
import { requireRuntime } from '../../../../server/session.ts';

export const prerender = false;

/** Invokes the scenario's function with an event (RequestResponse with the log tail, or Event). */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    const body = await readJsonObject(request, BODY_LIMITS.invoke);
    const result = await invokeScenarioFunction({
      target: runtime.target(),
      scenario,
      request: parseInvokeRequest(body),
      functionIndex: functionIndexField(body, scenario),
      signal: request.signal,
    });
    return json(200, result);
  }, 'invoking the function');
