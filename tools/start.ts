// `npm start`: build the site if stale, start the local cloud, serve the workbook.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../infra/local/cloud.ts';
import {
  ADMIN_KEYS_FILE,
  exportLine,
  parseAdminKeysMode,
  TUTORIAL_ADMIN_KEYS,
  writeAdminKeys,
} from '../infra/local/edge/admin-keys.ts';
import { describeIsolation } from '../infra/local/lambda/runtime/sandbox.ts';
import { DataDirInUseError, resolveDataDir } from '../infra/local/shared/data-dir-lock.ts';
import { SCENARIOS } from '../scenarios/catalog.ts';
import { ENDPOINT_ENV_CLI_VERSIONS } from '../site/lib/run-it.ts';
import { explainAwsError } from '../site/server/aws-errors.ts';
import { createAwsObservation } from '../site/server/aws-observation.ts';
import { attemptsDirFor } from '../site/server/checks/attempts.ts';
import { checkAwsAccess, resolveTarget, SCENARIO_STACKS } from '../site/server/resolve-target.ts';
import { setWorkbenchRuntime } from '../site/server/runtime.ts';
import { learnersIn, localTarget, readStackOutputs, stackOutputs, type Target } from '../site/server/target.ts';
import { deployLocalStacks } from './local-stacks.ts';
import { buildSiteInBackground, siteIsStale } from './site-build.ts';
import { guardSiteRequest } from './site-guard.ts';
import { createStaticHandler } from './static-site.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm start -- [--port 4321] [--cloud-port 4566] [--data-dir .data] [--in-memory] [--rebuild] [--iam on|off] [--admin-keys generated|test] [--no-deploy]
       npm start -- --target aws --stack-outputs <file> [--region <region>] [--learner <name>] [--port 4321]

  --port        port of the workbook site (env WORKBOOK_PORT)       default 4321
  --cloud-port  port of the local cloud's AWS endpoint (env LOCAL_CLOUD_PORT)  default 4566
  --data-dir    where the local cloud keeps buckets and functions (env LOCAL_CLOUD_DATA_DIR)  default .data
  --in-memory   keep nothing between runs
  --rebuild     build the site even when it looks up to date
  --iam off     do not check IAM policies of role credentials (default on, as on AWS)
  --admin-keys test  also accept the well-known admin keys test/test, for LocalStack-style tutorials
                (env LOCAL_CLOUD_ADMIN_KEYS=test); default: only the secret keys in <data-dir>/${ADMIN_KEYS_FILE}
  --no-deploy   do not synthesize (into cdk.local.out) and deploy the four scenario stacks to the local cloud
  --sandbox     Lambda isolation: auto (the bubblewrap wall where available), bwrap, or node (the
                permission model alone) (env LOCAL_CLOUD_SANDBOX)          default auto
  --target aws  drive a deployed class sandbox on AWS instead of the local cloud, with your own credentials
                (AWS_PROFILE, environment, SSO); no local cloud is started
  --stack-outputs  the sandbox's outputs (cdk.out/sandbox-outputs.json from npm run sandbox:deploy)
  --region      the sandbox's region                                 default AWS_REGION / the profile's
  --learner     whose copy of the stacks, in a class sandbox         default the only one in the file`;

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be a port number (0-65535), received '${value}'.\n\n${USAGE}`);
    process.exit(2);
  }
  return port;
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: process.env.WORKBOOK_PORT ?? '4321' },
      'cloud-port': { type: 'string', default: process.env.LOCAL_CLOUD_PORT ?? '4566' },
      'data-dir': { type: 'string', default: process.env.LOCAL_CLOUD_DATA_DIR ?? '.data' },
      'in-memory': { type: 'boolean', default: false },
      iam: { type: 'string', default: 'on' },
      sandbox: { type: 'string', default: process.env.LOCAL_CLOUD_SANDBOX ?? 'auto' },
      'admin-keys': { type: 'string', default: process.env.LOCAL_CLOUD_ADMIN_KEYS ?? 'generated' },
      rebuild: { type: 'boolean', default: false },
      'no-deploy': { type: 'boolean', default: false },
      target: { type: 'string', default: 'local' },
      'stack-outputs': { type: 'string' },
      region: { type: 'string' },
      learner: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const { values } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.iam !== 'on' && values.iam !== 'off') {
  console.error(`--iam must be 'on' or 'off', received '${values.iam}'.\n\n${USAGE}`);
  process.exit(2);
}
if (values.target !== 'local' && values.target !== 'aws') {
  console.error(`--target must be 'local' or 'aws', received '${values.target}'.\n\n${USAGE}`);
  process.exit(2);
}
if (values.target === 'aws' && values['stack-outputs'] === undefined) {
  console.error(
    `--target aws needs --stack-outputs <file>: the outputs of the deployed sandbox (npm run sandbox:deploy writes cdk.out/sandbox-outputs.json; your instructor may hand you one).\n\n${USAGE}`,
  );
  process.exit(2);
}
let adminKeys: ReturnType<typeof parseAdminKeysMode> = 'generated';
try {
  adminKeys = parseAdminKeysMode(values['admin-keys']);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const sitePort = parsePort(values.port, '--port');
const cloudPort = parsePort(values['cloud-port'], '--cloud-port');
const host = '127.0.0.1';

// The site builds in the background while the local cloud starts and the stacks deploy: on a
// fresh clone both take seconds, and they use different processes.
let siteBuild: Promise<number> | undefined;
if (values.rebuild || siteIsStale(root)) {
  console.log('Building the workbook site in the background (it changed since the last build)…');
  siteBuild = buildSiteInBackground(root);
  siteBuild.catch(() => {}); // reported where it is awaited
}

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
// Where the site's workbench finds the deployed stacks' outputs (bucket names, API URL, …).
// An absolute --data-dir is used as given; a relative one is taken from the project folder.
const dataDir = resolveDataDir(root, values['data-dir']);
const outputsDir = values['in-memory'] ? mkdtempSync(join(tmpdir(), 'workbook-')) : dataDir;
const outputsFile = join(outputsDir, 'stack-outputs.json');
process.env.WORKBOOK_STACK_OUTPUTS = outputsFile;
type SiteHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
/** The built site's request handler, loaded once the (background) build is done. */
let siteHandler: SiteHandler | undefined;
async function loadSite(): Promise<SiteHandler> {
  const entry = (await import(pathToFileURL(join(root, 'dist', 'server', 'entry.mjs')).href)) as {
    handler: SiteHandler;
  };
  return entry.handler;
}

function listenError(error: NodeJS.ErrnoException, what: string, flag: string): never {
  if (error.code === 'EADDRINUSE') {
    console.error(`The ${what} port is already in use. Stop the other process or pass ${flag} <another port>.`);
  } else {
    console.error(error);
  }
  process.exit(1);
}

// The built pages and assets, compressed and with caching headers; the rest (the /api routes, 404) is Astro's.
const serveFile = createStaticHandler(join(root, 'dist', 'client'));
const siteServer = createServer((req, res) => {
  if (!guardSiteRequest(req, res)) return;
  if (siteHandler) {
    if (serveFile(req, res)) return;
    return siteHandler(req, res);
  }
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' });
  res.end('The workbook is still starting (building the site, deploying the stacks). Reload in a few seconds.\n');
});
await new Promise<void>((resolve) => {
  siteServer.once('error', (error) => listenError(error, 'site', '--port'));
  siteServer.listen(sitePort, host, resolve);
});
const siteAddress = siteServer.address();
const boundSitePort = typeof siteAddress === 'object' && siteAddress ? siteAddress.port : sitePort;
const siteUrl = `http://${host}:${boundSitePort}`;

async function startLocal(): Promise<void> {
  const cloud = await startLocalCloud({
    port: cloudPort,
    host,
    dataDir,
    inMemory: values['in-memory'],
    enforceIam: values.iam === 'on',
    sandbox: values.sandbox as 'auto' | 'bwrap' | 'node',
    adminKeys,
    allowedOrigins: [siteUrl, `http://localhost:${boundSitePort}`],
  }).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(1);
    }
    return listenError(error, 'local cloud', '--cloud-port');
  });
  // In memory, the per-run keys go beside the stack outputs (mode 0600), where `npm run check` looks.
  if (values['in-memory']) writeAdminKeys(outputsDir, cloud.adminCredentials);

  // The workbench API (the built site's /api routes) drives this cloud: a fresh secret per start,
  // the target read from the stack outputs file (again whenever a deploy rewrites it), the live trace.
  let known: { mtimeMs: number; target: Target } | undefined;
  setWorkbenchRuntime({
    token: randomBytes(32).toString('base64url'),
    root,
    ...(values['in-memory'] ? {} : { attemptsDir: attemptsDirFor(outputsFile) }),
    // Beside the stack outputs: in the data directory, or (in memory) where the per-run keys were written.
    adminKeysFile: join(outputsDir, ADMIN_KEYS_FILE),
    target() {
      const mtimeMs = statSync(outputsFile, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined) {
        return {
          kind: 'local',
          region: 'us-east-1',
          endpoint: cloud.endpoint,
          credentials: cloud.adminCredentials,
          stacks: {},
        };
      }
      if (known?.mtimeMs !== mtimeMs) {
        try {
          known = {
            mtimeMs,
            target: localTarget(readStackOutputs(outputsFile), cloud.adminCredentials, cloud.endpoint),
          };
        } catch (error) {
          if (known === undefined) throw error; // else keep the last good one
        }
      }
      return known.target;
    },
    trace: cloud.trace,
  });

  // The four scenario stacks, synthesized into their own folder when their sources changed (a class
  // synth in cdk.out is left alone), deployed as `cdk deploy` would.
  if (!values['no-deploy']) {
    try {
      await deployLocalStacks({
        root,
        endpoint: cloud.endpoint,
        credentials: cloud.adminCredentials,
        dataDir: values['in-memory'] ? undefined : dataDir,
        outputsFile,
        detail: 'changes',
      });
    } catch (error) {
      // The site still serves: the learner sees what failed and can fix the stack or the handler.
      console.error(`\nDeploying the scenario stacks failed: ${(error as Error).message}\n`);
    }
  }

  if (siteBuild) {
    try {
      const ms = await siteBuild;
      console.log(`Built the workbook site in ${(ms / 1000).toFixed(1)} s.`);
    } catch (error) {
      console.error(`\n${(error as Error).message}`);
      await cloud.close();
      process.exit(1);
    }
  }
  siteHandler = await loadSite();

  console.log(`
  Lambda Workbook   ${siteUrl}
  Local cloud (AWS) ${cloud.endpoint}
  ${describeIsolation(cloud.lambda.isolation)}

  Point the AWS CLI, boto3 or the SDK at the local cloud (its admin keys are a secret of this machine):
    ${exportLine(cloud.endpoint, cloud.adminCredentials)}
    aws --endpoint-url ${cloud.endpoint} s3 ls
  (AWS CLI ${ENDPOINT_ENV_CLI_VERSIONS.v2}+ and ${ENDPOINT_ENV_CLI_VERSIONS.v1}+ read AWS_ENDPOINT_URL; older ones, such as Debian's 2.9, ignore it and would call real AWS.)${cloud.adminKeysMode === 'test' ? `\n    (--admin-keys test: ${TUTORIAL_ADMIN_KEYS.accessKeyId}/${TUTORIAL_ADMIN_KEYS.secretAccessKey} is accepted too)` : ''}

  Press Ctrl+C to stop.
`);

  let stopping = false;
  function stop(signal: string): void {
    if (stopping) return;
    stopping = true;
    console.log(`\nReceived ${signal}, stopping…`);
    siteServer.closeAllConnections();
    siteServer.close();
    if (values['in-memory']) rmSync(outputsDir, { recursive: true, force: true });
    cloud.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Last problem printed per activity: the observers poll every second, the terminal hears of a problem once. */
const lastWarning = new Map<string, string>();
function warnOnce(what: string, message: string): void {
  if (lastWarning.get(what) === message) return;
  lastWarning.set(what, message);
  console.error(`${what}: ${message} (said once; the workbook keeps trying)`);
}

/**
 * AWS mode: the workbench drives a deployed sandbox with the learner's own credentials. No local
 * cloud; what the workbook shows comes from what AWS exposes (invoke responses, CloudWatch Logs,
 * bucket listings, table scans).
 */
async function startAws(): Promise<void> {
  let target: Target;
  try {
    target = resolveTarget({
      kind: 'aws',
      stackOutputs: resolve(values['stack-outputs'] as string),
      ...(values.region ? { region: values.region } : {}),
      ...(values.learner ? { learner: values.learner } : {}),
    });
    console.log(`Signed in to AWS as ${await checkAwsAccess(target)} (${target.region}).`);
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  // One observation for this learner, spending its share of the account's quotas (the class size
  // is read from the outputs: every learner of a class sandbox shares one account).
  const outputsPath = resolve(values['stack-outputs'] as string);
  const learners = Math.max(1, learnersIn(readStackOutputs(outputsPath), SCENARIO_STACKS).length);
  const observation = createAwsObservation({
    target,
    learners,
    onError: (what, error) => warnOnce(what, explainAwsError(error, { target: 'aws', region: target.region }).message),
  });
  const trace = observation.trace;
  process.env.WORKBOOK_STACK_OUTPUTS = resolve(values['stack-outputs'] as string);
  setWorkbenchRuntime({
    token: randomBytes(32).toString('base64url'),
    root,
    attemptsDir: attemptsDirFor(resolve(values['stack-outputs'] as string)),
    target: () => target,
    trace,
  });
  if (siteBuild) {
    try {
      const ms = await siteBuild;
      console.log(`Built the workbook site in ${(ms / 1000).toFixed(1)} s.`);
    } catch (error) {
      console.error(`\n${(error as Error).message}`);
      process.exit(1);
    }
  }
  siteHandler = await loadSite();
  const deployed = Object.values(SCENARIOS).filter((scenario) => stackOutputs(target, scenario.stack) !== undefined);
  console.log(`
  Lambda Workbook   ${siteUrl}
  Target            AWS ${target.region}${target.endpoint ? ` via ${target.endpoint}` : ''}: ${deployed.map((s) => s.id).join(', ') || 'no scenario stacks deployed'}

  Press Ctrl+C to stop.
`);
  const stop = (signal: string) => {
    console.log(`\nReceived ${signal}, stopping…`);
    observation.close();
    siteServer.closeAllConnections();
    siteServer.close(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (values.target === 'aws') await startAws();
else await startLocal();
