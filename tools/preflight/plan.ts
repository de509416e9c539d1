// What the preflight does about missing system tools, as a pure decision: nothing, install the
// packages itself (root with apt, as on CI and this kind of machine), or print the one command
// for the platform and stop.
import type { ToolName } from './discover.ts';

export type PackageManager = 'apt' | 'dnf' | 'brew';

export interface Platform {
  /** `process.platform`. */
  readonly os: string;
  /** `ID` and `ID_LIKE` of /etc/os-release (e.g. `['ubuntu', 'debian']`); empty elsewhere. */
  readonly distro: readonly string[];
  readonly isRoot: boolean;
  /** The package managers on PATH. */
  readonly managers: readonly PackageManager[];
}

export type Plan =
  | { readonly action: 'ok' }
  | { readonly action: 'install'; readonly manager: 'apt'; readonly missing: ToolName[]; readonly packages: string[] }
  | {
      readonly action: 'instruct';
      readonly missing: ToolName[];
      /** The command that installs them, or undefined when this platform has none we know. */
      readonly command?: string;
    };

/** The tools the suite needs here: bubblewrap only on Linux (elsewhere the runtime has no wall). */
export function requiredTools(platform: Platform): ToolName[] {
  return platform.os === 'linux' ? ['chromium', 'aws', 'python', 'bwrap'] : ['chromium', 'aws', 'python'];
}

/** The package of each tool, per package manager (Ubuntu names its Chromium package differently). */
export function packageFor(tool: ToolName, manager: PackageManager, platform: Platform): string {
  switch (manager) {
    case 'apt':
      return {
        chromium: platform.distro[0] === 'ubuntu' ? 'chromium-browser' : 'chromium',
        // Debian 12's awscli is version 2 (2.9); Ubuntu's older releases ship version 1.
        aws: 'awscli',
        python: 'python3-boto3',
        bwrap: 'bubblewrap',
      }[tool];
    case 'dnf':
      return { chromium: 'chromium', aws: 'awscli2', python: 'python3-boto3', bwrap: 'bubblewrap' }[tool];
    case 'brew':
      return { chromium: '--cask chromium', aws: 'awscli', python: 'boto3', bwrap: '' }[tool];
  }
}

/** The package manager to use on this platform, if we know one. */
export function managerFor(platform: Platform): PackageManager | undefined {
  const has = (manager: PackageManager) => platform.managers.includes(manager);
  if (platform.os === 'darwin') return has('brew') ? 'brew' : undefined;
  if (platform.os !== 'linux') return undefined;
  if (has('apt') && platform.distro.some((id) => id === 'debian' || id === 'ubuntu')) return 'apt';
  if (has('dnf') && platform.distro.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) return 'dnf';
  return has('apt') ? 'apt' : has('dnf') ? 'dnf' : undefined;
}

/** The one command that installs `missing` with `manager`. */
export function installCommand(
  manager: PackageManager,
  missing: readonly ToolName[],
  platform: Platform,
): string | undefined {
  const sudo = platform.isRoot ? '' : 'sudo ';
  const packages = missing.map((tool) => packageFor(tool, manager, platform));
  switch (manager) {
    case 'apt':
      return `${sudo}apt-get install -y --no-install-recommends ${packages.join(' ')}`;
    case 'dnf':
      return `${sudo}dnf install -y ${packages.join(' ')}`;
    case 'brew': {
      // boto3 comes from pip on macOS; the rest from Homebrew (Chromium as a cask).
      const commands: string[] = [];
      const formulas = missing.filter((tool) => tool === 'aws').map((tool) => packageFor(tool, manager, platform));
      if (formulas.length > 0) commands.push(`brew install ${formulas.join(' ')}`);
      if (missing.includes('chromium')) commands.push('brew install --cask chromium');
      if (missing.includes('python')) commands.push('python3 -m pip install --user boto3');
      return commands.join(' && ');
    }
  }
}

/**
 * Decides what to do about the tools that were not found. Installs only as root with apt (and not
 * when told `install: false`); everywhere else prints what to run.
 */
export function planPreflight(
  found: Readonly<Record<ToolName, boolean>>,
  platform: Platform,
  { install = true }: { install?: boolean } = {},
): Plan {
  const missing = requiredTools(platform).filter((tool) => !found[tool]);
  if (missing.length === 0) return { action: 'ok' };
  const manager = managerFor(platform);
  if (manager === 'apt' && platform.isRoot && install) {
    return {
      action: 'install',
      manager,
      missing,
      packages: missing.map((tool) => packageFor(tool, manager, platform)),
    };
  }
  const command = manager ? installCommand(manager, missing, platform) : undefined;
  return { action: 'instruct', missing, ...(command ? { command } : {}) };
}
