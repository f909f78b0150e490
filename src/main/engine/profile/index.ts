/**
 * Column profiling and PII detection (DESIGN.md "profile"): the public surface of the module.
 *
 * - `runProfile` profiles one dataset in one streaming pass and stores the result (the job body
 *   of `profile.run`, and the post-import step that profiles every new dataset);
 * - `loadProfile` reads a stored profile back (`profile.get`);
 * - validators (./validators) stay usable on their own by the linkage and the test generator.
 */
import type { DatasetProfile } from '../../../shared/api';
import type { JobHooks } from '../jobs/registry';
import { findDataset } from '../import/repo';
import type { WritableDB } from '../store/types';
import { profileDataset, type ProfileHooks } from './profiler';
import { saveProfile } from './store';

export { profileDataset, PROFILER_VERSION, SAMPLE_RECORDS } from './profiler';
export { loadProfile, saveProfile } from './store';
export { headerHint } from './detect/headers';

/** Profiles a dataset and stores the profile and its column_pii rows. */
export async function runProfile(
  db: WritableDB,
  datasetId: number,
  hooks: ProfileHooks = {},
): Promise<DatasetProfile> {
  const profile = await profileDataset(db, datasetId, hooks);
  saveProfile(db, profile);
  return profile;
}

/** Job body of `profile.run` (kind 'profile' in jobs/registry.ts). */
export function profileJob(
  db: WritableDB,
  input: { dataset: string },
  hooks: JobHooks,
): Promise<DatasetProfile> {
  return runProfile(db, findDataset(db, input.dataset).id, hooks);
}

/** Post-import step: every new dataset is profiled in the import's worker. */
export async function profileStep(
  db: WritableDB,
  datasetId: number,
  hooks: JobHooks,
): Promise<void> {
  await runProfile(db, datasetId, hooks);
}

/**
 * What the audit log keeps of a profile: kinds and counts, never the top values or samples
 * (record values have no place in a log).
 */
export function auditSummary(p: DatasetProfile): unknown {
  return {
    dataset: p.dataset,
    rows: p.rows,
    columns: p.columns.map((c) => ({ name: c.name, kind: c.kind })),
    sensitivity: p.summary.sensitivity.level,
  };
}
