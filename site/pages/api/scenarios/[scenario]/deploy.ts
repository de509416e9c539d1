import type { APIRoute } from 'astro';
import type { CompileFailure } from '../../../../lib/workbench-api.ts';
import { CompileFailureError } from '../../../../server/bundle.ts';
import { deployEdit } from '../../../../server/deploy-edit.ts';
import { answer, BODY_LIMITS, json, stringField } from '../../../../server/http.ts';
import { readScenarioRequest } from '../../../../server/scenario-route.ts';

export const prerender = false;

/** Deploy my edit: bundles the source and updates the scenario's function (422 CompileFailure when it does not compile). */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const { scenario, runtime, input, functionIndex } = await readScenarioRequest(
      params,
      request,
      BODY_LIMITS.source,
      (body) => ({ source: stringField(body, 'source', { max: BODY_LIMITS.source }) }),
    );
    try {
      const result = await deployEdit({
        target: runtime.target(),
        root: runtime.root,
        scenario,
        source: input.source,
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
