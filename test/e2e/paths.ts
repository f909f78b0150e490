/** Where the e2e run keeps its artefacts (all under the gitignored test-results/). */
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results', 'e2e');
/** The renderer built by global-setup.ts for this run (never touches out/). */
export const E2E_RENDERER_DIR = join(RESULTS_DIR, 'renderer');
export { CHROMIUM } from '../helpers/chromium';
