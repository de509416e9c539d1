import { defineCollection } from 'astro:content';
import { docsSchema } from '@astrojs/starlight/schema';
import { glob } from 'astro/loaders';
import { lessonSchema } from './lesson-schema.ts';

/**
 * One `docs` collection for Starlight, from two places: the site's own pages
 * (`site/content/docs/`) and each scenario's lesson (`scenarios/<name>/lesson.mdx`),
 * which becomes the page `/scenarios/<name>/`.
 */
const docs = defineCollection({
  loader: glob({
    base: '.',
    pattern: ['site/content/docs/**/[^_]*.{md,mdx}', 'scenarios/*/lesson.mdx'],
    generateId: ({ entry }) => {
      const lesson = /^scenarios\/([^/]+)\/lesson\.mdx$/.exec(entry);
      if (lesson) return `scenarios/${lesson[1]}`;
      return entry.replace(/^site\/content\/docs\//, '').replace(/\.mdx?$/, '');
    },
  }),
  schema: docsSchema({ extend: lessonSchema }),
});

export const collections = { docs };
