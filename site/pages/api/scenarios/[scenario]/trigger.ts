import type { APIRoute } from 'astro';
import { answer, BODY_LIMITS, json, readJsonObject, scenarioParam } from '../../../../server/http.ts';
import { requireRuntime } from '../../../../server/session.ts';
import { parseTriggerRequest, runTrigger } from '../../../../server/triggers.ts';

export const prerender = false;

/** Fires a real event: upload a photo, write or delete an item, put a Kinesis record, call the HTTP API. */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    const trigger = parseTriggerRequest(await readJsonObject(request, BODY_LIMITS.trigger));
    const result = await runTrigger(runtime.target(), scenario, trigger, request.signal);
    // On AWS what follows is observed by polling: look closely for a while.
    runtime.trace?.nudge?.(scenario);
    return json(200, result);
  }, 'sending the trigger');
