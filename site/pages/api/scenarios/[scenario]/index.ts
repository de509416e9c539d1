import type { APIRoute } from 'astro';
import { answer, json, scenarioParam } from '../../../../server/http.ts';
import { scenarioInfo } from '../../../../server/scenario-info.ts';
import { requireRuntime } from '../../../../server/session.ts';

export const prerender = false;

/** The scenario's outputs, handler source, sample events, exercises and flow diagram. */
export const GET: APIRoute = ({ params }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    return json(200, await scenarioInfo(runtime.root, runtime.target(), scenario));
  });
