import type { APIRoute } from 'astro';
import { NDJSON } from '../../../../../../lib/workbench-api.ts';
import { saveAttempt } from '../../../../../../server/checks/attempts.ts';
import { loadExercises } from '../../../../../../server/checks/exercises.ts';
import { checkProgressStream, runCheck } from '../../../../../../server/checks/run.ts';
import {
  answer,
  BODY_LIMITS,
  filesField,
  HttpError,
  json,
  readJsonObject,
  scenarioParam,
  stringField,
} from '../../../../../../server/http.ts';
import { requireRuntime } from '../../../../../../server/session.ts';

export const prerender = false;

/** Check my work: deploys the learner's source and runs the exercise's check against it. */
export const POST: APIRoute = ({ params, request }) =>
  answer(async () => {
    const scenario = scenarioParam(params.scenario);
    const runtime = requireRuntime();
    const exercises = loadExercises(runtime.root, scenario);
    const exercise = exercises.find((candidate) => candidate.id === params.exercise);
    if (exercise === undefined) {
      const known = exercises.map((candidate) => candidate.id).join(', ') || 'none';
      throw new HttpError(
        404,
        'UnknownExercise',
        `The ${scenario} scenario has no exercise '${params.exercise ?? ''}' (exercises: ${known}).`,
      );
    }
    const body = await readJsonObject(request, BODY_LIMITS.source);
    const source = stringField(body, 'source', { max: BODY_LIMITS.source });
    const files = filesField(body, 'files', { max: BODY_LIMITS.source }) ?? {};
    // The terminal's `npm run check -- <scenario> <exercise>` (no file) checks this same attempt.
    if (runtime.attemptsDir !== undefined) saveAttempt(runtime.attemptsDir, scenario, exercise.id, source);
    const options = { target: runtime.target(), root: runtime.root, scenario, exercise: exercise.id, source, files };
    if (!(request.headers.get('accept') ?? '').includes(NDJSON)) return json(200, await runCheck(options));
    // Streamed: the page shows each step as it happens (a check on AWS takes a while).
    return new Response(
      checkProgressStream((send) =>
        runCheck({
          ...options,
          onPhase: (phase) => send(phase),
          onProgress: (result) => send({ kind: 'test', result }),
        }),
      ),
      {
        headers: {
          'content-type': `${NDJSON}; charset=utf-8`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      },
    );
  });
