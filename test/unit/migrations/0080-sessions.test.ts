/**
 * Migration 0080: sessions, the autosave slot, record tags and notes. Schema assertions and the
 * query plans the session and flag code depends on (STYLE.md rule 15: EXPLAIN QUERY PLAN checks).
 */
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import type { WritableDB } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

function plan(db: WritableDB, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
}

function fresh(): WritableDB {
  const db = createDbAtVersion(dir, 30);
  migrate(db, new Date('2025-01-02T03:04:05Z'), 80);
  return db;
}

function withDataset(db: WritableDB): void {
  db.exec(`
    INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
      VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
    INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at)
      VALUES (1, 1, 'a', '', 'ds_1', 2, 'ready', '2025-01-01T00:00:00Z');
  `);
}

describe('migration 0080-sessions', () => {
  it('adds four STRICT tables and bumps the version to 80', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(80);
    const rows = db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('sessions', 'session_autosave', 'record_tags', 'record_notes') ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    expect(rows.map((r) => r.name)).toEqual([
      'record_notes',
      'record_tags',
      'session_autosave',
      'sessions',
    ]);
    for (const r of rows) expect(r.sql).toMatch(/STRICT/);
    db.close();
  });

  it('keeps session names unique, documents valid JSON, and one autosave slot', () => {
    const db = fresh();
    const put = db.prepare(
      "INSERT INTO sessions (name, version, document, created_at, updated_at) VALUES (?, 2, ?, 'now', 'now')",
    );
    put.run('triage', '{}');
    expect(() => put.run('triage', '{}')).toThrow(/UNIQUE/);
    expect(() => put.run('other', '{not json')).toThrow(/CHECK/);
    expect(() => put.run('', '{}')).toThrow(/CHECK/);
    const slot = db.prepare(
      "INSERT INTO session_autosave (slot, version, document, updated_at) VALUES (?, 2, '{}', 'now')",
    );
    slot.run(1);
    expect(() => slot.run(2)).toThrow(/CHECK/);
    db.close();
  });

  it('ties tags and notes to a dataset and drops them with it', () => {
    const db = fresh();
    db.pragma('foreign_keys = ON');
    expect(() =>
      db
        .prepare(
          "INSERT INTO record_tags (dataset_id, row_id, tag, at) VALUES (9, 1, 'fake', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    withDataset(db);
    db.prepare(
      "INSERT INTO record_tags (dataset_id, row_id, tag, at) VALUES (1, 1, 'fake', 'now')",
    ).run();
    db.prepare(
      "INSERT INTO record_notes (dataset_id, row_id, note, at) VALUES (1, 1, 'called', 'now')",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO record_tags (dataset_id, row_id, tag, at) VALUES (1, 1, '', 'now')")
        .run(),
    ).toThrow(/CHECK/);
    db.prepare('DELETE FROM dataset_columns WHERE dataset_id = 1').run();
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM record_tags').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM record_notes').get()).toEqual({ n: 0 });
    db.close();
  });

  it('answers the hot queries from indexes, never a table scan', () => {
    const db = fresh();
    // {tag} filter node: rows of a dataset carrying a tag.
    expect(
      plan(db, 'SELECT row_id FROM record_tags WHERE dataset_id = ? AND tag = ?', 1, 'fake'),
    ).toMatch(
      /SEARCH record_tags USING COVERING INDEX record_tags_by_tag \(dataset_id=\? AND tag=\?\)/,
    );
    // Tags of one record (the table's flag column).
    expect(
      plan(db, 'SELECT tag FROM record_tags WHERE dataset_id = ? AND row_id = ?', 1, 2),
    ).toMatch(/SEARCH record_tags USING PRIMARY KEY \(dataset_id=\? AND row_id=\?\)/);
    // Tag vocabulary with counts.
    expect(
      plan(db, 'SELECT tag, count(*) FROM record_tags WHERE dataset_id = ? GROUP BY tag', 1),
    ).toMatch(/SEARCH record_tags USING COVERING INDEX record_tags_by_tag \(dataset_id=\?\)/);
    // {hasNote} filter node and the note of one record.
    expect(plan(db, 'SELECT row_id FROM record_notes WHERE dataset_id = ?', 1)).toMatch(
      /SEARCH record_notes USING PRIMARY KEY \(dataset_id=\?\)/,
    );
    expect(
      plan(db, 'SELECT note FROM record_notes WHERE dataset_id = ? AND row_id = ?', 1, 2),
    ).toMatch(/SEARCH record_notes USING PRIMARY KEY \(dataset_id=\? AND row_id=\?\)/);
    // Opening a session by name, and the list newest first.
    expect(plan(db, 'SELECT document FROM sessions WHERE name = ?', 'x')).toMatch(
      /SEARCH sessions USING INDEX sqlite_autoindex_sessions_1 \(name=\?\)/,
    );
    const list = plan(db, 'SELECT name FROM sessions ORDER BY updated_at DESC');
    expect(list).toMatch(/SCAN sessions USING INDEX sessions_updated/);
    expect(list).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
