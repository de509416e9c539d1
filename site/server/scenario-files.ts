// The files of a scenario's workspace: each function's handler and the local modules it imports
// (editable, deployed together), the infrastructure (`infra.ts`) and the sample events (read-only).
// Derived from the catalog's functions and the handlers' own imports, so a new module a handler
// imports appears in the file tree without being listed anywhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { WorkspaceFile } from '../lib/workbench-api.ts';

/** Relative imports of a TypeScript module (`import … from './x.ts'`, `export … from '../y.ts'`). */
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.\.?\/[^'"]+)['"]/g;

const toPath = (root: string, file: string) => relative(root, file).split(sep).join('/');

/** The handler of each function, then the local modules they import (transitively), in a stable order. */
function codeFiles(root: string, scenario: ScenarioId): { path: string; role: 'handler' | 'module' }[] {
  const dir = join(root, 'scenarios', scenario);
  const handlers = SCENARIOS[scenario].functions.map((fn) => join(dir, fn.source));
  const modules = new Set<string>();
  const queue = [...handlers];
  const seen = new Set<string>(handlers);
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const imported = join(dirname(file), match[1] as string);
      // Only the scenario's own code (its folder and scenarios/shared); infra and node_modules stay out.
      if (!imported.startsWith(join(root, 'scenarios') + sep) || !existsSync(imported) || seen.has(imported)) continue;
      seen.add(imported);
      modules.add(imported);
      queue.push(imported);
    }
  }
  const byScenarioFirst = (a: string, b: string) =>
    Number(!a.startsWith(dir + sep)) - Number(!b.startsWith(dir + sep)) || a.localeCompare(b);
  return [
    ...handlers.map((file) => ({ path: toPath(root, file), role: 'handler' as const })),
    ...[...modules].sort(byScenarioFirst).map((file) => ({ path: toPath(root, file), role: 'module' as const })),
  ];
}

/** Every file of the scenario's workspace with its text. */
export function scenarioFiles(root: string, scenario: ScenarioId): WorkspaceFile[] {
  const dir = join(root, 'scenarios', scenario);
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const files: WorkspaceFile[] = codeFiles(root, scenario).map(({ path, role }) => ({
    path,
    role,
    editable: true,
    content: read(path),
  }));
  const infra = `scenarios/${scenario}/infra.ts`;
  if (existsSync(join(root, infra))) files.push({ path: infra, role: 'infra', editable: false, content: read(infra) });
  const events = join(dir, 'events');
  if (existsSync(events)) {
    for (const name of readdirSync(events)
      .filter((file) => file.endsWith('.json'))
      .sort()) {
      const path = `scenarios/${scenario}/events/${name}`;
      files.push({ path, role: 'event', editable: false, content: read(path) });
    }
  }
  return files;
}

/** The paths a deploy may replace: the handlers and their modules. */
export function editablePaths(root: string, scenario: ScenarioId): Set<string> {
  return new Set(codeFiles(root, scenario).map((file) => file.path));
}
