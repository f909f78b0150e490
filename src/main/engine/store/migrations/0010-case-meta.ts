/**
 * Case identity: a key/value table holding the case id, creation time and the version of
 * Leakscope that created it. Never edit a shipped migration: add a new one.
 */
import { randomUUID } from 'node:crypto';
import type { WritableDB } from '../types';

export function up(db: WritableDB, now: Date): void {
  db.exec(`
    CREATE TABLE case_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
  const put = db.prepare('INSERT INTO case_meta (key, value) VALUES (?, ?)');
  put.run('case_id', randomUUID());
  put.run('created_at', now.toISOString());
}
