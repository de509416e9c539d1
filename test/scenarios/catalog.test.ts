// The scenario manifests: one per folder, each registered in the catalog, each naming files and
// stack outputs that exist — so a scenario added or changed in one place cannot fail silently in another.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS } from '../../scenarios/catalog.ts';

const scenariosDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

describe('the scenario catalog', () => {
  it('registers every scenario folder that has a manifest, and no other', () => {
    const folders = readdirSync(scenariosDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(scenariosDir, entry.name, 'scenario.ts')))
      .map((entry) => entry.name)
      .sort();
    expect([...SCENARIO_IDS].sort()).toEqual(folders);
  });

  describe.each(SCENARIO_IDS)('%s', (id) => {
    const entry = SCENARIOS[id];
    const infra = readFileSync(join(scenariosDir, id, 'infra.ts'), 'utf8');

    it('names handler files that exist and export a handler', () => {
      for (const fn of entry.functions) {
        const source = readFileSync(join(scenariosDir, id, fn.source), 'utf8');
        expect(source).toMatch(/export (const|async function|function) handler\b/);
        expect(fn.title).toMatch(/^[A-Z][A-Za-z]*( [a-z]+)* function$/);
      }
    });

    it('names stack outputs its infra.ts declares', () => {
      const outputs = [...entry.functions.map((fn) => fn.output), ...Object.values(entry.outputs)];
      for (const output of outputs) expect(infra, `output ${output}`).toMatch(new RegExp(`['"]${output}['"]`));
    });

    it('sends its triggers to, and presents, resources it names', () => {
      for (const key of [entry.trigger.upload, entry.trigger.table, ...Object.keys(entry.tables ?? {})]) {
        if (key !== undefined) expect(Object.keys(entry.outputs)).toContain(key);
      }
      expect(entry.stack).toBe(`LambdaWorkbook-${entry.stackPart}`);
    });

    it('opens the test-event panel on one of its own sample events', () => {
      expect(existsSync(join(scenariosDir, id, 'events', `${entry.defaultEvent}.json`))).toBe(true);
    });
  });
});
