// A Vite plugin for the workbench's lazy loading. Astro puts the CSS of every module a page's
// scripts can reach — dynamically imported ones included — into the page's first load, so the
// stylesheets of Monaco (imported by its own modules) and of the workbench would be downloaded by
// every lesson page before anyone opens the workbench. This plugin turns those CSS imports into
// JavaScript that adds the (Vite-processed) CSS text to the page when the importing module runs.
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const PREFIX = '\0lazy-css:';
const SUFFIX = '.lazy.js';
const INJECT = fileURLToPath(new URL('./inject-style.ts', import.meta.url));

/** CSS imported by modules under these paths (absolute path fragments) loads with its importer. */
export const LAZY_CSS_PATHS = ['/node_modules/monaco-editor/', '/site/components/workbench/'];

/** The plugin: `import './x.css'` from a lazy module → `injectStyle(<x.css as text>)`. */
export function lazyCss(paths: readonly string[] = LAZY_CSS_PATHS): Plugin {
  const lazy = (id: string) => paths.some((path) => id.replaceAll('\\', '/').includes(path));
  return {
    name: 'workbench-lazy-css',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/\.css$/.test(source) || importer.startsWith(PREFIX)) return null;
      if (!lazy(importer)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external || !lazy(resolved.id)) return null;
      // Ends in .js: an id ending in .css would be handled as a stylesheet by Vite's CSS plugin.
      return `${PREFIX}${resolved.id}${SUFFIX}`;
    },
    load(id) {
      if (!id.startsWith(PREFIX) || !id.endsWith(SUFFIX)) return null;
      const file = id.slice(PREFIX.length, -SUFFIX.length);
      const name = file.split('/').slice(-2).join('/');
      return [
        `import css from ${JSON.stringify(`${file}?inline`)};`,
        `import { injectStyle } from ${JSON.stringify(INJECT)};`,
        `injectStyle(css, ${JSON.stringify(name)});`,
      ].join('\n');
    },
  };
}
