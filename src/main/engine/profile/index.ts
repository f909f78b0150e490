/**
 * Column profiling and PII detection (DESIGN.md "profile"): the public surface of the module.
 *
 * - `runProfile` profiles one dataset in one streaming read of its table and stores the result
 *   (the job body of `profile.run`, and the post-import step's fallback);
 * - `ImportProfiles` accumulates the profiles in the import's own pass, which `profileStep`
 *   then finishes and stores (./import-pass.ts);
 * - `loadProfile` reads a stored profile back (`profile.get`);
 * - validators (./validators) stay usable on their own by the linkage and the test generator.
 */
import type { DatasetProfile } from '../../../shared/api';
import type { JobHooks } from '../jobs/registry';
import { findDataset } from '../import/repo';
import type { WritableDB } from '../store/types';
import type { ImportProfiles } from './import-pass';
import { profileDataset, profileFromPass, type ProfileHooks } from './profiler';
import { saveProfile } from './store';

export { profileDataset, profileFromPass, PROFILER_VERSION, SAMPLE_RECORDS } from './profiler';
export { ImportProfiles } from './import-pass';
export { defaultPassWorkerUrl } from './pass-thread';
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

/**
 * Post-import step: every new dataset is profiled in the import's worker. When the import's pass
 * accumulated the dataset (`pass`), only the decisions are left; otherwise the table is read.
 */
export async function profileStep(
  db: WritableDB,
  datasetId: number,
  hooks: JobHooks,
  pass: ImportProfiles | null = null,
): Promise<void> {
  const acc = pass?.take(datasetId) ?? null;
  const profile = acc ? await profileFromPass(db, datasetId, acc, hooks) : null;
  if (profile) saveProfile(db, profile);
  else await runProfile(db, datasetId, hooks);
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
