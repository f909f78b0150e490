/**
 * Steps that run right after an import, in the import's worker, for each new dataset: column
 * profiling and PII detection, the full-text search index, identity keys for linkage. Each step
 * is one line here; each owns its progress `step` name.
 *
 * Profiling is accumulated during the import itself when the import ran with
 * `ImportProfiles.observe` (the import job does): the step then only finishes and stores it.
 */
import type { ImportResult } from '../../../shared/api';
import { identityKeysStep } from '../linkage/keys';
import { profileStep, type ImportProfiles } from '../profile';
import { searchIndexStep } from '../query/search';
import type { WritableDB } from '../store/types';
import type { JobHooks } from './registry';

export type PostImportStep = (
  db: WritableDB,
  datasetId: number,
  hooks: JobHooks,
  /** Profiles accumulated in the import's pass, if it kept them. */
  pass: ImportProfiles | null,
) => Promise<void> | void;

/** Ordered: later steps may read what earlier ones stored (linkage keys use the profile). */
export const POST_IMPORT_STEPS: readonly PostImportStep[] = [
  profileStep,
  identityKeysStep,
  searchIndexStep,
];

export async function runPostImport(
  db: WritableDB,
  result: ImportResult,
  hooks: JobHooks,
  pass: ImportProfiles | null = null,
): Promise<void> {
  for (const d of result.datasets) {
    if (d.status !== 'ready' && d.status !== 'incomplete') continue;
    for (const step of POST_IMPORT_STEPS) {
      hooks.signal.throwIfAborted();
      await step(db, d.id, hooks, pass);
    }
  }
}
