// `GET /api/scenarios/:id`: everything the workbench shows before anything runs — outputs, the
// handler's source, sample events (as sample-events.ts serves them), exercises, and the flow diagram
// of the synthesized template.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { FlowGraph, ScenarioInfo } from '../lib/workbench-api.ts';
import { loadExercises } from './checks/exercises.ts';
import { buildFlowGraph, executionRoles, readTemplate } from './flow.ts';
import { HttpError } from './http.ts';
import { servedSampleEvents } from './sample-events.ts';
import { scenarioFiles } from './scenario-files.ts';
import { stackOutputs, type Target } from './target.ts';

/** The stack's name on the target (class mode prefixes it per learner). */
export const stackNameOn = (target: Target, scenario: ScenarioId): string =>
  target.stackName ? target.stackName(SCENARIOS[scenario].stack) : SCENARIOS[scenario].stack;

/** Logical id → physical id of the scenario's deployed resources, when the target recorded them. */
export function deployedResources(target: Target, scenario: ScenarioId): Readonly<Record<string, string>> | undefined {
  return target.resources?.[stackNameOn(target, scenario)];
}

/** The scenario's flow graph with the deployed names filled in; empty when cdk.out has no template. */
export function scenarioGraph(root: string, target: Target, scenario: ScenarioId): FlowGraph {
  const read = readTemplate(root, SCENARIOS[scenario].stack);
  if (read === undefined) return { nodes: [], edges: [] };
  const outputs = stackOutputs(target, SCENARIOS[scenario].stack);
  const resources = deployedResources(target, scenario);
  return buildFlowGraph(read.template, { ...(outputs ? { outputs } : {}), ...(resources ? { resources } : {}) });
}

/** Everything `GET /api/scenarios/:id` answers; the sample events carry the deployed names (sample-events.ts). */
export async function scenarioInfo(root: string, target: Target, scenario: ScenarioId): Promise<ScenarioInfo> {
  const entry = SCENARIOS[scenario];
  const outputs = stackOutputs(target, entry.stack);
  const fn = entry.functions[0];
  const path = `scenarios/${scenario}/${fn.source}`;
  let source: string;
  try {
    source = readFileSync(join(root, path), 'utf8');
  } catch (error) {
    throw new HttpError(
      500,
      'MissingHandler',
      `The scenario's handler ${path} could not be read: ${(error as Error).message}`,
    );
  }
  const name = outputs?.[fn.output];
  return {
    id: scenario,
    stack: stackNameOn(target, scenario),
    deployed: outputs !== undefined,
    outputs: outputs ?? {},
    function: { ...(name !== undefined ? { name } : {}), source, path },
    functions: entry.functions.map((candidate) => {
      const deployedName = outputs?.[candidate.output];
      return {
        ...(deployedName !== undefined ? { name: deployedName } : {}),
        path: `scenarios/${scenario}/${candidate.source}`,
        title: candidate.title,
      };
    }),
    files: scenarioFiles(root, scenario),
    events: await servedSampleEvents(root, target, scenario),
    exercises: loadExercises(root, scenario),
    diagram: scenarioGraph(root, target, scenario),
  };
}

/** A deployed scenario's graph, with what the trace needs to match names to nodes. */
export interface ScenarioGraph {
  readonly scenario: ScenarioId;
  readonly graph: FlowGraph;
  /** Physical name of an execution role → the function node it runs. */
  readonly executionRoles: ReadonlyMap<string, string>;
}

/** The graphs of every scenario deployed on the target (for matching trace steps to diagrams). */
export function deployedGraphs(root: string, target: Target): ScenarioGraph[] {
  const graphs: ScenarioGraph[] = [];
  for (const scenario of SCENARIO_IDS) {
    if (stackOutputs(target, SCENARIOS[scenario].stack) === undefined) continue;
    const read = readTemplate(root, SCENARIOS[scenario].stack);
    if (read === undefined) continue;
    const resources = deployedResources(target, scenario);
    const roles = new Map<string, string>();
    for (const [role, fn] of executionRoles(read.template)) {
      const physical = resources?.[role];
      if (physical !== undefined) roles.set(physical, fn);
    }
    graphs.push({ scenario, graph: scenarioGraph(root, target, scenario), executionRoles: roles });
  }
  return graphs;
}
