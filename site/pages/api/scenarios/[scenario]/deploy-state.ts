import type { APIRoute } from 'astro';
import { CompileFailureError } from '../../../../server/bundle.ts';
import { deployState } from '../../../../server/deploy-edit.ts';
import { answer, BODY_LIMITS, filesField, json } from '../../../../server/http.ts';
import { readScenarioRequest } from '../../../../server/scenario-route.ts';

export const prerender = false;

/** What is deployed (CodeSha256) against what the editor's files would deploy, per function. */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const { scenario, runtime, input } = await readScenarioRequest(params, request, BODY_LIMITS.source, (body) => ({
      files: filesField(body, 'files', { max: BODY_LIMITS.source }) ?? {},
    }));
    try {
      return json(
        200,
        await deployState({ target: runtime.target(), root: runtime.root, scenario, files: input.files }),
      );
    } catch (error) {
      // Code that does not compile cannot be what runs: the page says "changes not deployed".
      if (error instanceof CompileFailureError) return json(200, { functions: [], compileError: error.message });
      throw error;
    }
  });
