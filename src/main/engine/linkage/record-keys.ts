/**
 * The layout of a record's identity keys (migration 0130): one `identity_key_records` row per
 * record with a column per kind holding its first key of that kind, and `identity_key_extras`
 * for the rest (a second key of a kind, a kind without a column). The view
 * `identity_key_record_keys` reads both back as (dataset_id, row_id, kind, key, dob) rows.
 *
 * The columns are part of the case file format, like the kind codes: test/unit/linkage/
 * record-keys.test.ts holds this list to the table migration 0130 creates.
 */
import type { WritableDB } from '../store/types';
import { NO_DOB, type KeyBuffer } from './key-buffer';
import { KEY_KIND_CODE, KEY_KINDS } from './kinds';

/** Kinds up to this code have a column (migration 0130); any later kind goes to the extras. */
const LAST_COLUMN_CODE = 8;

/** The record table's key columns, in table order: kind code and column name (the kind's). */
export const RECORD_KEY_COLUMNS: readonly { code: number; column: string }[] = KEY_KINDS.filter(
  (kind) => KEY_KIND_CODE[kind] <= LAST_COLUMN_CODE,
)
  .map((kind) => ({ code: KEY_KIND_CODE[kind], column: kind }))
  .sort((x, y) => x.code - y.code);

/** Slot (index in RECORD_KEY_COLUMNS) of each kind code, -1 for a kind kept in the extras. */
export const RECORD_KEY_SLOT: Int8Array = (() => {
  const slots = new Int8Array(256).fill(-1);
  RECORD_KEY_COLUMNS.forEach((c, i) => (slots[c.code] = i));
  return slots;
})();

/**
 * SQL true when the record (`datasetSql`, `rowSql`) holds a key, in its record row or its
 * extras, for which `matches(kindSql, keySql, rowRef)` is true (`rowRef`: the alias of the table
 * the key was read from); `kind` limits it to one kind code (and that code's bound SQL). Spelled
 * out per column rather than through the view: a view read in a correlated subquery is
 * materialised whole, once per statement (test/unit/migrations/linkage-helpers.ts holds the plan
 * to a primary-key search per row).
 */
export function recordHasKey(
  datasetSql: string,
  rowSql: string,
  matches: (kindSql: string, keySql: string, rowRef: string) => string,
  kind?: { code: number; sql: string },
): string {
  const columns = kind
    ? RECORD_KEY_COLUMNS.filter((c) => c.code === kind.code)
    : RECORD_KEY_COLUMNS;
  const arms: string[] = [];
  if (columns.length > 0) {
    const any = columns.map((c) => `(${matches(String(c.code), `r.${c.column}`, 'r')})`);
    arms.push(
      `EXISTS (SELECT 1 FROM identity_key_records r WHERE r.dataset_id = ${datasetSql} AND r.row_id = ${rowSql} AND (${any.join(' OR ')}))`,
    );
  }
  const onKind = kind ? ` AND x.kind = ${kind.sql}` : '';
  arms.push(
    `EXISTS (SELECT 1 FROM identity_key_extras x WHERE x.dataset_id = ${datasetSql} AND x.row_id = ${rowSql}${onKind} AND ${matches('x.kind', 'x.key', 'x')})`,
  );
  return `(${arms.join(' OR ')})`;
}

/** Record rows per INSERT statement (18 bound values each). */
const INSERT_RECORDS = 100;

/**
 * Writes the record table during an extraction (linkage/keys.ts): `add` folds the keys of a
 * page, whole records in row order, into one row per record and inserts them, `flush` inserts
 * the rows still held. The dataset id is a literal (a safe integer, checked by the caller); each
 * key binds as its two 32-bit halves, combined by SQLite (a NULL half makes a NULL column).
 */
export function recordInserter(
  db: WritableDB,
  datasetSql: string,
): {
  /** Rows for the buffer's entries from `from` on; returns the entries left for the extras. */
  add(buffer: KeyBuffer, from: number): Uint32Array;
  flush(): void;
} {
  const width = RECORD_KEY_COLUMNS.length;
  const columns = RECORD_KEY_COLUMNS.map((c) => c.column).join(', ');
  const rowSql = `(${datasetSql}, ?, ?, ${new Array<string>(width).fill('(? << 32) | ?').join(', ')})`;
  const sql = (n: number) =>
    `INSERT INTO identity_key_records (dataset_id, row_id, dob, ${columns}) VALUES ${new Array<string>(n).fill(rowSql).join(', ')}`;
  const many = db.prepare(sql(INSERT_RECORDS));
  const one = db.prepare(sql(1));
  const perRow = 2 + 2 * width;
  const params: (number | null)[] = [];
  // The key held in each column for the record being folded: its entry index, or -1.
  const slotEntry = new Int32Array(width);
  const extras: number[] = [];
  return {
    add(buffer, from) {
      const { kind, lo, row, dob } = buffer;
      extras.length = 0;
      for (let i = from; i < buffer.length;) {
        const rowId = row[i]!;
        // Every key of a record carries its date of birth.
        const d = dob[i]!;
        slotEntry.fill(-1);
        let held = 0;
        for (; i < buffer.length && row[i] === rowId; i++) {
          const slot = RECORD_KEY_SLOT[kind[i]!]!;
          if (slot >= 0 && slotEntry[slot] === -1) {
            slotEntry[slot] = i;
            held++;
          } else if (slot < 0) extras.push(i);
          else {
            // A second key of the kind, unless it repeats the first (two columns, one value).
            const j = slotEntry[slot]!;
            if (buffer.hiFlipped[j] !== buffer.hiFlipped[i] || lo[j] !== lo[i]) extras.push(i);
          }
        }
        if (held === 0) continue;
        params.push(rowId, d === NO_DOB ? null : d);
        for (let s = 0; s < width; s++) {
          const e = slotEntry[s]!;
          if (e < 0) params.push(null, null);
          else params.push(buffer.hi(e), lo[e]!);
        }
        if (params.length === INSERT_RECORDS * perRow) {
          many.run(params);
          params.length = 0;
        }
      }
      return Uint32Array.from(extras);
    },
    flush() {
      for (let i = 0; i < params.length; i += perRow) one.run(params.slice(i, i + perRow));
      params.length = 0;
    },
  };
}
