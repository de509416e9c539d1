/**
 * How an execution environment is started, and inside what.
 *
 * Two layers (see site/content/docs/security-model.mdx):
 * - **The wall** (`bwrap`): on Linux with bubblewrap, the runtime runs in its own user, mount,
 *   PID, network, IPC and UTS namespaces. Its file system holds only the system libraries, the
 *   Node.js runtime, the bootstrap, the function's code and the runtime-provided modules, all
 *   read-only, and a private size-limited `/tmp` (EphemeralStorage). Its network has a loopback
 *   interface only; the local cloud's endpoint is reached through a Unix socket bound in (see
 *   forwarder.ts), so nothing else of the machine is reachable.
 * - **The seat belt** (`node`, everywhere): Node's permission model and the bootstrap's
 *   lock-down (bootstrap.mjs). Node documents it as a seat belt, not a sandbox.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';

export type IsolationMode = 'bwrap' | 'node';
export type IsolationRequest = IsolationMode | 'auto';

export interface Isolation {
  readonly mode: IsolationMode;
  /** Why this mode (shown in the banner). */
  readonly reason: string;
  /** The bubblewrap executable (wall only). */
  readonly bwrap?: string;
}

/** Inside the wall the function's code is where AWS puts it: LAMBDA_TASK_ROOT, the handler's working directory. */
export const SANDBOX_TASK_ROOT = '/var/task';
/** Where the endpoint's Unix socket appears inside the wall. */
export const SANDBOX_ENDPOINT_SOCKET = '/run/local-cloud/endpoint.sock';
/** AWS runs functions as sbx_user1051 (uid 993); the wall does the same inside its user namespace. */
const SANDBOX_UID = '993';
const SANDBOX_GID = '990';

function findBwrap(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'bwrap');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

let probed: { readonly bwrap?: string; readonly problem?: string } | undefined;

/** Whether bubblewrap can build a wall here (it is installed and user namespaces are allowed). Cached. */
export function probeWall(): { readonly bwrap?: string; readonly problem?: string } {
  if (probed !== undefined) return probed;
  const bwrap = findBwrap();
  if (bwrap === undefined) {
    probed = {
      problem: process.platform === 'linux' ? 'bubblewrap (bwrap) is not installed' : `no wall on ${process.platform}`,
    };
    return probed;
  }
  const result = spawnSync(
    bwrap,
    [
      ...namespaceArgs(),
      ...systemLibraryArgs(),
      '--ro-bind',
      process.execPath,
      process.execPath,
      process.execPath,
      '--version',
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  probed =
    result.status === 0
      ? { bwrap }
      : {
          problem: `bubblewrap cannot create namespaces here: ${(result.stderr || result.error?.message || '').trim()}`,
        };
  return probed;
}

/**
 * The isolation to use: `requested` (default: LOCAL_CLOUD_SANDBOX, else `auto`). `auto` takes the
 * wall where bubblewrap works and the seat belt elsewhere; asking for `bwrap` where it cannot
 * work is an error rather than a silent downgrade.
 */
export function resolveIsolation(requested: string = process.env.LOCAL_CLOUD_SANDBOX ?? 'auto'): Isolation {
  if (requested !== 'auto' && requested !== 'bwrap' && requested !== 'node') {
    throw new Error(`The sandbox must be 'auto', 'bwrap' or 'node', received '${requested}'.`);
  }
  if (requested === 'node') return { mode: 'node', reason: 'requested (--sandbox node)' };
  const wall = probeWall();
  if (wall.bwrap !== undefined) return { mode: 'bwrap', reason: 'bubblewrap is available', bwrap: wall.bwrap };
  if (requested === 'bwrap') throw new Error(`--sandbox bwrap was requested, but ${wall.problem}.`);
  return { mode: 'node', reason: wall.problem ?? 'no wall available' };
}

/** One line for the cloud's banner. */
export function describeIsolation(isolation: Isolation): string {
  return isolation.mode === 'bwrap'
    ? 'Lambda isolation: bubblewrap wall (own mount, PID and network namespaces, read-only code, private /tmp) + Node permission model'
    : `Lambda isolation: Node permission model only (${isolation.reason}); see the Security model page for what this does not stop`;
}

function namespaceArgs(): string[] {
  return [
    '--unshare-user',
    '--uid',
    SANDBOX_UID,
    '--gid',
    SANDBOX_GID,
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'lambda',
    '--die-with-parent',
    '--new-session',
  ];
}

/** The shared libraries Node.js and sharp's libvips link against (merged-/usr or not). */
function systemLibraryArgs(): string[] {
  const args: string[] = [];
  for (const path of ['/lib', '/lib64', '/lib32', '/usr/lib', '/usr/lib64', '/usr/lib32']) {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else if (stat.isDirectory()) args.push('--ro-bind', path, path);
  }
  return args;
}

/**
 * The few devices a runtime uses (libc, V8 and libvips read random bytes; /dev/null for discarded
 * output): each the host's own node, as bubblewrap's `--dev` would bind it, without the rest of
 * `--dev`'s /dev (a devpts instance, /dev/shm, the /dev/fd links), which costs more to build on every start.
 */
function deviceArgs(): string[] {
  return ['null', 'zero', 'full', 'random', 'urandom'].flatMap((name) => [
    '--dev-bind',
    `/dev/${name}`,
    `/dev/${name}`,
  ]);
}

export interface LaunchInput {
  readonly isolation: Isolation;
  readonly bootstrap: string;
  /** Real paths: the function's code and the runtime-provided node_modules. */
  readonly codeDir: string;
  readonly nodeModules: string;
  /** Seat belt only: the host directory used as the environment's /tmp. */
  readonly hostTmpDir?: string;
  /** EphemeralStorage in bytes (the wall's /tmp size). */
  readonly tmpBytes: number;
  readonly heapMb: number;
  /** Wall only: the host Unix socket that reaches the local cloud's endpoint. */
  readonly endpointSocket?: string;
  /** Wall only: a host directory of the cloud's own where the sandbox's /etc/passwd is written. */
  readonly runtimeDir: string;
}

export interface LaunchPlan {
  readonly command: string;
  readonly args: readonly string[];
  /** The environment's /tmp as the function sees it. */
  readonly tmpDir: string;
  /** LAMBDA_TASK_ROOT as the function sees it: /var/task inside the wall, the code folder itself under the seat belt. */
  readonly taskRoot: string;
  /** Generations between the spawned process and the Node.js runtime (bwrap → init → node). */
  readonly runtimeDepth: number;
}

/** The command line that starts one execution environment. */
export function launchPlan(input: LaunchInput): LaunchPlan {
  const walled = input.isolation.mode === 'bwrap';
  const tmpDir = walled ? '/tmp' : input.hostTmpDir;
  if (tmpDir === undefined) throw new Error('The seat belt needs a host directory for /tmp');
  const taskRoot = walled ? SANDBOX_TASK_ROOT : input.codeDir;
  const nodeArgs = [
    '--permission',
    `--allow-fs-read=${input.bootstrap}`,
    `--allow-fs-read=${taskRoot}`,
    `--allow-fs-read=${input.nodeModules}`,
    `--allow-fs-read=${tmpDir}`,
    `--allow-fs-write=${tmpDir}`,
    // sharp is a native (N-API) addon; the bootstrap lets process.dlopen load addons from the
    // runtime-provided modules only. No --allow-child-process, --allow-worker, --allow-wasi.
    '--allow-addons',
    // node:sqlite opens files outside the permission model.
    '--no-experimental-sqlite',
    '--disable-warning=SecurityWarning',
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${input.heapMb}`,
    input.bootstrap,
    input.nodeModules,
  ];
  if (!walled) {
    return { command: process.execPath, args: nodeArgs, tmpDir, taskRoot, runtimeDepth: 0 };
  }
  const bwrap = input.isolation.bwrap;
  if (bwrap === undefined) throw new Error('No bubblewrap executable');
  const readOnly = (path: string) => ['--ro-bind', path, path];
  // Every bind is a mount bubblewrap makes (and re-reads the mount table for) on every start:
  // as few as will do. The Node.js runtime's folder only when node_modules does not hold it already.
  const runtimeBinDir = dirname(process.execPath);
  const within = (path: string, root: string) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
  };
  const args = [
    ...namespaceArgs(),
    ...systemLibraryArgs(),
    '--proc',
    '/proc',
    ...deviceArgs(),
    '--ro-bind',
    sandboxEtc(input.runtimeDir),
    '/etc',
    // /tmp first: the binds below may lie under it (temporary data directories do).
    '--perms',
    '1777',
    '--size',
    String(input.tmpBytes),
    '--tmpfs',
    '/tmp',
    ...(within(runtimeBinDir, input.nodeModules) ? [] : readOnly(runtimeBinDir)),
    ...readOnly(input.bootstrap),
    ...readOnly(input.nodeModules),
    '--ro-bind',
    input.codeDir,
    SANDBOX_TASK_ROOT,
    ...(input.endpointSocket ? ['--bind', input.endpointSocket, SANDBOX_ENDPOINT_SOCKET] : []),
    '--chdir',
    SANDBOX_TASK_ROOT,
    '--',
    process.execPath,
    ...nodeArgs,
  ];
  return { command: bwrap, args, tmpDir, taskRoot, runtimeDepth: 2 };
}

/**
 * The wall's /etc, one folder of the cloud's own bound whole: the user the runtime runs as, so that
 * os.userInfo() and os.homedir() answer as on AWS, and `localhost`, should the endpoint be named so.
 */
function sandboxEtc(runtimeDir: string): string {
  const etc = join(runtimeDir, 'etc');
  const passwd = join(etc, 'passwd');
  if (!existsSync(passwd)) {
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'hosts'), '127.0.0.1 localhost\n::1 localhost\n');
    writeFileSync(passwd, `sbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/home/sbx_user1051:/sbin/nologin\n`);
  }
  return etc;
}
