/**
 * Identity keys by record in a table of their own (issue 5, "key extraction keeps import within
 * its targets").
 *
 * Up to 0110 a record's keys were found through `identity_keys_record`, an index on
 * (dataset_id, row_id) of `identity_keys`. An extraction inserts keys in primary-key order
 * (kind, key), a random order for that index: it was dropped and rebuilt by sorting every key
 * again (10.8 s of a 36.7 s extraction of 1M records, bench/RESULTS.md "Linkage"), or kept and
 * filled at random places when the case already held more keys than the dataset adds.
 *
 * Now `identity_key_records` holds the same rows keyed by (dataset_id, row_id, kind, key), with
 * the date of birth, so every record-side query stays covered. An extraction reads records in
 * row order and appends to it; it appends to `identity_keys` in primary-key order: no sort in
 * SQLite and no random insert in either B-tree, whatever the case already holds.
 *
 * The dataset's foreign key moves to `identity_key_records`. `identity_keys` keeps none: any
 * reference to `datasets` makes deleting a dataset look up its children, and without an index on
 * identity_keys (dataset_id) — one more B-tree to fill on every extraction (+3.6 s at 1M,
 * measured) — that lookup is a scan of every key of the case. A trigger takes a record-table row's
 * twin out of `identity_keys` instead (a primary-key search), so a cascade from `datasets` and
 * a re-extraction's delete stay index searches, as 0090 made them. Only linkage/keys.ts writes
 * keys, always to both tables in one transaction.
 *
 * Rebuilt without ALTER TABLE … RENAME, like 0090 (see there why): the rows are set aside in a
 * holding table in primary-key order, and copied from it into both tables. The first two copies
 * go COPY_CHUNK keys per statement, so a case with millions of keys reports how far it is (the
 * upgrade runs in a job worker, store/handlers.ts); the sort for the record table is one step.
 */
import type { MigrationStep } from './index';
import type { WritableDB } from '../types';

/** Keys moved per statement, so a large case reports its progress between them. */
export const COPY_CHUNK = 250_000;

/** `chunk`: keys per statement (a test passes a small one to cross chunk boundaries). */
export function up(db: WritableDB, _now: Date, step: MigrationStep, chunk = COPY_CHUNK): void {
  // Each copy reads its source in the order it writes: only the record table's needs a sort, with
  // SQLite's sorter on two threads (6.4M keys: 12.4 → 9.9 s). Reading the old record index for
  // that order instead costs a primary-key search per key for `dob`: 110.8 s against 32.0 s for
  // the whole migration of 6.4M keys (bench/RESULTS.md "Linkage").
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    copy(db, step, chunk);
  } finally {
    db.pragma(`threads = ${threads}`);
  }
}

type KeyTuple = [bigint, bigint, bigint, bigint];

function copy(db: WritableDB, step: MigrationStep, chunk: number): void {
  // The extractions' own counts: a total without a scan of the keys (progress only).
  const total = Number(
    db.prepare('SELECT coalesce(sum(keys), 0) FROM identity_keysets').pluck().get() as number,
  );
  db.exec(`
    CREATE TABLE lk_hold_keys (
      dataset_id INTEGER, row_id INTEGER, kind INTEGER, key INTEGER, dob INTEGER
    );
  `);
  // 1. Set aside in identity_keys' primary-key order: a walk of its B-tree, resumed after the
  //    last key of the previous chunk (keys are 64-bit: read and bound as BigInt).
  const columnsSql = 'dataset_id, row_id, kind, key, dob';
  const order = 'ORDER BY kind, key, dataset_id, row_id';
  const first = db.prepare(
    `INSERT INTO lk_hold_keys (${columnsSql}) SELECT ${columnsSql} FROM identity_keys ${order} LIMIT ?`,
  );
  const next = db.prepare(
    `INSERT INTO lk_hold_keys (${columnsSql}) SELECT ${columnsSql} FROM identity_keys
       WHERE (kind, key, dataset_id, row_id) > (?, ?, ?, ?) ${order} LIMIT ?`,
  );
  const lastOf = db
    .prepare('SELECT kind, key, dataset_id, row_id FROM lk_hold_keys WHERE rowid = ?')
    .raw(true)
    .safeIntegers(true);
  let held = 0;
  for (let moved = first.run(chunk).changes; moved > 0;) {
    held += moved;
    step('setting the identity keys aside', held, Math.max(total, held));
    if (moved < chunk) break;
    moved = next.run(...(lastOf.get(held) as KeyTuple), chunk).changes;
  }
  // 2. Back into a new identity_keys, in the same order, a rowid range at a time.
  step('dropping the old key table', 0, 0);
  db.exec(`
    DROP TABLE identity_keys;
    CREATE TABLE identity_keys (
      dataset_id INTEGER NOT NULL,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (kind, key, dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
  `);
  const back = db.prepare(
    `INSERT INTO identity_keys (${columnsSql})
       SELECT ${columnsSql} FROM lk_hold_keys WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
  );
  for (let done = 0; done < held;) {
    const to = Math.min(held, done + chunk);
    back.run(done, to);
    done = to;
    step('copying the identity keys', done, held);
  }
  // 3. The record table, sorted once by SQLite (one statement: its step is reported before).
  step('sorting the identity keys by record', 0, held);
  db.exec(`
    CREATE TABLE identity_key_records (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (dataset_id, row_id, kind, key)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO identity_key_records (${columnsSql})
      SELECT ${columnsSql} FROM lk_hold_keys
      ORDER BY dataset_id, row_id, kind, key;
    CREATE TRIGGER identity_key_records_delete AFTER DELETE ON identity_key_records BEGIN
      DELETE FROM identity_keys
        WHERE kind = OLD.kind AND key = OLD.key AND dataset_id = OLD.dataset_id AND row_id = OLD.row_id;
    END;
  `);
  step('sorting the identity keys by record', held, held);
  db.exec('DROP TABLE lk_hold_keys');
}
