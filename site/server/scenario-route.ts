// The preamble the scenario routes that take a JSON body share (deploy, invoke): which scenario,
// the runtime `npm start` handed over, the bounded JSON body, the route's own fields, and which of
// the scenario's functions. The middleware has already checked the origin and the token; Astro
// answers other methods. Errors are thrown as HttpErrors, in this order, for `answer()` to send.
import type { ScenarioId } from '../../scenarios/catalog.ts';
import { functionIndexField, readJsonObject, scenarioParam } from './http.ts';
import type { WorkbenchRuntime } from './runtime.ts';
import { requireRuntime } from './session.ts';

/** A scenario route's request, read and validated. */
export interface ScenarioRequest<T> {
  readonly scenario: ScenarioId;
  readonly runtime: WorkbenchRuntime;
  /** The body's route-specific fields, as `parse` returned them. */
  readonly input: T;
  /** `functionIndex` of the body, 0 when absent. */
  readonly functionIndex: number;
}

/**
 * Reads a scenario route's request: 404 for an unknown scenario, 503 without a runtime, 415/413/400
 * for the body, then `parse`'s errors for the route's fields, then a bad `functionIndex`.
 */
export async function readScenarioRequest<T>(
  params: { readonly scenario?: string | undefined },
  request: Request,
  limit: number,
  parse: (body: Readonly<Record<string, unknown>>) => T,
): Promise<ScenarioRequest<T>> {
  const scenario = scenarioParam(params.scenario);
  const runtime = requireRuntime();
  const body = await readJsonObject(request, limit);
  const input = parse(body);
  return { scenario, runtime, input, functionIndex: functionIndexField(body, scenario) };
}
