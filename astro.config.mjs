// @ts-check
import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { lazyCss } from './site/components/workbench/vite-lazy-css.ts';

// Static lesson pages; only the workbench's /api routes run on the server (prerender = false).
export default defineConfig({
  srcDir: './site',
  // Not srcDir-relative: without this, site/public (the favicon, the tour's screenshots) is not served.
  publicDir: './site/public',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  site: 'http://127.0.0.1:4321',
  server: { host: '127.0.0.1', port: 4321 },
  // The workbench's stylesheets (and Monaco's) load with the workbench, not with every lesson page.
  vite: { plugins: [lazyCss()] },
  integrations: [
    starlight({
      title: 'Lambda Workbook',
      description:
        'Learn how applications are built on AWS Lambda by running them: a local cloud, real handlers, real events.',
      pagefind: true,
      // Long lines wrap instead of scrolling: no scroll box a keyboard user would have to reach.
      expressiveCode: { defaultProps: { wrap: true } },
      customCss: ['./site/styles/content.css'],
      // Our own search dialog over Pagefind's JS API, loaded on the first intent to search, never with the page.
      components: { Search: './site/components/Search.astro' },
      lastUpdated: false,
      sidebar: [
        {
          label: 'Start here',
          items: [
            { label: 'Welcome', link: '/' },
            { slug: 'introduction' },
            { slug: 'workbench-tour' },
            { slug: 'local-cloud' },
            { slug: 'security-model' },
          ],
        },
        {
          label: 'Scenarios',
          items: [
            { slug: 'scenarios/thumbnails' },
            { slug: 'scenarios/stream-metrics' },
            { slug: 'scenarios/web-backend' },
            { slug: 'scenarios/mobile-clicks' },
          ],
        },
        // After the scenarios, so the pages' Previous/Next links follow the reading order: the first
        // scenario comes after the pages that introduce it, not after "Your progress".
        {
          label: 'Progress and classes',
          items: [{ slug: 'progress' }, { slug: 'instructors' }],
        },
      ],
    }),
  ],
});
