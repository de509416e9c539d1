// The declaration files the workbench editor loads for a scenario (see types-bundle.ts), built
// once at `astro build` into a static JSON file; fetched only when the editor opens.
import type { APIRoute, GetStaticPaths } from 'astro';
import { isScenarioId, SCENARIO_IDS } from '../../../../scenarios/catalog.ts';
import { buildTypeBundle } from '../../../components/workbench/types-bundle.ts';

export const prerender = true;

export const getStaticPaths: GetStaticPaths = () => SCENARIO_IDS.map((scenario) => ({ params: { scenario } }));

export const GET: APIRoute = ({ params }) => {
  const scenario = params.scenario ?? '';
  if (!isScenarioId(scenario)) throw new Error(`Unknown scenario '${scenario}'.`);
  return new Response(JSON.stringify(buildTypeBundle(process.cwd(), scenario)), {
    headers: { 'content-type': 'application/json' },
  });
};
