// `npm run preflight`, run first by `npm test`: are the system tools the suite drives on this
// machine? As root with apt it installs what is missing (saying what); elsewhere it prints the one
// command to run and exits 1 before any test starts. `--no-install` only checks.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Discovery, describeTool, FINDERS, onPath, type ToolName } from './preflight/discover.ts';
import { type PackageManager, type Platform, planPreflight, requiredTools } from './preflight/plan.ts';

/** This machine: OS, distribution (from /etc/os-release), root or not, package managers on PATH. */
export function currentPlatform(): Platform {
  let distro: string[] = [];
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(release)?.[1] ?? '';
    distro = [field('ID'), ...field('ID_LIKE').split(' ')].filter((id) => id !== '');
  } catch {
    // Not Linux, or no os-release: no distribution to name.
  }
  const managers = (['apt', 'dnf', 'brew'] as const).filter(
    (manager: PackageManager) => onPath(manager === 'apt' ? 'apt-get' : manager).length > 0,
  );
  return { os: process.platform, distro, isRoot: process.getuid?.() === 0, managers };
}

/** What the preflight acts on; the machine's own by default (tests pass their own). */
export interface PreflightSystem {
  readonly platform: Platform;
  /** Where `tool` is (asked again after an install). */
  readonly find: (tool: ToolName) => Discovery;
  /** Runs `apt-get` with `args`; true when it exited 0. */
  readonly aptGet: (args: readonly string[]) => boolean;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

function aptGet(args: readonly string[]): boolean {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

const thisMachine = (): PreflightSystem => ({
  platform: currentPlatform(),
  find: (tool) => FINDERS[tool](),
  aptGet,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});

function describeFound(discoveries: Map<ToolName, Discovery>): string {
  return [...discoveries]
    .map(([tool, d]) => (d.found ? `${tool} ${d.found.path}${d.found.detail ? ` (${d.found.detail})` : ''}` : ''))
    .filter((text) => text !== '')
    .join(', ');
}

function describeMissing(discoveries: Map<ToolName, Discovery>, missing: readonly ToolName[]): string {
  return missing
    .map((tool) => {
      const d = discoveries.get(tool);
      const why = d && !d.found && d.rejected.length > 0 ? `\n      passed over: ${d.rejected.join('; ')}` : '';
      return `  - ${describeTool(tool)}${why}`;
    })
    .join('\n');
}

/** Runs the preflight; returns the exit code. */
export function preflight(
  { install = true }: { install?: boolean } = {},
  { platform, find, aptGet, log, error }: PreflightSystem = thisMachine(),
): number {
  const tools = requiredTools(platform);
  const discoverAll = () => new Map(tools.map((tool) => [tool, find(tool)]));
  let discoveries = discoverAll();
  const found = (d: Map<ToolName, Discovery>) =>
    Object.fromEntries(tools.map((tool) => [tool, d.get(tool)?.found !== undefined])) as Record<ToolName, boolean>;
  const plan = planPreflight(found(discoveries), platform, { install });

  if (plan.action === 'ok') {
    log(`preflight: ${describeFound(discoveries)}`);
    return 0;
  }
  if (plan.action === 'instruct') {
    error(
      [
        '',
        'preflight: the test suite drives system tools this machine does not have:',
        describeMissing(discoveries, plan.missing),
        plan.command
          ? `Install them with:\n\n    ${plan.command}\n`
          : 'Install them with your platform’s package manager.',
        'Then run `npm test` again (`npm run preflight` checks only this).',
        '',
      ].join('\n'),
    );
    return 1;
  }

  log(`preflight: installing from apt: ${plan.packages.join(' ')} (for ${plan.missing.join(', ')})`);
  const installArgs = ['install', '-y', '--no-install-recommends', ...plan.packages];
  if (!aptGet(installArgs)) {
    log('preflight: apt-get install failed; running apt-get update and trying again');
    if (!aptGet(['update']) || !aptGet(installArgs)) {
      error(`preflight: apt-get could not install ${plan.packages.join(' ')}.`);
      return 1;
    }
  }
  discoveries = discoverAll();
  const still = tools.filter((tool) => !discoveries.get(tool)?.found);
  if (still.length > 0) {
    error(`\npreflight: still missing after the install:\n${describeMissing(discoveries, still)}\n`);
    return 1;
  }
  log(`preflight: ${describeFound(discoveries)}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = preflight({ install: !process.argv.includes('--no-install') });
}
