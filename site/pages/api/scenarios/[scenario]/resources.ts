import type { APIRoute } from 'astro';
import { answer, json, scenarioParam } from '../../../../server/http.ts';
import { resourcesView } from '../../../../server/resources.ts';
import { requireRuntime } from '../../../../server/session.ts';

export const prerender = false;

/** The scenario's bucket objects (with image preview URLs) and table items, as they are now. */
export const GET: APIRoute = ({ params, request }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    return json(200, await resourcesView(runtime.target(), scenario, request.signal));
  }, "reading the scenario's buckets and tables");
