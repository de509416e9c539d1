// The workbook's scenarios: each folder's manifest (`scenarios/<id>/scenario.ts`, see
// ./manifest.ts), in reading order. A new scenario is its folder plus one line here.
import type { ScenarioFunction, ScenarioManifest, TablePresentation } from './manifest.ts';
import { scenario as mobileClicks } from './mobile-clicks/scenario.ts';
import { scenario as streamMetrics } from './stream-metrics/scenario.ts';
import { scenario as thumbnails } from './thumbnails/scenario.ts';
import { scenario as webBackend } from './web-backend/scenario.ts';

const MANIFESTS = [thumbnails, streamMetrics, webBackend, mobileClicks] as const;

export type { ScenarioFunction, ScenarioManifest, TablePresentation };
export type ScenarioId = (typeof MANIFESTS)[number]['id'];

/** Ids of the scenarios (their folder names under `scenarios/`), in reading order. */
export const SCENARIO_IDS: readonly ScenarioId[] = MANIFESTS.map((manifest) => manifest.id);

export interface ScenarioEntry extends ScenarioManifest<ScenarioId> {
  /** Stack name in the local cloud and in a single-learner sandbox (class mode prefixes it per learner). */
  readonly stack: string;
}

function byId(): Readonly<Record<ScenarioId, ScenarioEntry>> {
  const entries: Partial<Record<ScenarioId, ScenarioEntry>> = {};
  for (const manifest of MANIFESTS)
    entries[manifest.id] = { ...manifest, stack: `LambdaWorkbook-${manifest.stackPart}` };
  return entries as Record<ScenarioId, ScenarioEntry>;
}

export const SCENARIOS = byId();

export const isScenarioId = (value: string): value is ScenarioId => (SCENARIO_IDS as readonly string[]).includes(value);
