import { z } from 'astro/zod';

/** The four kinds of application the workbook teaches, after AWS's "Building applications with Lambda". */
export const SCENARIO_CATEGORIES = ['file-processing', 'data-and-analytics', 'websites', 'mobile-apps'] as const;

/** Extra frontmatter a scenario lesson carries, on top of Starlight's own fields. */
export const lessonSchema = z.object({
  scenario: z
    .object({
      /** Folder name under `scenarios/`, e.g. `thumbnails`. */
      id: z.string().regex(/^[a-z0-9-]+$/, 'a scenario id is the folder name: lowercase letters, digits and dashes'),
      /** Which kind of application this is. */
      category: z.enum(SCENARIO_CATEGORIES),
      /** The AWS service that invokes the function, e.g. "Amazon S3". */
      eventSource: z.string().min(1),
      /** How the function is invoked: pushed by the source (async or sync) or polled. */
      invocation: z.enum(['push-async', 'push-sync', 'poll', 'direct-sync']),
      /** The event flow, one step per entry, in the order it happens. */
      flow: z.array(z.string().min(1)).min(2),
    })
    .optional(),
});

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
