// `npm run check -- <scenario> <exercise> [file]`: "Check my work" from the terminal. Deploys the
// handler file to the scenario's function on the target named by the stack outputs file (the
// local cloud `npm start` runs), runs the exercise's check, and prints each test as it finishes.
// Without a file it checks the learner's workbench attempt: the source the page's "Check my work"
// last checked, saved beside the stack outputs file (site/server/checks/attempts.ts).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { adminKeysForTools } from '../infra/local/edge/admin-keys.ts';
import { isScenarioId, SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../scenarios/catalog.ts';
import type { CheckReport, CheckTestResult } from '../site/lib/workbench-api.ts';
import { attemptFile, attemptsDirFor, readAttempt } from '../site/server/checks/attempts.ts';
import { findExercise, loadExercises } from '../site/server/checks/exercises.ts';
import { runCheck } from '../site/server/checks/run.ts';
import { checkAwsAccess, resolveTarget } from '../site/server/resolve-target.ts';
import type { Target } from '../site/server/target.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUTPUTS = join('.data', 'stack-outputs.json');
const USAGE = `Usage: npm run check -- <scenario> <exercise> [file] [--json] [--stack-outputs <file>] [--endpoint <url>]
                         [--target local|aws] [--region <region>] [--learner <name>]
       npm run check -- --list

  file             the handler to check                     default your workbench attempt, as "Check my work"
                   last checked it (saved in attempts/ beside the stack outputs file)
  --json           print only the report, as JSON
  --stack-outputs  where the deployed stacks' outputs are    default ${DEFAULT_OUTPUTS} (written by npm start)
  --endpoint       the local cloud's AWS endpoint             default the one in the stack outputs file
  --target         local, or aws: a deployed class sandbox     default what the stack outputs file says
                   (credentials from the AWS SDK's chain: AWS_PROFILE, env, SSO; stack outputs from
                   \`npm run sandbox:deploy\`, cdk.out/sandbox-outputs.json)
  --region         the sandbox's region (aws)                 default AWS_REGION / the profile's
  --learner        whose copy of the stacks (aws, class mode)  default the only one in the file
  --list           list the scenarios and their exercises

Exit status: 0 when every test passes, 1 when a test fails or the check cannot run, 2 on usage errors.`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'stack-outputs': { type: 'string', default: process.env.WORKBOOK_STACK_OUTPUTS ?? join(root, DEFAULT_OUTPUTS) },
      endpoint: { type: 'string' },
      target: { type: 'string' },
      region: { type: 'string' },
      learner: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** The scenarios and their exercises, one line each. */
function listing(): string {
  const lines: string[] = [];
  for (const scenario of SCENARIO_IDS) {
    lines.push(scenario);
    for (const exercise of loadExercises(root, scenario)) lines.push(`  ${exercise.id.padEnd(24)} ${exercise.title}`);
  }
  return lines.join('\n');
}

/**
 * The target a stack outputs file names. Only the local cloud for now; a class sandbox on AWS
 * (`target: "aws"`) will get its credentials from the SDK's default chain here, and nothing else
 * changes: the check talks to the target through the AWS SDK and HTTP only.
 */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const indent = (text: string, prefix = '      ') =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
const MARK: Record<CheckTestResult['status'], string> = { pass: '✓', fail: '✗', error: '!' };

function printTest(test: CheckTestResult): void {
  console.log(`  ${MARK[test.status]} ${test.name} (${seconds(test.durationMs)})`);
  if (test.status !== 'pass') {
    if (test.message) console.log(indent(test.message));
    if (test.output) console.log(`${indent('What the test saw:')}\n${indent(test.output, '        ')}`);
  }
}

let parsed: ReturnType<typeof parse>;
try {
  parsed = parse();
} catch (error) {
  usageError((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.list) {
  console.log(listing());
  process.exit(0);
}

const [scenarioArg, exerciseArg, fileArg, ...extra] = positionals;
if (scenarioArg === undefined || exerciseArg === undefined) usageError('Name a scenario and an exercise.');
if (extra.length > 0) usageError(`Unexpected argument(s): ${extra.join(' ')}.`);
if (!isScenarioId(scenarioArg)) {
  usageError(`Unknown scenario '${scenarioArg}'. Scenarios: ${SCENARIO_IDS.join(', ')}.`);
}
const scenario: ScenarioId = scenarioArg;
const exercise = findExercise(root, scenario, exerciseArg);
if (exercise === undefined) {
  const ids = loadExercises(root, scenario).map((e) => e.id);
  usageError(`Scenario '${scenario}' has no exercise '${exerciseArg}'. Its exercises: ${ids.join(', ') || 'none'}.`);
}
/** A path as the learner would type it: relative to where they are, when inside. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

let file: string;
let source: string;
/** What was checked, in words: the learner's file or their workbench attempt. */
let checked: string;
if (fileArg !== undefined) {
  file = resolve(fileArg);
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    usageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const reference = resolve(root, 'scenarios', scenario, SCENARIOS[scenario].functions[0].source);
  checked =
    file === reference
      ? `the file ${shown(file)} — the scenario's finished handler, which the lesson explains: it already solves the exercises`
      : `the file ${shown(file)}`;
} else {
  const attempts = attemptsDirFor(resolve(values['stack-outputs']));
  const attempt = readAttempt(attempts, scenario, exercise.id);
  if (attempt === undefined) {
    const starter = join('scenarios', scenario, 'exercises', exercise.id, 'starter.ts');
    const yours = `my-${exercise.id}.ts`;
    console.error(
      `No workbench attempt at ${scenario}/${exercise.id} to check: the workbench keeps your attempt in the browser, and saves a copy to ${shown(attemptFile(attempts, scenario, exercise.id))} each time you press "Check my work" there.\n` +
        `Press "Check my work" in the workbench first, or check a file of your own, starting from the exercise's starter:\n` +
        `  cp ${starter} ${yours}\n` +
        `  npm run check -- ${scenario} ${exercise.id} ${yours}`,
    );
    process.exit(2);
  }
  file = attempt.file;
  source = attempt.source;
  checked = `your workbench attempt, as "Check my work" last checked it (${attempt.savedAt.toLocaleString()}): ${shown(file)}`;
}

let target: Target;
try {
  if (values.target !== undefined && values.target !== 'local' && values.target !== 'aws') {
    usageError(`--target must be 'local' or 'aws', received '${values.target}'.`);
  }
  target = resolveTarget({
    stackOutputs: resolve(values['stack-outputs']),
    // The local cloud's admin keys sit in its data directory, beside the outputs `npm start` wrote.
    localCredentials: async () => adminKeysForTools(dirname(resolve(values['stack-outputs']))),
    ...(values.target ? { kind: values.target } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.learner ? { learner: values.learner } : {}),
  });
  if (target.kind === 'aws') await checkAwsAccess(target);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// A clear message when nothing listens there, rather than an SDK error in every test.
if (target.kind === 'local' && target.endpoint !== undefined) {
  try {
    await fetch(target.endpoint, { signal: AbortSignal.timeout(3000) });
  } catch {
    console.error(
      `No local cloud answers at ${target.endpoint}. Start the workbook with 'npm start' (it deploys the stacks ` +
        'and writes the stack outputs), or pass --endpoint / --stack-outputs.',
    );
    process.exit(1);
  }
}

if (!values.json) {
  const where = target.kind === 'local' ? `the local cloud (${target.endpoint})` : `AWS (${target.region})`;
  console.log(`Checking ${scenario}/${exercise.id} — ${exercise.title}`);
  console.log(`  checked: ${checked}`);
  console.log(`  deployed to ${where}\n`);
}
const report: CheckReport = await runCheck({
  target,
  root,
  scenario,
  exercise: exercise.id,
  source,
  onProgress: values.json ? undefined : printTest,
  onPhase: values.json
    ? undefined
    : (phase) => {
        if (phase.kind === 'waiting') {
          console.log(
            `    … waiting up to ${seconds(phase.upToMs)} for ${phase.what}${phase.why ? ` (${phase.why})` : ''}`,
          );
        }
      },
});
const verdict = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' }[report.status];
const summary = values.json
  ? JSON.stringify({ file, ...report }, null, 2)
  : `\n${verdict}${report.message ? `: ${report.message}` : ''} (${seconds(report.durationMs)})`;
// Exit once the output is written: stdout to a pipe is asynchronous, and a long report must not be cut.
process.stdout.write(`${summary}\n`, () => process.exit(report.status === 'pass' ? 0 : 1));
