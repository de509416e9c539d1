// `npm run simulate:class -- --learners 30`: a class on one AWS account, simulated. Starts the local
// cloud with AWS's account-level quotas enforced (--quotas aws), deploys a copy of the four
// scenarios' functions (and the buckets and table the workbench looks at) per learner, starts per
// learner the observation AWS mode runs (site/server/aws-observation.ts, as `npm start -- --target
// aws` wires it), and drives every learner through a scripted session: deploy an edit
// (UpdateFunctionCode), then trigger each scenario (an asynchronous Invoke, as the workbench's
// Invoke button) and wait until the observation publishes the invocation's REPORT line. Reports
// per learner whether every result arrived and how long it took, and the account's request rate
// per quota.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { SCENARIO_IDS, SCENARIOS, type ScenarioId } from '../scenarios/catalog.ts';
import { createAwsObservation } from '../site/server/aws-observation.ts';
import { isThrottle } from '../site/server/observation-schedule.ts';
import { SCENARIO_STACKS } from '../site/server/resolve-target.ts';
import type { TraceRecord } from '../site/server/runtime.ts';
import { awsTarget, learnerStackName, type StackOutputsFile } from '../site/server/target.ts';

const USAGE = `Usage: npm run simulate:class -- [--learners 30] [--triggers 4] [--ramp 20] [--account-concurrency 1000] [--reserved 2]

  --learners  learners sharing the account                              default 30
  --triggers  scenarios each learner triggers (1-4; scaled down to 2 above 30 learners unless given)
  --ramp      seconds over which the learners start (a class does not click at once)  default 20
  --account-concurrency  Lambda's concurrent executions for the account (AWS default 1000)
  --reserved  reserved concurrency per function, as the class stacks set it (0: none)  default 2`;

const REGION = 'us-east-1';

function parse() {
  return parseArgs({
    options: {
      learners: { type: 'string', default: '30' },
      triggers: { type: 'string' },
      ramp: { type: 'string', default: '20' },
      'account-concurrency': { type: 'string' },
      reserved: { type: 'string', default: '2' },
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
const learnerCount = integer(values.learners, '--learners', 1, 200);
const triggersPerLearner =
  values.triggers !== undefined ? integer(values.triggers, '--triggers', 1, 4) : learnerCount > 30 ? 2 : 4;
const rampMs = integer(values.ramp, '--ramp', 0, 600) * 1000;
const reserved = integer(values.reserved, '--reserved', 0, 100);
const accountConcurrency =
  values['account-concurrency'] !== undefined
    ? integer(values['account-concurrency'], '--account-concurrency', 1, 100_000)
    : undefined;

/** A handler that logs a line and returns: the observation path, not the scenarios' work, is under test. */
const handlerZip = (edit: number) =>
  zipSync({
    'index.js': new TextEncoder().encode(
      `exports.handler = async (event) => { console.log('edit ${edit}', JSON.stringify(event).length); return { ok: true }; };\n`,
    ),
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `call` with the SDK's retries, and retries throttles again with back-off (as a deploy tool does). */
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
const scenarios = SCENARIO_IDS.slice(0, triggersPerLearner) as ScenarioId[];
const dataDir = mkdtempSync(join(tmpdir(), 'simulate-class-'));
console.log(
  `Simulating a class of ${learnerCount} on one account: ${triggersPerLearner} trigger(s) per learner, quotas enforced as on AWS (${REGION}).`,
);
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
const config = { endpoint: cloud.endpoint, region: REGION, credentials: CREDENTIALS };
const lambda = new LambdaClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const dynamodb = new DynamoDBClient(config);
const setup = { throttled: 0 };
let exitCode = 0;

try {
  // ---- deploy the class: per learner, a function per scenario, the buckets and the table
  const started = Date.now();
  const stacks: Record<string, Record<string, string>> = {};
  const functionNames = new Map<string, string>(); // `${learner}/${scenario}` → name
  for (const learner of learners) {
    for (const id of SCENARIO_IDS) {
      const scenario = SCENARIOS[id];
      const name = `${learner}-${id}`;
      functionNames.set(`${learner}/${id}`, name);
      const outputs: Record<string, string> = {
        [scenario.functions[0].output]: name,
        [scenario.outputs.logGroup as string]: `/aws/lambda/${name}`,
      };
      if (id === 'thumbnails') {
        outputs.PhotosBucketName = `${learner}-photos`;
        outputs.ThumbnailsBucketName = `${learner}-thumbnails`;
      }
      if (id === 'web-backend') outputs.ItemsTableName = `${learner}-items`;
      stacks[learnerStackName(learner)(scenario.stack)] = outputs;
    }
  }
  const deployOne = async (learner: string) => {
    for (const id of SCENARIO_IDS) {
      const name = functionNames.get(`${learner}/${id}`) as string;
      await withRetries(
        () =>
          lambda.send(
            new CreateFunctionCommand({
              FunctionName: name,
              Runtime: 'nodejs22.x',
              Role: 'arn:aws:iam::000000000000:role/lambda-role',
              Handler: 'index.handler',
              Code: { ZipFile: handlerZip(0) },
            }),
          ),
        setup,
      );
      // The class stacks reserve concurrency per function: a small account cannot hold them.
      if (reserved > 0) {
        await withRetries(
          () =>
            lambda.send(
              new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }),
            ),
          setup,
        );
      }
    }
    await withRetries(() => s3.send(new CreateBucketCommand({ Bucket: `${learner}-photos` })), setup);
    await withRetries(() => s3.send(new CreateBucketCommand({ Bucket: `${learner}-thumbnails` })), setup);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: `${learner}-items`,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  };
  // A few deploys at a time, as CloudFormation runs stacks in parallel.
  const queue = [...learners];
  await Promise.all(
    Array.from({ length: Math.min(4, learners.length) }, async () => {
      for (let learner = queue.shift(); learner !== undefined; learner = queue.shift()) await deployOne(learner);
    }),
  );
  console.log(
    `Deployed ${learners.length * SCENARIO_IDS.length} functions, ${learners.length * 2} buckets and ${learners.length} tables in ${seconds(Date.now() - started)} (${setup.throttled} control-plane throttles retried).`,
  );
  const outputs: StackOutputsFile = { target: 'aws', region: REGION, endpoint: cloud.endpoint, stacks };
  cloud.quotas?.resetUsage();

  // ---- the session: every learner's observation, and their scripted clicks
  interface LearnerResult {
    learner: string;
    latencies: number[];
    missing: string[];
    notices: number;
    deployThrottles: number;
    filterCalls: number;
  }
  const sessionStarted = Date.now();
  const results = await Promise.all(
    learners.map(async (learner, index): Promise<LearnerResult> => {
      await sleep((rampMs * index) / Math.max(1, learners.length));
      const target = awsTarget({
        outputs,
        scenarioStacks: SCENARIO_STACKS,
        learner,
        endpoint: cloud.endpoint,
        credentials: CREDENTIALS,
        region: REGION,
      });
      const observation = createAwsObservation({ target, learners: learners.length });
      const records: TraceRecord[] = [];
      const waiters = new Set<() => void>();
      const unsubscribe = observation.trace.subscribe((record) => {
        records.push(record);
        for (const wake of waiters) wake();
      });
      const result: LearnerResult = {
        learner,
        latencies: [],
        missing: [],
        notices: 0,
        deployThrottles: 0,
        filterCalls: 0,
      };
      const own = new LambdaClient(config);
      try {
        // Deploy an edit (the workbench's Deploy button: UpdateFunctionCode).
        const counter = { throttled: 0 };
        await withRetries(
          () =>
            own.send(
              new UpdateFunctionCodeCommand({
                FunctionName: functionNames.get(`${learner}/${scenarios[0]}`) as string,
                ZipFile: handlerZip(1),
              }),
            ),
          counter,
        );
        result.deployThrottles = counter.throttled;
        for (const id of scenarios) {
          await sleep(2000 + Math.random() * 2000); // reading the lesson between clicks
          const functionName = functionNames.get(`${learner}/${id}`) as string;
          const t0 = Date.now();
          observation.trace.nudge(id);
          const invoked = await own.send(
            new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify({ id }) }),
          );
          const requestId = invoked.$metadata.requestId ?? '';
          const arrived = await new Promise<boolean>((resolve) => {
            const check = () => {
              if (
                records.some(
                  (r) => r.type === 'lambda.log' && String(r.detail.line).startsWith(`REPORT RequestId: ${requestId}`),
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
          if (arrived) result.latencies.push(Date.now() - t0);
          else result.missing.push(id);
        }
      } finally {
        result.notices = records.filter((r) => r.type === 'observer.notice').length;
        result.filterCalls = observation.logs.calls;
        unsubscribe();
        observation.close();
        own.destroy();
      }
      return result;
    }),
  );
  const sessionMs = Date.now() - sessionStarted;

  // ---- the report
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const missing = results.reduce((sum, r) => sum + r.missing.length, 0);
  console.log('\nPer learner (trigger → result observed in the workbench):');
  console.log('| learner | results | p50 | p95 | throttle notices | FilterLogEvents calls |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    console.log(
      `| ${r.learner} | ${r.latencies.length}/${scenarios.length}${r.missing.length ? ` (missing: ${r.missing.join(', ')})` : ''} | ${seconds(percentile(sorted, 50))} | ${seconds(percentile(sorted, 95))} | ${r.notices} | ${r.filterCalls} |`,
    );
  }
  console.log(
    `\nAll ${learnerCount} learners: ${all.length}/${learnerCount * scenarios.length} results arrived; trigger → result p50 ${seconds(percentile(all, 50))}, p95 ${seconds(percentile(all, 95))}, max ${seconds(all.at(-1) ?? Number.NaN)}; session ${seconds(sessionMs)}.`,
  );
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
  lambda.destroy();
  s3.destroy();
  dynamodb.destroy();
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
