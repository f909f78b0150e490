/** Reads and writes of the case_meta key/value table. */
import type { ReadableDB, WritableDB } from './types';

export function getMeta(db: ReadableDB, key: string): string | null {
  const row = db.prepare('SELECT value FROM case_meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row ? row.value : null;
}

export function setMeta(db: WritableDB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO case_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
