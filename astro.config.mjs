// @ts-check
import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';

// Static lesson pages; only the workbench's /api routes run on the server (prerender = false).
export default defineConfig({
  srcDir: './site',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  site: 'http://127.0.0.1:4321',
  server: { host: '127.0.0.1', port: 4321 },
  integrations: [
    starlight({
      title: 'Lambda Workbook',
      description:
        'Learn how applications are built on AWS Lambda by running them: a local cloud, real handlers, real events.',
      pagefind: true,
      lastUpdated: false,
      sidebar: [
        {
          label: 'Start here',
          items: [
            { label: 'Welcome', link: '/' },
            { slug: 'introduction' },
            { slug: 'local-cloud' },
            { slug: 'instructors' },
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
      ],
    }),
  ],
});
