// The lessons of a long suite split over two test files, so the e2e run's workers share the work.
// A new scenario lands in the second half (its file runs every scenario from the third on).
import { SCENARIO_IDS } from '../../../scenarios/catalog.ts';

export const FIRST_LESSONS = SCENARIO_IDS.slice(0, 2);
export const LATER_LESSONS = SCENARIO_IDS.slice(2);
