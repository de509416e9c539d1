// Guard run first by every npm script: the project needs the Node 24 it pins
// (the `node` devDependency, whose install script puts node_modules/.bin/node in place).
// Plain .mjs on purpose, so that an older system Node can run it and explain.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REQUIRED_MAJOR = 24;

/**
 * @param {string} version the running Node.js version, e.g. `20.20.2`
 * @param {boolean} pinnedInstalled whether node_modules/.bin/node exists
 * @returns {string | undefined} why the project cannot run, or undefined when it can
 */
export function nodeVersionProblem(version, pinnedInstalled) {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_MAJOR) return undefined;
  const why = pinnedInstalled
    ? 'node_modules/.bin/node exists but is not the one running: start the project through npm (npm start, npm test, npm run …).'
    : 'The pinned runtime (the `node` devDependency) is missing: its install script did not run, ' +
      'for example after `npm install --ignore-scripts`, or `allowScripts` in package.json was changed.';
  return [
    `Lambda Workbook needs Node.js ${REQUIRED_MAJOR}, but this is Node.js ${version}.`,
    why,
    'Fix: run `npm install` (or `npm ci`) in the project folder with scripts enabled, then try again.',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const problem = nodeVersionProblem(process.versions.node, existsSync(join(root, 'node_modules', '.bin', 'node')));
  if (problem !== undefined) {
    console.error(`\n${problem}\n`);
    process.exit(1);
  }
}
