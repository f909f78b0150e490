/**
 * The hash-chained audit log. Each row's `hash` covers the previous row's hash and the canonical
 * JSON of the entry; the chain head (last seq and hash) is mirrored in case_meta so that deleting
 * the newest entries is detected too.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE audit_log (
      seq       INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      action    TEXT NOT NULL,
      params    TEXT NOT NULL,
      result    TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash      TEXT NOT NULL
    ) STRICT;
  `);
}
