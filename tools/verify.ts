// `npm run verify`: every scenario end to end on a target — the instructor's smoke test after
// `npm run sandbox:deploy`, and the same run against the local cloud. For each exercise it deploys
// the reference solution to the scenario's function and runs the exercise's check (real uploads,
// table writes through the streams, API calls, Cognito guests), then puts each scenario's own
// handler back.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { adminKeysForTools } from '../infra/local/edge/admin-keys.ts';
import { isScenarioId, SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../scenarios/catalog.ts';
import type { CheckReport } from '../site/lib/workbench-api.ts';
import { loadExercises } from '../site/server/checks/exercises.ts';
import { runCheck } from '../site/server/checks/run.ts';
import { resetFunction } from '../site/server/deploy-edit.ts';
import { checkAwsAccess, resolveTarget } from '../site/server/resolve-target.ts';
import type { Target } from '../site/server/target.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm run verify -- [--target local|aws] [--stack-outputs <file>] [--endpoint <url>] [--region <region>]
                        [--learner <name>] [--scenario <id>]… [--json]

  --target         local, or aws: a deployed class sandbox     default what the stack outputs file says
  --stack-outputs  the deployed stacks' outputs                 default .data/stack-outputs.json (npm start);
                   for a sandbox: cdk.out/sandbox-outputs.json (npm run sandbox:deploy)
  --endpoint       AWS endpoint override (the local cloud)
  --region         the sandbox's region (aws)                   default AWS_REGION / the profile's
  --learner        whose copy of the stacks (class mode)        default the only one in the file
  --scenario       verify only this scenario (repeatable)       default all four
  --json           print the reports as JSON

Exit status: 0 when every scenario passes, 1 otherwise, 2 on usage errors.`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      target: { type: 'string' },
      'stack-outputs': {
        type: 'string',
        default: process.env.WORKBOOK_STACK_OUTPUTS ?? join(root, '.data', 'stack-outputs.json'),
      },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      learner: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  values = parse().values;
} catch (error) {
  usageError((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.target !== undefined && values.target !== 'local' && values.target !== 'aws') {
  usageError(`--target must be 'local' or 'aws', received '${values.target}'.`);
}
const scenarios: ScenarioId[] = [];
for (const id of values.scenario ?? SCENARIO_IDS) {
  if (!isScenarioId(id)) usageError(`Unknown scenario '${id}'. Scenarios: ${SCENARIO_IDS.join(', ')}.`);
  scenarios.push(id);
}

let target: Target;
try {
  target = resolveTarget({
    stackOutputs: resolve(values['stack-outputs']),
    // The local cloud's admin keys sit in its data directory, beside the outputs `npm start` wrote.
    localCredentials: async () => adminKeysForTools(dirname(resolve(values['stack-outputs']))),
    ...(values.target ? { kind: values.target } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.learner ? { learner: values.learner } : {}),
  });
  const who = target.kind === 'aws' ? await checkAwsAccess(target) : undefined;
  if (!values.json) {
    console.log(
      target.kind === 'aws'
        ? `Verifying the sandbox in ${target.region} as ${who}`
        : `Verifying the local cloud at ${target.endpoint}`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const reports: CheckReport[] = [];
let failed = 0;
for (const scenario of scenarios) {
  if (!values.json) console.log(`\n${scenario} (${SCENARIOS[scenario].stack})`);
  for (const exercise of loadExercises(root, scenario)) {
    // An exercise on infra.ts deploys a stack of its own, which the workbook does on the local cloud only.
    if (exercise.edits === 'infra.ts' && target.kind === 'aws') {
      if (!values.json) console.log(`  - ${exercise.title}: skipped (exercises on infra.ts run on the local cloud)`);
      continue;
    }
    const report = await runCheck({ target, root, scenario, exercise: exercise.id, source: exercise.solution });
    reports.push(report);
    if (report.status !== 'pass') failed += 1;
    if (!values.json) {
      const mark = { pass: '✓', fail: '✗', error: '!' }[report.status];
      console.log(`  ${mark} ${exercise.title} (${seconds(report.durationMs)})`);
      if (report.status !== 'pass') {
        if (report.message) console.log(`      ${report.message.replace(/\n/g, '\n      ')}`);
        for (const test of report.tests.filter((t) => t.status !== 'pass')) {
          console.log(`      ${test.status}: ${test.name}${test.message ? ` — ${test.message}` : ''}`);
        }
      }
    }
  }
  // Leave the scenario as deployed: its own handler.
  for (let index = 0; index < SCENARIOS[scenario].functions.length; index += 1) {
    try {
      await resetFunction({ target, root, scenario, functionIndex: index });
    } catch (error) {
      failed += 1;
      console.error(`  ! could not put ${scenario}'s own handler back: ${(error as Error).message}`);
    }
  }
}
const summary = values.json
  ? JSON.stringify({ status: failed === 0 ? 'pass' : 'fail', reports }, null, 2)
  : `\n${failed === 0 ? 'PASS' : 'FAIL'}: ${reports.length - failed} of ${reports.length} end-to-end checks passed.`;
process.stdout.write(`${summary}\n`, () => process.exit(failed === 0 ? 0 : 1));
