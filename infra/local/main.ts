// `npm run cloud`: the local cloud on its own.
import { parseArgs } from 'node:util';
import { startLocalCloud } from './cloud.ts';
import { ADMIN_KEYS_FILE, exportLine, parseAdminKeysMode, TUTORIAL_ADMIN_KEYS } from './edge/admin-keys.ts';
import { describeIsolation } from './lambda/runtime/sandbox.ts';
import { DataDirInUseError } from './shared/data-dir-lock.ts';

const USAGE = `Usage: npm run cloud -- [--port 4566] [--host 127.0.0.1] [--data-dir .data] [--in-memory] [--iam on|off] [--sandbox auto|bwrap|node] [--admin-keys generated|test] [--quotas aws|off] [--account-concurrency 1000]

  --iam off         do not check IAM policies (every signed request is allowed); default on, as on AWS
  --sandbox node    run Lambda functions under Node's permission model alone, without the bubblewrap
                    wall (env LOCAL_CLOUD_SANDBOX); default auto: the wall where bubblewrap works
  --admin-keys test also accept the well-known keys test/test (LocalStack-style tutorials; env
                    LOCAL_CLOUD_ADMIN_KEYS=test). Default: only the data directory's secret keys
                    (<data-dir>/${ADMIN_KEYS_FILE}; fresh per run with --in-memory)
  --quotas aws      throttle the workbook's operations at AWS's account-level request rates, with AWS's
                    errors (ThrottlingException, TooManyRequestsException, SlowDown); default off
  --account-concurrency N  Lambda's concurrent executions for the account (AWS default 1000; a new
                    account may have 10): reserving more than N - 100 fails as on AWS`;

let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: process.env.LOCAL_CLOUD_PORT ?? '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: process.env.LOCAL_CLOUD_DATA_DIR ?? '.data' },
      'in-memory': { type: 'boolean', default: false },
      iam: { type: 'string', default: 'on' },
      sandbox: { type: 'string', default: process.env.LOCAL_CLOUD_SANDBOX ?? 'auto' },
      'admin-keys': { type: 'string', default: process.env.LOCAL_CLOUD_ADMIN_KEYS ?? 'generated' },
      quotas: { type: 'string', default: 'off' },
      'account-concurrency': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  values = parse().values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.iam !== 'on' && values.iam !== 'off') {
  console.error(`--iam must be 'on' or 'off', received '${values.iam}'.\n${USAGE}`);
  process.exit(2);
}
if (!['auto', 'bwrap', 'node'].includes(values.sandbox)) {
  console.error(`--sandbox must be 'auto', 'bwrap' or 'node', received '${values.sandbox}'.\n${USAGE}`);
  process.exit(2);
}
let adminKeys: ReturnType<typeof parseAdminKeysMode>;
try {
  adminKeys = parseAdminKeysMode(values['admin-keys']);
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.quotas !== 'aws' && values.quotas !== 'off') {
  console.error(`--quotas must be 'aws' or 'off', received '${values.quotas}'.\n${USAGE}`);
  process.exit(2);
}
const accountConcurrency =
  values['account-concurrency'] === undefined ? undefined : Number(values['account-concurrency']);
if (accountConcurrency !== undefined && !(Number.isInteger(accountConcurrency) && accountConcurrency >= 1)) {
  console.error(
    `--account-concurrency must be a positive integer, received '${values['account-concurrency']}'.\n${USAGE}`,
  );
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), received '${values.port}'.\n${USAGE}`);
  process.exit(2);
}

try {
  const cloud = await startLocalCloud({
    port,
    host: values.host,
    dataDir: values['data-dir'],
    inMemory: values['in-memory'],
    enforceIam: values.iam === 'on',
    sandbox: values.sandbox as 'auto' | 'bwrap' | 'node',
    adminKeys,
    quotas: values.quotas,
    ...(accountConcurrency !== undefined ? { accountConcurrency } : {}),
  });
  console.log(`Local cloud listening on ${cloud.endpoint}`);
  console.log(`  ${exportLine(cloud.endpoint, cloud.adminCredentials)}`);
  console.log(`  ${describeIsolation(cloud.lambda.isolation)}`);
  if (cloud.quotas) console.log("  AWS's account-level request quotas are enforced (--quotas aws).");
  if (cloud.adminKeysMode === 'test') {
    console.log(
      `  (--admin-keys test: ${TUTORIAL_ADMIN_KEYS.accessKeyId}/${TUTORIAL_ADMIN_KEYS.secretAccessKey} is accepted too)`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping the local cloud…`);
    cloud.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  if (err instanceof DataDirInUseError) {
    console.error(err.message);
  } else if (err.code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use. Stop the other process or pass --port <another>.`);
  } else {
    console.error(err);
  }
  process.exit(1);
}
