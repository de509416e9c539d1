import type { APIRoute } from 'astro';
import type { CompileFailure } from '../../../../lib/workbench-api.ts';
import { CompileFailureError } from '../../../../server/bundle.ts';
import { deployEdit, deployWorkspace } from '../../../../server/deploy-edit.ts';
import { answer, BODY_LIMITS, badRequest, filesField, json, stringField } from '../../../../server/http.ts';
import { readScenarioRequest } from '../../../../server/scenario-route.ts';

export const prerender = false;

/**
 * Deploy my edit: with `files`, bundles every function of the scenario from the edited files and
 * deploys them; with `source`, the one function. 422 CompileFailure when it does not compile.
 */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const { scenario, runtime, input, functionIndex } = await readScenarioRequest(
      params,
      request,
      BODY_LIMITS.source,
      (body): { files: Record<string, string> } | { source: string } => {
        const files = filesField(body, 'files', { max: BODY_LIMITS.source });
        if (files !== undefined) return { files };
        if (body.source === undefined)
          throw badRequest("Either 'files' (the edited files by path) or 'source' is required.");
        return { source: stringField(body, 'source', { max: BODY_LIMITS.source }) };
      },
    );
    const target = runtime.target();
    try {
      const result =
        'files' in input
          ? await deployWorkspace({ target, root: runtime.root, scenario, files: input.files })
          : await deployEdit({ target, root: runtime.root, scenario, source: input.source, functionIndex });
      return json(200, result);
    } catch (error) {
      if (error instanceof CompileFailureError) {
        const failure: CompileFailure = { error: 'CompileError', message: error.message, errors: error.errors };
        return json(422, failure);
      }
      throw error;
    }
  });
