/**
 * A record's identity keys as one row (linkage/record-keys.ts, migration 0130): the layout the
 * code writes is the table the migration created, and folding keys into record rows keeps every
 * key of a record, once, whatever mix of kinds, repeats and kinds without a column it holds.
 */
import { describe, expect, it } from 'vitest';
import { KeyBuffer } from '../../../src/main/engine/linkage/key-buffer';
import { keyHash } from '../../../src/main/engine/linkage/hash';
import {
  RECORD_KEY_COLUMNS,
  RECORD_KEY_SLOT,
  recordInserter,
} from '../../../src/main/engine/linkage/record-keys';
import { KEY_KIND_CODE, KEY_KINDS } from '../../../src/main/engine/linkage/kinds';
import { Rng } from '../../fixtures/gen/prng';
import { createTestCase } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';
import { columns, keyRows } from '../migrations/linkage-helpers';

const dir = scratchDir();

describe('record keys', () => {
  it('names the columns of the record table, a column for every kind', () => {
    const { db } = createTestCase(dir);
    expect(columns(db, 'identity_key_records')).toEqual([
      'dataset_id',
      'row_id',
      'dob',
      ...RECORD_KEY_COLUMNS.map((c) => c.column),
    ]);
    expect(RECORD_KEY_COLUMNS.map((c) => c.code)).toEqual(KEY_KINDS.map((k) => KEY_KIND_CODE[k]));
    // The view reads each column back under its kind's code.
    const view = db
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'identity_key_record_keys'")
      .pluck()
      .get() as string;
    for (const c of RECORD_KEY_COLUMNS) expect(view).toContain(`${c.code}, ${c.column}, dob`);
    expect(RECORD_KEY_SLOT[99]).toBe(-1);
  });

  it('folds keys into one row per record and the rest into the extras, losing none', () => {
    const { db } = createTestCase(dir);
    db.exec(`
      INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
        VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
      INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at)
        VALUES (7, 1, 'a', '', 'ds_7', 0, 'ready', 'now');
    `);
    const rng = new Rng(5);
    const rnd = () => rng.nextUint32();
    const buffer = new KeyBuffer(4);
    const expected = new Set<string>();
    const hash = [0, 0];
    const codes = [...RECORD_KEY_COLUMNS.map((c) => c.code), 99];
    for (let row = 1; row <= 3000; row++) {
      if (rnd() % 7 === 0) continue; // records without keys have no row
      const dob = rnd() % 4 === 0 ? null : 19_000_101 + (rnd() % 1_000_000);
      const n = 1 + (rnd() % 12);
      for (let k = 0; k < n; k++) {
        const kind = codes[rnd() % codes.length]!;
        // Few values per kind, so that a record often repeats a key or holds two of a kind.
        keyHash(`v${rnd() % 3}`, hash);
        buffer.push(kind, hash[0]!, hash[1]! >>> 0, row, dob);
        const key = (BigInt(hash[0]!) << 32n) | BigInt(hash[1]! >>> 0);
        expected.add(`7 ${row} ${kind} ${key} ${dob ?? 'null'}`);
      }
    }
    const records = recordInserter(db, '7');
    const extras = db.prepare(
      'INSERT OR IGNORE INTO identity_key_extras (dataset_id, row_id, kind, key, dob) VALUES (7, ?, ?, (? << 32) | ?, ?)',
    );
    // In two pages, as an extraction hands them over.
    const half = buffer.row.indexOf(1500);
    const pages = [0, half > 0 ? half : buffer.length];
    db.transaction(() => {
      for (const from of pages) {
        const page = new KeyBuffer();
        page.append({
          records: 0,
          length: (from === 0 ? pages[1]! : buffer.length) - from,
          kind: buffer.kind.subarray(from),
          hiFlipped: buffer.hiFlipped.subarray(from),
          lo: buffer.lo.subarray(from),
          row: buffer.row.subarray(from),
          dob: buffer.dob.subarray(from),
        });
        for (const i of records.add(page, 0)) {
          const d = page.dob[i]!;
          extras.run(page.row[i], page.kind[i], page.hi(i), page.lo[i], d < 0 ? null : d);
        }
      }
      records.flush();
    })();
    const stored = keyRows(db, 'identity_key_record_keys').map((r) =>
      r.endsWith(' ') ? `${r}null` : r,
    );
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.sort()).toEqual([...expected].sort());
    // The extras hold only what no column could: kind 99, and second keys of a kind.
    const spill = db
      .prepare('SELECT count(*) FROM identity_key_extras WHERE kind <> 99')
      .pluck()
      .get() as number;
    expect(spill).toBeGreaterThan(0);
    expect(
      db
        .prepare(
          `SELECT count(*) FROM identity_key_extras x JOIN identity_key_records r USING (dataset_id, row_id)
           WHERE x.kind = 1 AND x.key = r.email`,
        )
        .pluck()
        .get(),
    ).toBe(0);
  });
});
