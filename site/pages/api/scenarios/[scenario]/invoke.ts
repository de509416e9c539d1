import type { APIRoute } from 'astro';
import { answer, BODY_LIMITS, json } from '../../../../server/http.ts';
import { invokeScenarioFunction, parseInvokeRequest } from '../../../../server/invoke.ts';
import { prepareSampleEvent } from '../../../../server/sample-events.ts';
import { readScenarioRequest } from '../../../../server/scenario-route.ts';

export const prerender = false;

/**
 * Invokes the scenario's function with an event (RequestResponse with the log tail, or Event).
 * What a sample event refers to (its photo, its item) is created first when missing; see sample-events.ts.
 */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const { scenario, runtime, input, functionIndex } = await readScenarioRequest(
      params,
      request,
      BODY_LIMITS.invoke,
      parseInvokeRequest,
    );
    const target = runtime.target();
    const prepared = await prepareSampleEvent(runtime.root, target, scenario, input.event, request.signal);
    // On AWS the invocation's logs (and what an upload sets off) are observed by polling.
    runtime.trace?.nudge?.(scenario);
    const result = await invokeScenarioFunction({
      target,
      scenario,
      request: input,
      functionIndex,
      signal: request.signal,
    });
    return json(200, prepared.length > 0 ? { ...result, prepared } : result);
  }, 'invoking the function');
