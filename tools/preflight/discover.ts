// Where the system tools the test suite drives live on this machine: Chromium (browser tests),
// the AWS CLI v2 and Python 3 with boto3 (compatibility tests), bubblewrap (the Lambda runtime's
// wall). One module, so the preflight, the test helpers, the benchmarks and the screenshot tool
// all find the same binaries.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export type ToolName = 'chromium' | 'aws' | 'python' | 'bwrap';

/** What the environment says where to look; `process.env` by default. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Found {
  readonly path: string;
  /** e.g. `aws-cli/2.9.19`, for the report. */
  readonly detail?: string;
}

/** Fixed places to look besides PATH (tests pass none, to see only what they set up). */
export interface Places {
  readonly fallbacks?: readonly string[];
}

/** A tool: where it is, or why none of the candidates qualified (each rejected candidate, with why). */
export type Discovery = { readonly found: Found } | { readonly found?: undefined; readonly rejected: string[] };

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every `name` on PATH, in PATH's order. */
export function onPath(name: string, env: Env = process.env): string[] {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .filter(isExecutable);
}

const unique = (paths: readonly string[]) => [...new Set(paths)];

/** Playwright's own downloads (`npx playwright install chromium`), newest first. */
function playwrightChromes(env: Env): string[] {
  const caches = env.PLAYWRIGHT_BROWSERS_PATH
    ? [env.PLAYWRIGHT_BROWSERS_PATH]
    : [join(homedir(), '.cache', 'ms-playwright'), join(homedir(), 'Library', 'Caches', 'ms-playwright')];
  const found: string[] = [];
  for (const cache of caches) {
    let entries: string[];
    try {
      entries = readdirSync(cache);
    } catch {
      continue;
    }
    const builds = entries
      .filter((name) => /^chromium-\d+$/.test(name))
      .sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
    for (const build of builds) {
      found.push(
        join(cache, build, 'chrome-linux', 'chrome'),
        join(cache, build, 'chrome-linux64', 'chrome'),
        join(cache, build, 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
      );
    }
  }
  return found;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const MAC_CHROMES = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Chromium or Chrome: `CHROMIUM_PATH` when set (and then only it), else Debian's or Ubuntu's
 * Chromium, Google Chrome, Playwright's browser cache, macOS's applications.
 */
export function findChromium(
  env: Env = process.env,
  { fallbacks = [...CHROMIUM_NAMES.map((name) => `/usr/bin/${name}`), ...MAC_CHROMES] }: Places = {},
): Discovery {
  if (env.CHROMIUM_PATH) {
    return isExecutable(env.CHROMIUM_PATH)
      ? { found: { path: env.CHROMIUM_PATH } }
      : { rejected: [`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file`] };
  }
  const candidates = unique([
    ...CHROMIUM_NAMES.flatMap((name) => onPath(name, env)),
    ...fallbacks.filter((path) => !MAC_CHROMES.includes(path)),
    ...playwrightChromes(env),
    ...fallbacks.filter((path) => MAC_CHROMES.includes(path)),
  ]);
  const path = candidates.find(isExecutable);
  return path ? { found: { path } } : { rejected: [] };
}

/** How long a version probe may take: the AWS CLI v2 starts in a second, but in tens on a loaded machine. */
const PROBE_TIMEOUT_MS = 90_000;

/** What a program prints for `args` (stdout and stderr), or why it could not run. */
function probe(
  path: string,
  args: readonly string[],
  env: Env,
): { status: number | null; output: string } | { failed: string } {
  const result = spawnSync(path, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env: env as NodeJS.ProcessEnv });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return { failed: code === 'ETIMEDOUT' ? `no answer in ${PROBE_TIMEOUT_MS / 1000} s` : result.error.message };
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * The AWS CLI v2 (`aws --version` says `aws-cli/2.…`): `AWS_CLI_PATH` when set, else the first
 * v2 among the `aws` on PATH, the official installer's /usr/local/bin/aws and Debian's /usr/bin/aws.
 * A v1 (pip, pyenv) earlier on PATH is passed over: its output and options differ.
 */
export function findAwsCliV2(
  env: Env = process.env,
  { fallbacks = ['/usr/local/bin/aws', '/usr/bin/aws'] }: Places = {},
): Discovery {
  const candidates = env.AWS_CLI_PATH
    ? [env.AWS_CLI_PATH]
    : unique([...onPath('aws', env), ...fallbacks]).filter(isExecutable);
  const rejected: string[] = [];
  for (const path of candidates) {
    const run = probe(path, ['--version'], { ...env, AWS_PAGER: '' });
    if ('failed' in run) {
      rejected.push(`${path}: \`aws --version\` failed: ${run.failed}`);
      continue;
    }
    const version = run.status === 0 ? /aws-cli\/(\d+)\.\S*/.exec(run.output) : null;
    if (version?.[1] === '2') return { found: { path, detail: version[0] } };
    rejected.push(
      `${path}: ${version ? `${version[0]}, not version 2` : `\`aws --version\` failed: ${run.output.split('\n')[0]}`}`,
    );
  }
  return { rejected };
}

/** Python 3 that can `import boto3`: `PYTHON3_PATH` when set, else the first such python3 on PATH or /usr/bin/python3. */
export function findPythonWithBoto3(
  env: Env = process.env,
  { fallbacks = ['/usr/bin/python3'] }: Places = {},
): Discovery {
  const candidates = env.PYTHON3_PATH
    ? [env.PYTHON3_PATH]
    : unique([...onPath('python3', env), ...fallbacks]).filter(isExecutable);
  const rejected: string[] = [];
  for (const path of candidates) {
    const run = probe(path, ['-c', 'import sys, boto3; print(sys.version.split()[0], boto3.__version__)'], env);
    if ('failed' in run) {
      rejected.push(`${path}: does not run: ${run.failed}`);
      continue;
    }
    if (run.status === 0) {
      const [python, boto3] = run.output.split(/\s+/);
      if (python?.startsWith('3.')) return { found: { path, detail: `Python ${python}, boto3 ${boto3}` } };
    }
    rejected.push(`${path}: no boto3 (\`import boto3\` failed)`);
  }
  return { rejected };
}

/** bubblewrap (`bwrap`), on PATH or in /usr/bin. */
export function findBubblewrap(env: Env = process.env, { fallbacks = ['/usr/bin/bwrap'] }: Places = {}): Discovery {
  const path = unique([...onPath('bwrap', env), ...fallbacks]).find(isExecutable);
  return path ? { found: { path } } : { rejected: [] };
}

export const FINDERS: Readonly<Record<ToolName, (env?: Env) => Discovery>> = {
  chromium: findChromium,
  aws: findAwsCliV2,
  python: findPythonWithBoto3,
  bwrap: findBubblewrap,
};

const WHAT: Readonly<Record<ToolName, string>> = {
  chromium: 'Chromium or Google Chrome (set CHROMIUM_PATH to choose one)',
  aws: 'the AWS CLI version 2 (set AWS_CLI_PATH to choose one)',
  python: 'Python 3 with boto3 (set PYTHON3_PATH to choose one)',
  bwrap: 'bubblewrap (bwrap)',
};

/** A human name for the tool, for messages. */
export const describeTool = (tool: ToolName): string => WHAT[tool];

const cache = new Map<ToolName, Discovery>();

/**
 * The path of `tool` on this machine, or an error that names what is missing and the command
 * that checks (and on a root Debian machine installs) it. Discovered once per process.
 */
export function requireTool(tool: ToolName): string {
  let discovery = cache.get(tool);
  if (!discovery) {
    discovery = FINDERS[tool]();
    cache.set(tool, discovery);
  }
  if (discovery.found) return discovery.found.path;
  const why = discovery.rejected.length > 0 ? ` (${discovery.rejected.join('; ')})` : '';
  throw new Error(
    `This machine has no ${describeTool(tool)}${why}. Run \`npm run preflight\` to see how to install it.`,
  );
}
