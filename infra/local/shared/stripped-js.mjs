// The project's TypeScript, run as JavaScript stripped ahead of time. Node strips types itself
// with amaro (swc compiled to WebAssembly), which stays loaded for the life of the process: about
// 20-30 MiB of an idle local cloud's memory. Stripped once into a cache, the cloud never loads it.
//
//   node infra/local/shared/stripped-js.mjs          strips the project's .ts files into the cache
//                                                    (only those that changed)
//   node --import ./infra/local/shared/stripped-js.mjs <entry>.ts
//                                                    loads each .ts module from the cache when the
//                                                    cached copy is of the file's current content;
//                                                    otherwise Node strips it as usual
//
// Types are replaced by blanks (Node's 'strip' mode), so every line and column stays where it was
// and modules keep their own URLs: stack traces point into the .ts sources, `import.meta.url`
// is unchanged, and no source map is needed.
//
// Plain JavaScript, importing only node: modules: it runs before any TypeScript can.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'lambda-workbook-js');
/** The project's source folders whose TypeScript runs under Node (tests run through Vitest instead). */
const SOURCE_DIRS = ['infra', 'site', 'scenarios', 'tools', 'bench'];
/** Ends every cached file: the digest of the source it was stripped from. */
const STAMP = '\n//# stripped-from=';

const digest = (source) => createHash('sha1').update(source).digest('base64url');
const cachePathOf = (file) => join(CACHE_DIR, `${relative(PROJECT_ROOT, file)}.js`);

function isProjectSource(file) {
  const rel = relative(PROJECT_ROOT, file);
  return rel !== '' && !rel.startsWith('..') && !rel.split(sep).includes('node_modules');
}

/** The cached JavaScript of `file` when it was stripped from exactly `source`; undefined otherwise. */
export function cachedJavaScript(file, source) {
  let cached;
  try {
    cached = readFileSync(cachePathOf(file), 'utf8');
  } catch {
    return undefined;
  }
  const at = cached.lastIndexOf(STAMP);
  if (at === -1 || cached.slice(at + STAMP.length) !== digest(source)) return undefined;
  return cached;
}

/** Strips `file` into the cache unless its cached copy is current. True when it wrote one. */
export function stripIntoCache(file) {
  const source = readFileSync(file, 'utf8');
  if (cachedJavaScript(file, source) !== undefined) return false;
  const code = stripTypeScriptTypes(source, { mode: 'strip' });
  const target = cachePathOf(file);
  mkdirSync(dirname(target), { recursive: true });
  // Written whole then renamed: a process loading at the same moment never reads half a file.
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${code}${STAMP}${digest(source)}`);
  renameSync(temporary, target);
  return true;
}

function* typeScriptFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) yield* typeScriptFiles(path);
    } else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

/** Strips every project .ts file that changed since it was last cached; returns what it did. */
export function buildCache() {
  let written = 0;
  let current = 0;
  const failed = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of typeScriptFiles(join(PROJECT_ROOT, dir))) {
      try {
        if (stripIntoCache(file)) written += 1;
        else current += 1;
      } catch (error) {
        // Syntax Node cannot strip: left to Node, which reports it where the module is loaded.
        failed.push(`${relative(PROJECT_ROOT, file)}: ${error.message.split('\n')[0]}`);
      }
    }
  }
  return { written, current, failed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // stripTypeScriptTypes warns that it is experimental; this tool knows.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name !== 'ExperimentalWarning') console.warn(warning);
  });
  const { written, current, failed } = buildCache();
  if (process.argv.includes('--verbose') || failed.length > 0) {
    console.error(`stripped-js: ${written} stripped, ${current} current, ${failed.length} left to Node`);
    for (const line of failed) console.error(`  ${line}`);
  }
} else {
  registerHooks({
    load(url, context, nextLoad) {
      if (context.format === 'module-typescript' && url.startsWith('file:')) {
        const file = fileURLToPath(url);
        if (isProjectSource(file)) {
          const code = cachedJavaScript(file, readFileSync(file, 'utf8'));
          if (code !== undefined) return { format: 'module', source: code, shortCircuit: true };
        }
      }
      return nextLoad(url, context);
    },
  });
}
