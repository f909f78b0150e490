/**
 * Investigators' marks on records: tags ("victim contacted", "fake", "sample for report") and one
 * free-text note per record, stored in the encrypted case (migration 0080).
 *
 * Records are addressed by their row id in the dataset table (what `rows.query` returns); every
 * write first checks the ids exist, so a mark never points at nothing. When marks travel to
 * another case (session export) they are keyed by the record's `ordinal` instead, which the source
 * file defines and which is therefore the same in any case holding that file; row ids are local.
 *
 * Tag and note text is the investigator's, never a record value, so it may appear in audit
 * entries; record values never do.
 */
import { createHash } from 'node:crypto';
import { LeakscopeError } from '../../../shared/errors';
import { normaliseTag } from '../../../shared/filter';
import { sqlId } from '../store/sql';
import type { ReadableDB, WritableDB } from '../store/types';

/** The dataset a mark belongs to: its id and physical table (`ds_<id>`). */
export interface DatasetTable {
  id: number;
  name: string;
  physical: string;
}

export interface RecordFlags {
  rowId: number;
  ordinal: number;
  tags: string[];
  note: string | null;
}

/** A tag as stored (the shared normalisation: trimmed, inner whitespace collapsed), checked. */
export function cleanTag(tag: string): string {
  const t = normaliseTag(tag);
  if (t.length === 0 || t.length > 100) {
    throw new LeakscopeError('E_BAD_INPUT', `a tag must be 1 to 100 characters, got ${t.length}`);
  }
  return t;
}

/** Maps row ids to ordinals, refusing ids that are not rows of the dataset. */
export function ordinalsOf(db: ReadableDB, ds: DatasetTable, rowIds: readonly number[]) {
  const found = new Map<number, number>();
  const stmt = db.prepare(
    `SELECT id, ordinal FROM ${sqlId(ds.physical)} WHERE id IN (SELECT value FROM json_each(?))`,
  );
  for (const r of stmt.all(JSON.stringify(rowIds)) as { id: number; ordinal: number }[]) {
    found.set(r.id, r.ordinal);
  }
  const missing = [...new Set(rowIds)].filter((id) => !found.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(', ');
    throw new LeakscopeError(
      'E_NOT_FOUND',
      `dataset ${JSON.stringify(ds.name)} has no row with id ${shown}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}`,
      { missing: missing.slice(0, 100) },
    );
  }
  return found;
}

export function addTags(
  db: WritableDB,
  ds: DatasetTable,
  rowIds: readonly number[],
  tags: readonly string[],
  author: string | null,
  at: Date,
): { added: number } {
  const clean = [...new Set(tags.map(cleanTag))];
  return db
    .transaction(() => {
      ordinalsOf(db, ds, rowIds);
      const insert = db.prepare(
        'INSERT OR IGNORE INTO record_tags (dataset_id, row_id, tag, author, at) VALUES (?, ?, ?, ?, ?)',
      );
      let added = 0;
      for (const rowId of new Set(rowIds)) {
        for (const tag of clean) {
          added += insert.run(ds.id, rowId, tag, author, at.toISOString()).changes;
        }
      }
      return { added };
    })
    .immediate();
}

export function removeTags(
  db: WritableDB,
  ds: DatasetTable,
  rowIds: readonly number[],
  tags: readonly string[],
): { removed: number } {
  const clean = [...new Set(tags.map(cleanTag))];
  return db
    .transaction(() => {
      const del = db.prepare(
        'DELETE FROM record_tags WHERE dataset_id = ? AND row_id = ? AND tag = ?',
      );
      let removed = 0;
      for (const rowId of new Set(rowIds)) {
        for (const tag of clean) removed += del.run(ds.id, rowId, tag).changes;
      }
      return { removed };
    })
    .immediate();
}

/** Sets (or with null / blank text, removes) the note of one record. */
export function setNote(
  db: WritableDB,
  ds: DatasetTable,
  rowId: number,
  note: string | null,
  author: string | null,
  at: Date,
): { rowId: number; ordinal: number; hasNote: boolean } {
  return db
    .transaction(() => {
      const ordinal = ordinalsOf(db, ds, [rowId]).get(rowId)!;
      const text = note?.trim() ? note : null;
      if (text === null) {
        db.prepare('DELETE FROM record_notes WHERE dataset_id = ? AND row_id = ?').run(
          ds.id,
          rowId,
        );
      } else {
        db.prepare(
          `INSERT INTO record_notes (dataset_id, row_id, note, author, at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (dataset_id, row_id) DO UPDATE SET note = excluded.note, author = excluded.author, at = excluded.at`,
        ).run(ds.id, rowId, text, author, at.toISOString());
      }
      return { rowId, ordinal, hasNote: text !== null };
    })
    .immediate();
}

interface FlagRow {
  row_id: number;
  ordinal: number;
  tags: string | null;
  note: string | null;
}

/**
 * The marked records of a dataset in row-id order (keyset pagination on row id), optionally only
 * those with `tag` or only the given rows.
 */
export function listFlags(
  db: ReadableDB,
  ds: DatasetTable,
  options: { rowIds?: readonly number[]; tag?: string; afterRowId: number; limit: number },
): RecordFlags[] {
  const markedSql = options.tag
    ? 'SELECT row_id FROM record_tags WHERE dataset_id = $ds AND tag = $tag'
    : 'SELECT row_id FROM record_tags WHERE dataset_id = $ds UNION SELECT row_id FROM record_notes WHERE dataset_id = $ds';
  const onlyRowsSql = options.rowIds ? 'AND m.row_id IN (SELECT value FROM json_each($rows))' : '';
  const rows = db
    .prepare(
      `SELECT m.row_id, d.ordinal,
              (SELECT json_group_array(tag) FROM (SELECT tag FROM record_tags t
                 WHERE t.dataset_id = $ds AND t.row_id = m.row_id ORDER BY tag)) AS tags,
              (SELECT note FROM record_notes n WHERE n.dataset_id = $ds AND n.row_id = m.row_id) AS note
       FROM (${markedSql}) m JOIN ${sqlId(ds.physical)} d ON d.id = m.row_id
       WHERE m.row_id > $after ${onlyRowsSql}
       ORDER BY m.row_id LIMIT $limit`,
    )
    .all({
      ds: ds.id,
      after: options.afterRowId,
      limit: options.limit,
      ...(options.tag ? { tag: cleanTag(options.tag) } : {}),
      ...(options.rowIds ? { rows: JSON.stringify(options.rowIds) } : {}),
    }) as FlagRow[];
  return rows.map((r) => ({
    rowId: r.row_id,
    ordinal: r.ordinal,
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    note: r.note,
  }));
}

/** The tag vocabulary of a dataset with the number of records carrying each tag. */
export function tagCounts(db: ReadableDB, datasetId: number): { tag: string; count: number }[] {
  return db
    .prepare(
      'SELECT tag, count(*) AS count FROM record_tags WHERE dataset_id = ? GROUP BY tag ORDER BY tag',
    )
    .all(datasetId) as { tag: string; count: number }[];
}

export function countNotes(db: ReadableDB, datasetId: number): number {
  return (
    db.prepare('SELECT count(*) AS n FROM record_notes WHERE dataset_id = ?').get(datasetId) as {
      n: number;
    }
  ).n;
}

/** Marks keyed by ordinal, for carrying them to another case (session export). */
export interface PortableFlags {
  ordinal: number;
  tags: string[];
  note: string | null;
}

export function exportFlags(db: ReadableDB, ds: DatasetTable): PortableFlags[] {
  const out: PortableFlags[] = [];
  let after = 0;
  for (;;) {
    const page = listFlags(db, ds, { afterRowId: after, limit: 5000 });
    for (const f of page) out.push({ ordinal: f.ordinal, tags: f.tags, note: f.note });
    if (page.length < 5000) break;
    after = page[page.length - 1]!.rowId;
  }
  return out.sort((a, b) => a.ordinal - b.ordinal);
}

/**
 * Applies carried marks to a dataset holding the same source: tags are added (never removed),
 * a note is set only where the record has none (a colleague's note is not overwritten). Returns
 * what was applied and how many ordinals have no record here.
 */
export function importFlags(
  db: WritableDB,
  ds: DatasetTable,
  flags: readonly PortableFlags[],
  author: string | null,
  at: Date,
): { tagsAdded: number; notesAdded: number; unmatched: number } {
  return db
    .transaction(() => {
      const byOrdinal = new Map<number, number>();
      const stmt = db.prepare(
        `SELECT id, ordinal FROM ${sqlId(ds.physical)} WHERE ordinal IN (SELECT value FROM json_each(?))`,
      );
      for (const r of stmt.all(JSON.stringify(flags.map((f) => f.ordinal))) as {
        id: number;
        ordinal: number;
      }[]) {
        byOrdinal.set(r.ordinal, r.id);
      }
      const tag = db.prepare(
        'INSERT OR IGNORE INTO record_tags (dataset_id, row_id, tag, author, at) VALUES (?, ?, ?, ?, ?)',
      );
      const note = db.prepare(
        'INSERT OR IGNORE INTO record_notes (dataset_id, row_id, note, author, at) VALUES (?, ?, ?, ?, ?)',
      );
      let tagsAdded = 0;
      let notesAdded = 0;
      let unmatched = 0;
      const iso = at.toISOString();
      for (const f of flags) {
        const rowId = byOrdinal.get(f.ordinal);
        if (rowId === undefined) {
          unmatched++;
          continue;
        }
        for (const t of f.tags)
          tagsAdded += tag.run(ds.id, rowId, cleanTag(t), author, iso).changes;
        if (f.note?.trim()) notesAdded += note.run(ds.id, rowId, f.note, author, iso).changes;
      }
      return { tagsAdded, notesAdded, unmatched };
    })
    .immediate();
}

/**
 * A digest of the marks a filter depends on (the given tags, and notes when `notes`), keyed by
 * ordinal so it compares across cases. Lets the fingerprint check tell "the tags changed" apart
 * from "the data changed".
 */
export function flagsDigest(
  db: ReadableDB,
  ds: DatasetTable,
  tags: readonly string[],
  notes: boolean,
): string {
  const h = createHash('sha256');
  const tagRows = db
    .prepare(
      `SELECT t.tag, d.ordinal FROM record_tags t JOIN ${sqlId(ds.physical)} d ON d.id = t.row_id
       WHERE t.dataset_id = ? AND t.tag IN (SELECT value FROM json_each(?))
       ORDER BY t.tag, d.ordinal`,
    )
    .all(ds.id, JSON.stringify([...new Set(tags)].map(cleanTag))) as {
    tag: string;
    ordinal: number;
  }[];
  for (const r of tagRows) h.update(`t\t${r.tag}\t${r.ordinal}\n`);
  if (notes) {
    const noteRows = db
      .prepare(
        `SELECT d.ordinal FROM record_notes n JOIN ${sqlId(ds.physical)} d ON d.id = n.row_id
         WHERE n.dataset_id = ? ORDER BY d.ordinal`,
      )
      .all(ds.id) as { ordinal: number }[];
    for (const r of noteRows) h.update(`n\t${r.ordinal}\n`);
  }
  return h.digest('hex');
}
