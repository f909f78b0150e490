/**
 * Duplicate and overlap figures for the report, read from the linkage tables when they exist
 * (identity keys per record, as the query engine's linkage filters use them). The report says
 * plainly when linkage has not been run rather than showing zeros.
 *
 * Read-only; every query is guarded: a linkage schema other than the one expected yields a note,
 * never a failed export.
 */
import type { ReadableDB } from '../store/types';

export interface LinkageFigures {
  duplicates: { records: number; groups: number | null } | null;
  overlaps: { dataset: string; records: number; share: number; verdict: string | null }[];
  notes: string[];
}

function hasTable(db: ReadableDB, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

export function linkageFigures(
  db: ReadableDB,
  dataset: { id: number; rows: number },
): LinkageFigures | null {
  if (!hasTable(db, 'identity_keys')) return null;
  const notes: string[] = [];
  let duplicates: LinkageFigures['duplicates'] = null;
  const overlaps: LinkageFigures['overlaps'] = [];
  try {
    const dup = db
      .prepare(
        `SELECT count(DISTINCT k1.row_id) AS records FROM identity_keys k1
         WHERE k1.dataset_id = ? AND EXISTS (SELECT 1 FROM identity_keys k2
           WHERE k2.dataset_id = k1.dataset_id AND k2.kind = k1.kind AND k2.key = k1.key AND k2.row_id <> k1.row_id)`,
      )
      .get(dataset.id) as { records: number };
    duplicates = { records: dup.records, groups: null };
    const others = db
      .prepare('SELECT id, name FROM datasets WHERE id <> ? ORDER BY id')
      .all(dataset.id) as { id: number; name: string }[];
    const overlap = db.prepare(
      `SELECT count(DISTINCT k1.row_id) AS records FROM identity_keys k1
       WHERE k1.dataset_id = ? AND EXISTS (SELECT 1 FROM identity_keys k2
         WHERE k2.dataset_id = ? AND k2.kind = k1.kind AND k2.key = k1.key)`,
    );
    const verdictStmt = hasTable(db, 'overlap_verdicts')
      ? db.prepare(
          'SELECT verdict FROM overlap_verdicts WHERE (a_dataset = ? AND b_dataset = ?) OR (a_dataset = ? AND b_dataset = ?) LIMIT 1',
        )
      : null;
    for (const o of others) {
      const r = overlap.get(dataset.id, o.id) as { records: number };
      if (r.records === 0) continue;
      let verdict: string | null = null;
      try {
        const v = verdictStmt?.get(dataset.id, o.id, o.id, dataset.id) as
          { verdict: string } | undefined;
        verdict = v?.verdict ?? null;
      } catch {
        verdict = null;
      }
      overlaps.push({
        dataset: o.name,
        records: r.records,
        share: dataset.rows ? r.records / dataset.rows : 0,
        verdict,
      });
    }
  } catch (e) {
    notes.push(`linkage figures could not be read (${(e as Error).message})`);
  }
  return { duplicates, overlaps, notes };
}
