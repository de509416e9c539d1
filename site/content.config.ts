import { defineCollection } from 'astro:content';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
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

/**
 * The exercises' statements (`scenarios/<name>/exercises/<exercise>/README.md`), rendered at build
 * time by `site/components/ExerciseList.astro`. Ids are `<name>/<exercise>`. The workbench reads the
 * same files at run time (site/server/checks/exercises.ts), with the starter, solution and check.
 */
const exercises = defineCollection({
  loader: glob({
    base: './scenarios',
    pattern: '*/exercises/*/README.md',
    generateId: ({ entry }) => entry.replace(/\/exercises\/([^/]+)\/README\.md$/, '/$1'),
  }),
  schema: z.object({ title: z.string().min(1), order: z.number().int() }),
});

/**
 * Starlight's UI strings the workbook words its own way (site/content/i18n/en.json). Defined even
 * for one string: without the collection, every build warns that "i18n" does not exist.
 */
const i18n = defineCollection({ loader: i18nLoader(), schema: i18nSchema() });

export const collections = { docs, exercises, i18n };
