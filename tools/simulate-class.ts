// `npm run simulate:class -- --learners 30`: a class on one AWS account, simulated. Synthesizes the
// class sandbox's CDK app (infra/cdk, as `npm run sandbox:deploy` does) once, for one learner, and
// deploys a copy of those templates per learner (tools/class-copies.ts) into a local cloud that
// enforces AWS's account-level quotas (--quotas aws), retrying throttled control-plane calls as
// CloudFormation does. Then every learner, signed in with their own learner role, runs the
// observation AWS mode runs (site/server/aws-observation.ts, as `npm start -- --target aws` wires
// it) and goes through a scripted session with the workbench's own server code: deploy an edit
// (deployEdit: bundle, UpdateFunctionCode, the waiter), then trigger scenarios as the workbench's
// buttons do (a photo upload, an order, an HTTP request, the phone's invoke) and wait until the
// observation publishes the function's REPORT line. Reports per learner whether every result
// arrived and how long it took, and the account's request rate per quota.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import sharp from 'sharp';
import { CLASS_STACK_NAME } from '../infra/cdk/workbook.ts';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { createClients } from '../infra/local/deploy/clients.ts';
import { deployStack, type StackDeployment } from '../infra/local/deploy/deploy.ts';
import { synthesizeIfStale } from '../infra/local/deploy/project.ts';
import { memoryStateStore } from '../infra/local/deploy/state.ts';
import { loadCloudAssembly, type StackArtifact } from '../infra/local/deploy/template.ts';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../scenarios/catalog.ts';
import { createAwsObservation } from '../site/server/aws-observation.ts';
import { deployEdit, scenarioSource } from '../site/server/deploy-edit.ts';
import { invokeScenarioFunction } from '../site/server/invoke.ts';
import { isThrottle } from '../site/server/observation-schedule.ts';
import { SCENARIO_STACKS } from '../site/server/resolve-target.ts';
import type { TraceRecord } from '../site/server/runtime.ts';
import { awsTarget, type StackOutputsFile, stackOutputs, type Target } from '../site/server/target.ts';
import { runTrigger } from '../site/server/triggers.ts';
import { classCopies, SYNTHESIZED_LEARNER } from './class-copies.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The class app synthesized for one learner (never cdk.out, which the sandbox's `cdk` commands write). */
const CLASS_SIM_ASSEMBLY_DIR = 'cdk.class-sim.out';

const USAGE = `Usage: npm run simulate:class -- [--learners 30] [--triggers 4] [--ramp 20] [--account-concurrency 1000] [--reserved 2] [--parallel 4]

  --learners  learners sharing the account                              default 30
  --triggers  scenarios each learner triggers (1-4; scaled down to 2 above 30 learners unless given,
              each learner starting at another scenario so that all four are exercised)
  --ramp      seconds over which the learners start (a class does not click at once)
              default 2 per learner, at least 20: the machine runs every learner's cold starts
  --account-concurrency  Lambda's concurrent executions for the account (AWS default 1000)
  --reserved  reserved concurrency per function (the class app's -c reservedConcurrency)  default 2
  --parallel  stacks deployed at once (cdk deploy --concurrency)          default 4`;

const REGION = 'us-east-1';

function parse() {
  return parseArgs({
    options: {
      learners: { type: 'string', default: '30' },
      triggers: { type: 'string' },
      ramp: { type: 'string' },
      'account-concurrency': { type: 'string' },
      reserved: { type: 'string', default: '2' },
      parallel: { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
let values: ReturnType<typeof parse>['values'];
try {
  values = parse().values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const integer = (value: string | undefined, flag: string, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${flag} must be an integer from ${min} to ${max}, received '${value}'.\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
// The class app takes at most 100 learners (infra/cdk/settings.ts MAX_LEARNERS).
const learnerCount = integer(values.learners, '--learners', 1, 100);
const triggersPerLearner =
  values.triggers !== undefined ? integer(values.triggers, '--triggers', 1, 4) : learnerCount > 30 ? 2 : 4;
// One machine runs every learner's functions: 120 cold starts within 20 s starve a 2-core machine
// into the functions' 10 s timeouts, which AWS would not (each environment has its own CPU).
const rampMs =
  (values.ramp !== undefined ? integer(values.ramp, '--ramp', 0, 600) : Math.max(20, 2 * learnerCount)) * 1000;
const reserved = integer(values.reserved, '--reserved', 1, 100);
const parallel = integer(values.parallel, '--parallel', 1, 32);
const accountConcurrency =
  values['account-concurrency'] !== undefined
    ? integer(values['account-concurrency'], '--account-concurrency', 1, 100_000)
    : undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a learner's call when it is throttled, with back-off (the workbench's Deploy button says so and lets them retry). */
async function withRetries<T>(call: () => Promise<T>, counter: { throttled: number }): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottle(error) || attempt >= 8) throw error;
      counter.throttled++;
      await sleep(Math.min(8000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
const seconds = (ms: number) => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`);

const learners = Array.from({ length: learnerCount }, (_, i) => `learner${i + 1}`);
/** Learner i triggers `triggersPerLearner` scenarios starting at the i-th: every scenario gets its share. */
const scenariosOf = (index: number): ScenarioId[] =>
  Array.from({ length: triggersPerLearner }, (_, k) => SCENARIO_IDS[(index + k) % SCENARIO_IDS.length] as ScenarioId);
console.log(
  `Simulating a class of ${learnerCount} on one account: ${triggersPerLearner} trigger(s) per learner, learners starting over ${rampMs / 1000} s, quotas enforced as on AWS (${REGION}).`,
);

// ---- the class app, synthesized once (for one learner), copied per learner
const assemblyDir = join(root, CLASS_SIM_ASSEMBLY_DIR);
await synthesizeIfStale({
  root,
  assemblyDir,
  context: { learners: SYNTHESIZED_LEARNER, reservedConcurrency: String(reserved) },
});
const classStacks = classCopies(loadCloudAssembly(assemblyDir), learners);

/** A photo for the upload trigger, as the triggers panel's "generate a sample photo" makes one. */
const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4a8' } })
  .jpeg()
  .toBuffer();

/** What the learner does to set a scenario's function off, through the workbench's own server code. */
async function trigger(target: Target, scenario: ScenarioId, learner: string): Promise<string | undefined> {
  switch (scenario) {
    case 'thumbnails':
      await runTrigger(target, scenario, {
        kind: 'upload',
        key: `${learner}-photo.jpg`,
        contentType: 'image/jpeg',
        bodyBase64: photo.toString('base64'),
      });
      return undefined;
    case 'stream-metrics':
      await runTrigger(target, scenario, {
        kind: 'put-item',
        item: { orderId: `order-${learner}`, total: 19.99, status: 'placed' },
      });
      return undefined;
    case 'web-backend': {
      const result = await runTrigger(target, scenario, { kind: 'http', method: 'GET', path: '/items' });
      const status = result.response?.status;
      return status === 200 ? undefined : `GET /items answered ${String(status)}`;
    }
    case 'mobile-clicks': {
      const result = await invokeScenarioFunction({
        target,
        scenario,
        request: { invocationType: 'RequestResponse', event: { button: 'like', clientId: `phone-${learner}` } },
      });
      return result.functionError === undefined ? undefined : `the function failed: ${JSON.stringify(result.payload)}`;
    }
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'simulate-class-'));
const cloud = await startLocalCloud({
  port: 0,
  inMemory: true,
  dataDir,
  sandbox: 'node',
  quotas: 'aws',
  region: REGION,
  ...(accountConcurrency !== undefined ? { accountConcurrency } : {}),
});
const CREDENTIALS = cloud.adminCredentials;
const setup = { throttled: 0 };
const deployer = createClients({
  endpoint: cloud.endpoint,
  region: REGION,
  credentials: CREDENTIALS,
  throttleRetries: { onThrottle: () => void setup.throttled++ },
});
const sts = new STSClient({ endpoint: cloud.endpoint, region: REGION, credentials: CREDENTIALS });
let exitCode = 0;

try {
  // ---- deploy the class: the class stack, then each learner's four stacks, a few at a time
  const started = Date.now();
  const state = memoryStateStore();
  const exports = new Map<string, string>();
  const deploy = (stack: StackArtifact) =>
    deployStack(
      stack,
      { endpoint: cloud.endpoint, state, region: REGION, credentials: CREDENTIALS, exports },
      deployer,
    );
  const [classStack, ...learnerStacks] = classStacks as [StackArtifact, ...StackArtifact[]];
  const deployed: StackDeployment[] = [await deploy(classStack)];
  const queue = [...learnerStacks];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) deployed.push(await deploy(stack));
    }),
  );
  const resources = deployed.reduce((sum, stack) => sum + stack.resources.length, 0);
  const skipped = deployed.reduce((sum, stack) => sum + stack.skipped.length, 0);
  console.log(
    `Deployed the class app synthesized from infra/cdk (${CLASS_SIM_ASSEMBLY_DIR}): ${CLASS_STACK_NAME} and ${learnerStacks.length / learners.length} stacks per learner, ${deployed.length} stacks, ${resources} resources (${skipped} not modelled locally) in ${seconds(Date.now() - started)} (${setup.throttled} control-plane throttles retried).`,
  );
  const outputs: StackOutputsFile = {
    target: 'aws',
    region: REGION,
    endpoint: cloud.endpoint,
    stacks: Object.fromEntries(deployed.map((stack) => [stack.stackName, stack.outputs])),
  };
  const classOutputs = outputs.stacks[CLASS_STACK_NAME] ?? {};

  // Each learner signs in with their own role, as the class sandbox hands it out.
  const targets = new Map<string, Target>();
  for (const learner of learners) {
    const roleArn = classOutputs[`${learner}RoleArn`];
    if (roleArn === undefined) throw new Error(`${CLASS_STACK_NAME} has no output ${learner}RoleArn.`);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `${learner}-workbook` }));
    const keys = assumed.Credentials;
    if (keys?.AccessKeyId === undefined || keys.SecretAccessKey === undefined) {
      throw new Error(`AssumeRole of ${roleArn} gave no credentials.`);
    }
    targets.set(
      learner,
      awsTarget({
        outputs,
        scenarioStacks: SCENARIO_STACKS,
        learner,
        endpoint: cloud.endpoint,
        credentials: {
          accessKeyId: keys.AccessKeyId,
          secretAccessKey: keys.SecretAccessKey,
          ...(keys.SessionToken !== undefined ? { sessionToken: keys.SessionToken } : {}),
        },
        region: REGION,
      }),
    );
  }
  const first = targets.get('learner1') as Target;
  console.log(
    `learner1 signs in as ${assumedRoleName(classOutputs.learner1RoleArn)}; their thumbnail function is ${stackOutputs(first, SCENARIOS.thumbnails.stack)?.ThumbnailFunctionName}.`,
  );
  cloud.quotas?.resetUsage();

  // ---- the session: every learner's observation, and their scripted clicks
  interface LearnerResult {
    learner: string;
    triggered: number;
    latencies: number[];
    /** Which trigger (its scenario, and whether it was the learner's first) took how long. */
    timed: { scenario: ScenarioId; order: number; ms: number }[];
    missing: string[];
    notices: number;
    observerErrors: string[];
    deployThrottles: number;
    filterCalls: number;
  }
  const sessionStarted = Date.now();
  const results = await Promise.all(
    learners.map(async (learner, index): Promise<LearnerResult> => {
      await sleep((rampMs * index) / Math.max(1, learners.length));
      const target = targets.get(learner) as Target;
      const scenarios = scenariosOf(index);
      const observerErrors: string[] = [];
      const observation = createAwsObservation({
        target,
        learners: learners.length,
        onError: (what, error) => void observerErrors.push(`${what}: ${(error as Error).name}`),
      });
      const records: TraceRecord[] = [];
      const waiters = new Set<() => void>();
      const unsubscribe = observation.trace.subscribe((record) => {
        records.push(record);
        for (const wake of waiters) wake();
      });
      const result: LearnerResult = {
        learner,
        triggered: scenarios.length,
        latencies: [],
        timed: [],
        missing: [],
        notices: 0,
        observerErrors,
        deployThrottles: 0,
        filterCalls: 0,
      };
      try {
        // Deploy an edit (the workbench's Deploy button).
        const counter = { throttled: 0 };
        const edited = scenarios[0] as ScenarioId;
        await withRetries(
          () =>
            deployEdit({
              target,
              root,
              scenario: edited,
              source: `${scenarioSource(root, edited)}\n// ${learner}'s edit\n`,
            }),
          counter,
        );
        result.deployThrottles = counter.throttled;
        for (const [order, id] of scenarios.entries()) {
          await sleep(2000 + Math.random() * 2000); // reading the lesson between clicks
          const functionName = stackOutputs(target, SCENARIOS[id].stack)?.[SCENARIOS[id].functions[0].output];
          const t0 = Date.now();
          const seen = records.length;
          observation.trace.nudge(id);
          const failed = await trigger(target, id, learner).catch((error: Error) => `${error.name}: ${error.message}`);
          if (failed !== undefined) {
            result.missing.push(`${id} (${failed})`);
            continue;
          }
          // The result reached the page when the observation published the function's REPORT line.
          const arrived = await new Promise<boolean>((resolve) => {
            const check = () => {
              if (
                records
                  .slice(seen)
                  .some(
                    (r) =>
                      r.type === 'lambda.log' &&
                      r.detail.functionName === functionName &&
                      String(r.detail.line).startsWith('REPORT RequestId:'),
                  )
              ) {
                finish(true);
              }
            };
            const timer = setTimeout(() => finish(false), 90_000);
            const finish = (ok: boolean) => {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(ok);
            };
            waiters.add(check);
            check();
          });
          // A handler that failed also ends in a REPORT line: its ERROR line says so.
          const error = records
            .slice(seen)
            .find(
              (r) =>
                r.type === 'lambda.log' &&
                r.detail.functionName === functionName &&
                /\tERROR\t|"level":"ERROR"/.test(String(r.detail.line)),
            );
          if (!arrived) result.missing.push(id);
          else if (error !== undefined)
            result.missing.push(`${id} (the function failed: ${String(error.detail.line)})`);
          else {
            result.latencies.push(Date.now() - t0);
            result.timed.push({ scenario: id, order, ms: Date.now() - t0 });
          }
        }
      } catch (error) {
        const err = error as Error;
        result.missing.push(`the session stopped: ${err.name}: ${err.message}`);
      } finally {
        result.notices = records.filter((r) => r.type === 'observer.notice').length;
        result.filterCalls = observation.logs.calls;
        unsubscribe();
        observation.close();
      }
      return result;
    }),
  );
  const sessionMs = Date.now() - sessionStarted;

  // ---- the report
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const expected = results.reduce((sum, r) => sum + r.triggered, 0);
  const missing = results.reduce((sum, r) => sum + r.missing.length, 0);
  console.log('\nPer learner (trigger → result observed in the workbench):');
  console.log('| learner | results | p50 | p95 | throttle notices | observation errors | FilterLogEvents calls |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    console.log(
      `| ${r.learner} | ${r.latencies.length}/${r.triggered}${r.missing.length ? ` (missing: ${r.missing.join(', ')})` : ''} | ${seconds(percentile(sorted, 50))} | ${seconds(percentile(sorted, 95))} | ${r.notices} | ${r.observerErrors.length === 0 ? 0 : `${r.observerErrors.length} (${[...new Set(r.observerErrors)].join('; ')})`} | ${r.filterCalls} |`,
    );
  }
  console.log(
    `\nAll ${learnerCount} learners: ${all.length}/${expected} results arrived; trigger → result p50 ${seconds(percentile(all, 50))}, p95 ${seconds(percentile(all, 95))}, max ${seconds(all.at(-1) ?? Number.NaN)}; session ${seconds(sessionMs)}.`,
  );
  // By scenario and by the trigger's place in the session: a learner's functions stay "hot" (read
  // first) for a minute after a trigger, so a later trigger shares the learner's reads.
  const timed = results.flatMap((r) => r.timed);
  const rows: [string, number[]][] = [
    ...SCENARIO_IDS.map((id): [string, number[]] => [id, timed.filter((t) => t.scenario === id).map((t) => t.ms)]),
    ...Array.from({ length: triggersPerLearner }, (_, order): [string, number[]] => [
      `trigger ${order + 1} of ${triggersPerLearner}`,
      timed.filter((t) => t.order === order).map((t) => t.ms),
    ]),
  ];
  console.log('\nTrigger → result by scenario and by trigger:');
  console.log('| | results | p50 | p95 |');
  console.log('|---|---|---|---|');
  for (const [label, times] of rows) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `| ${label} | ${times.length} | ${seconds(percentile(sorted, 50))} | ${seconds(percentile(sorted, 95))} |`,
    );
  }
  const minutes = sessionMs / 60_000;
  console.log('\nAccount-wide request rate per quota during the session:');
  console.log('| quota | AWS quota | max in one second | % of quota | per learner per minute | throttled |');
  console.log('|---|---|---|---|---|---|');
  let over = false;
  for (const usage of (cloud.quotas?.usage() ?? []).sort((a, b) => a.label.localeCompare(b.label))) {
    const share = (usage.maxPerSecond / usage.perSecond) * 100;
    if (share > 80) over = true;
    console.log(
      `| ${usage.label} | ${usage.perSecond}/s | ${usage.maxPerSecond}/s | ${share.toFixed(0)}% | ${(usage.admitted / learnerCount / minutes).toFixed(1)} | ${usage.throttled} |`,
    );
  }
  if (missing > 0 || over) {
    exitCode = 1;
    console.log(
      `\n${missing > 0 ? `${missing} result(s) never arrived. ` : ''}${over ? 'An operation went above 80% of its quota.' : ''}`,
    );
  } else {
    console.log('\nEvery result arrived, and no operation went above 80% of its quota.');
  }
} catch (error) {
  exitCode = 1;
  const err = error as { name?: string; message?: string };
  console.error(`\nThe simulation failed: ${err.name ?? 'Error'}: ${err.message ?? String(error)}`);
} finally {
  deployer.destroy();
  sts.destroy();
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);

/** `LambdaWorkbook-learner1-Learner` from the role's ARN. */
function assumedRoleName(arn: string | undefined): string {
  return arn?.split('/').at(-1) ?? '(no role)';
}
