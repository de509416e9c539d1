import type { APIRoute } from 'astro';
import type { CompileFailure } from '../../../../lib/workbench-api.ts';
import { CompileFailureError } from '../../../../server/bundle.ts';
import { deployEdit } from '../../../../server/deploy-edit.ts';
import {
  answer,
  BODY_LIMITS,
  functionIndexField,
  json,
  readJsonObject,
  scenarioParam,
  stringField,
} from '../../../../server/http.ts';
import { requireRuntime } from '../../../../server/session.ts';

export const prerender = false;

/** Deploy my edit: bundles the source and updates the scenario's function (422 CompileFailure when it does not compile). */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    const body = await readJsonObject(request, BODY_LIMITS.source);
    const source = stringField(body, 'source', { max: BODY_LIMITS.source });
    const functionIndex = functionIndexField(body, scenario);
    try {
      const result = await deployEdit({
        target: runtime.target(),
        root: runtime.root,
        scenario,
        source,
        functionIndex,
      });
      return json(200, result);
    } catch (error) {
      if (error instanceof CompileFailureError) {
        const failure: CompileFailure = { error: 'CompileError', message: error.message, errors: error.errors };
        return json(422, failure);
      }
      throw error;
    }
  });
