/**
 * Stored profiles: the whole DatasetProfile as JSON in `profiles`, and one `column_pii` row per
 * reported finding (migration 0040), both replaced in one transaction.
 */
import { DatasetProfile } from '../../../shared/api';
import type { ReadableDB, WritableDB } from '../store/types';

export function saveProfile(db: WritableDB, p: DatasetProfile): void {
  const insertPii = db.prepare(
    'INSERT INTO column_pii (dataset_id, column_idx, kind, confidence, share) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare(
      'INSERT OR REPLACE INTO profiles (dataset_id, version, profiled_at, profile) VALUES (?, ?, ?, ?)',
    ).run(p.datasetId, p.version, p.profiledAt, JSON.stringify(p));
    db.prepare('DELETE FROM column_pii WHERE dataset_id = ?').run(p.datasetId);
    for (const c of p.columns) {
      for (const f of c.pii) insertPii.run(p.datasetId, c.index, f.kind, f.confidence, f.share);
    }
  }).immediate();
}

export function loadProfile(db: ReadableDB, datasetId: number): DatasetProfile | null {
  const row = db.prepare('SELECT profile FROM profiles WHERE dataset_id = ?').get(datasetId) as
    { profile: string } | undefined;
  if (!row) return null;
  const parsed = DatasetProfile.safeParse(JSON.parse(row.profile));
  // A profile written by an older profiler with another shape is treated as absent (re-run).
  return parsed.success ? parsed.data : null;
}
