// `npm run deploy:local`: synthesize the CDK app when its sources changed, then deploy every stack
// to a running local cloud (AWS_ENDPOINT_URL, or http://127.0.0.1:4566) and print the outputs.
// The four scenario stacks come from the local workbook's own assembly (cdk.local.out, as for
// `npm start`); the class sandbox's (--learners) from cdk.out, as `npm run synth -- -c learners=…`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeployError } from '../infra/local/deploy/deploy.ts';
import { deployProject, destroyProject } from '../infra/local/deploy/project.ts';
import { adminKeysForTools } from '../infra/local/edge/admin-keys.ts';
import { resolveDataDir } from '../infra/local/shared/data-dir-lock.ts';
import { LOCAL_ASSEMBLY_DIR } from '../site/server/runtime.ts';
import { LOCAL_SYNTH_CONTEXT } from './local-stacks.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm run deploy:local -- [--endpoint http://127.0.0.1:4566] [--data-dir .data] [--stack NAME]… [--learners ada,grace] [--synth] [--destroy]

  --endpoint  the local cloud (env AWS_ENDPOINT_URL)                 default http://127.0.0.1:4566
  --data-dir  the cloud's data directory: its admin keys, and the deployment state (<dir>/deployments)
              default .data (env LOCAL_CLOUD_DATA_DIR); without keys there, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
  --stack     deploy only this stack (repeatable)                     default every stack
  --learners  class-sandbox mode: one isolated copy per learner (cdk -c learners=…, in cdk.out)
  --synth     synthesize even when the assembly (cdk.local.out, or cdk.out with --learners) looks up to date
  --destroy   delete the deployed stacks (and their objects and items) instead`;

function parse() {
  return parseArgs({
    options: {
      endpoint: { type: 'string', default: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566' },
      'data-dir': { type: 'string', default: process.env.LOCAL_CLOUD_DATA_DIR ?? '.data' },
      stack: { type: 'string', multiple: true },
      learners: { type: 'string' },
      synth: { type: 'boolean', default: false },
      destroy: { type: 'boolean', default: false },
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
const endpoint = values.endpoint.replace(/\/+$/, '');

// A clear message when nothing listens there, rather than an SDK stack trace per resource.
try {
  await fetch(endpoint, { signal: AbortSignal.timeout(3000) });
} catch {
  console.error(
    `No local cloud answers at ${endpoint}. Start one with 'npm run cloud' (or 'npm start'), or pass --endpoint.`,
  );
  process.exit(1);
}

const dataDir = resolveDataDir(root, values['data-dir']);
let credentials: ReturnType<typeof adminKeysForTools>;
try {
  credentials = adminKeysForTools(dataDir);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const classMode = values.learners !== undefined;
const assemblyDir = join(root, classMode ? 'cdk.out' : LOCAL_ASSEMBLY_DIR);
try {
  if (values.destroy) {
    console.log(`Destroying the stacks of ${assemblyDir} in ${endpoint}…`);
    await destroyProject({ root, endpoint, credentials, assemblyDir, dataDir, stacks: values.stack });
    process.exit(0);
  }
  await deployProject({
    root,
    endpoint,
    assemblyDir,
    credentials,
    dataDir,
    context: classMode ? { learners: values.learners as string } : LOCAL_SYNTH_CONTEXT,
    forceSynth: values.synth,
    stacks: values.stack,
  });
} catch (error) {
  if (error instanceof DeployError) {
    console.error(`\nDeploy failed: ${error.message}`);
    if (error.cause instanceof Error && error.cause.message !== error.message)
      console.error(`  cause: ${error.cause.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
