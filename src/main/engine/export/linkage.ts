/**
 * Duplicate and overlap figures for the report, from the linkage capability (issue 5): the
 * dataset's duplicates (exact copies, records sharing a strong identity key, unique people) and
 * its overlap with every other dataset of the case that has identity keys, with the rehash
 * verdict ("new", "repackaged", "partial overlap", "likely fabricated") in the linkage module's
 * own words. Computed on demand (read-only) when the report is written; the report says plainly
 * when the dataset has no identity keys rather than showing zeros.
 *
 * Only counts, key kinds, dataset names and verdict sentences are taken: never the duplicate
 * groups' keys or ordinals (group keys are record values).
 */
import { findDuplicates } from '../linkage/duplicates';
import { hasKeys } from '../linkage/keys';
import { computeOverlap } from '../linkage/overlap';
import type { ReadableDB } from '../store/types';

export interface LinkageFigures {
  duplicates: {
    exactDuplicateRecords: number;
    uniquePeople: number;
    recordsSharingKeys: number;
    groupsTotal: number;
    headline: string;
    byKey: Record<string, number>;
  } | null;
  overlaps: { dataset: string; records: number; share: number; byKey: Record<string, number> }[];
  verdicts: { dataset: string; verdict: string; text: string; rule: string }[];
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
  dataset: { id: number; name: string; rows: number },
): LinkageFigures | null {
  if (!hasTable(db, 'identity_keysets') || !hasKeys(db, dataset.id)) return null;
  const notes: string[] = [];
  try {
    const dup = findDuplicates(db, dataset, { limit: 0 });
    const others = (
      db
        .prepare('SELECT id, name, rows FROM datasets WHERE id <> ? ORDER BY id')
        .all(dataset.id) as {
        id: number;
        name: string;
        rows: number;
      }[]
    ).filter((d) => hasKeys(db, d.id));
    const overlap = others.length ? computeOverlap(db, dataset, others) : null;
    if (!others.length)
      notes.push('no other dataset of the case has identity keys to compare with');
    return {
      duplicates: {
        exactDuplicateRecords: dup.exactDuplicateRecords,
        uniquePeople: dup.uniquePeople,
        recordsSharingKeys: dup.recordsSharingKeys,
        groupsTotal: dup.groupsTotal,
        headline: dup.headline,
        byKey: dup.byKey,
      },
      overlaps: (overlap?.pairs ?? []).map((p) => ({
        dataset: p.b,
        records: p.records,
        share: p.share,
        byKey: p.byKey,
      })),
      verdicts: (overlap?.verdicts ?? []).map((v) => ({
        dataset: v.dataset,
        verdict: v.verdict,
        text: v.text,
        rule: v.rule,
      })),
      notes,
    };
  } catch (e) {
    return {
      duplicates: null,
      overlaps: [],
      verdicts: [],
      notes: [`linkage figures could not be computed (${(e as Error).message})`],
    };
  }
}
