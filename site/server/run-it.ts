// `GET /api/run-it`: what the lessons' "Run it" blocks need to print commands that work as printed
// (site/lib/run-it.ts renders them): the target's endpoint and region, the local cloud's admin keys
// file, the project folder and every scenario stack's outputs.
import { SCENARIO_IDS, SCENARIOS } from '../../scenarios/catalog.ts';
import type { RunItContext } from '../lib/run-it.ts';
import type { WorkbenchRuntime } from './runtime.ts';
import { reachableApiUrl, stackOutputs } from './target.ts';

export function runItContext(runtime: WorkbenchRuntime): RunItContext {
  const target = runtime.target();
  const scenarios: Record<string, Readonly<Record<string, string>> | undefined> = {};
  for (const id of SCENARIO_IDS) {
    const outputs = stackOutputs(target, SCENARIOS[id].stack);
    // An HTTP API's local name (`{apiId}.execute-api.localhost`) is one not every curl resolves: the path form is.
    scenarios[id] =
      outputs &&
      Object.fromEntries(
        Object.entries(outputs).map(([key, value]) => [
          key,
          /^https?:\/\//.test(value) ? reachableApiUrl(value, target) : value,
        ]),
      );
  }
  return {
    target: target.kind,
    // Also in AWS mode when an endpoint stands in for AWS (the tests' local cloud): commands go where the workbench does.
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
    region: target.region,
    ...(target.kind === 'local' && runtime.adminKeysFile !== undefined ? { adminKeysFile: runtime.adminKeysFile } : {}),
    project: runtime.root,
    scenarios,
  };
}
