/**
 * Steps that run right after an import, in the import's worker, for each new dataset: column
 * profiling and PII detection, the full-text search index, identity keys for linkage. Each step
 * is one line here; each owns its progress `step` name.
 */
import type { ImportResult } from '../../../shared/api';
import { identityKeysStep } from '../linkage/keys';
import { profileStep } from '../profile';
import { searchIndexStep } from '../query/search';
import type { WritableDB } from '../store/types';
import type { JobHooks } from './registry';

export type PostImportStep = (
  db: WritableDB,
  datasetId: number,
  hooks: JobHooks,
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
): Promise<void> {
  for (const d of result.datasets) {
    if (d.status !== 'ready' && d.status !== 'incomplete') continue;
    for (const step of POST_IMPORT_STEPS) {
      hooks.signal.throwIfAborted();
      await step(db, d.id, hooks);
    }
  }
}
