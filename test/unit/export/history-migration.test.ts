/** Migration 0110: the export history accepts PDFs and keeps the rows it had. */
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir('leakscope-history-migration-');

const INSERT = `INSERT INTO export_history (at, dataset_id, dataset_name, format, out_path, policy_name, policy, filter, description, rows, bytes, sha256, manifest)
  VALUES ('2026-11-23T10:00:00Z', NULL, 'people', ?, ?, 'internal', '{}', NULL, 'all records', 12, 345, ?, '{}')`;

describe('migration 0110 (export history: pdf)', () => {
  it('keeps the rows, ids and index, and accepts pdf but no other new format', () => {
    const db = createDbAtVersion(dir, 100);
    expect(() => db.prepare(INSERT).run('pdf', '/x/r.pdf', 'a'.repeat(64))).toThrow(/CHECK/);
    db.prepare(INSERT).run('html', '/x/r.html', 'b'.repeat(64));
    db.prepare(INSERT).run('csv', '/x/r.csv', 'c'.repeat(64));
    const before = db.prepare('SELECT * FROM export_history ORDER BY id').all();

    migrate(db, new Date(), LATEST_VERSION);
    expect(db.prepare('SELECT * FROM export_history ORDER BY id').all()).toEqual(before);
    db.prepare(INSERT).run('pdf', '/x/r.pdf', 'd'.repeat(64));
    expect(() => db.prepare(INSERT).run('docx', '/x/r.docx', 'e'.repeat(64))).toThrow(/CHECK/);
    expect(db.prepare('SELECT id, format FROM export_history ORDER BY id').all()).toEqual([
      { id: 1, format: 'html' },
      { id: 2, format: 'csv' },
      { id: 3, format: 'pdf' },
    ]);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM export_history WHERE dataset_id = ? ORDER BY at')
      .all(1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX export_history_dataset/);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'ex_hold_history'").get(),
    ).toEqual({ n: 0 });
    db.close();
  });
});
