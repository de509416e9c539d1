import { fileURLToPath } from 'node:url';

/** The repository root: where package.json, package-lock.json and node_modules live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The lock file NodejsFunction uses to find the project root and to install nodeModules. */
export const LOCK_FILE = fileURLToPath(new URL('../../../package-lock.json', import.meta.url));
