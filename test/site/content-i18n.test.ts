// Starlight reads its UI strings from an `i18n` collection; without one (or with an empty one) every
// build warned 'The collection "i18n" does not exist or is empty'. The collection is defined and
// holds the workbook's own wording, valid for Starlight's schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { i18nSchema } from '@astrojs/starlight/schema';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

describe('the i18n collection', () => {
  it('is defined with Starlight’s loader and schema', () => {
    const config = readFileSync(join(ROOT, 'site', 'content.config.ts'), 'utf8');
    expect(config).toMatch(/const i18n = defineCollection\(\{ loader: i18nLoader\(\), schema: i18nSchema\(\) \}\)/);
    expect(config).toMatch(/export const collections = \{[^}]*\bi18n\b[^}]*\}/);
  });

  it('has an English entry Starlight accepts, so the collection is not empty', () => {
    const entry: unknown = JSON.parse(readFileSync(join(ROOT, 'site', 'content', 'i18n', 'en.json'), 'utf8'));
    const parsed = i18nSchema().safeParse(entry);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(Object.keys(entry as object).length).toBeGreaterThan(0);
  });
});
