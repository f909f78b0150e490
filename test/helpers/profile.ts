/**
 * Shared by the profile integration tests: a fixed clock, profiles compared without timings, and
 * multi-dataset sources (a two-table SQL dump, a zip of members), a cancelled import.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DatasetProfile } from '../../src/shared/api';
import { runImport } from '../../src/main/engine/import/pipeline';
import { BATCH_ROWS } from '../../src/main/engine/import/writer';
import type { ImportProfiles } from '../../src/main/engine/profile';
import type { WritableDB } from '../../src/main/engine/store/types';
import { generateFile } from '../fixtures/gen';

const NOW = new Date('2026-01-01T00:00:00Z');
export const now = () => NOW;

/** A profile without what differs between two runs of the same profiling (time taken, when). */
export const comparable = (p: DatasetProfile) => ({ ...p, seconds: 0, profiledAt: '' });

/** A MySQL dump of two tables (clients: 3,000 rows, staff: 1,200), written under `dir`. */
export async function twoTableDump(dir: string): Promise<string> {
  const a = join(dir, 'clients.sql');
  const b = join(dir, 'staff.sql');
  await generateFile({ seed: 3, rows: 3000, format: 'mysql', table: 'clients', out: a });
  await generateFile({ seed: 4, rows: 1200, format: 'mysql', table: 'staff', out: b });
  const dump = join(dir, 'dump.sql');
  writeFileSync(dump, Buffer.concat([readFileSync(a), readFileSync(b)]));
  return dump;
}

/** A zip (deflated) holding `files` under their base names, written by Python's zipfile. */
export function zipOf(zip: string, files: readonly string[]): string {
  const py = `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
for f in sys.argv[2:]: z.write(f, f.split('/')[-1])
z.close()`;
  const r = spawnSync('python3', ['-c', py, zip, ...files]);
  if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
  return zip;
}

/**
 * Imports `file` into `db` with `pass` and cancels it after the first committed batch (so the
 * dataset row survives the rollback); expects the cancel, returns the dataset as stored.
 */
export async function importCancelledAfterFirstBatch(
  db: WritableDB,
  file: string,
  pass: ImportProfiles,
): Promise<{ id: number; status: string; rows: number }> {
  const ac = new AbortController();
  await expect(
    runImport(
      db,
      { path: file, format: 'auto', encoding: 'auto' },
      {
        ...pass.importOptions,
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (e) => {
          if (e.records > BATCH_ROWS) ac.abort();
        },
      },
    ),
  ).rejects.toMatchObject({ code: 'E_CANCELLED' });
  return db.prepare('SELECT id, status, rows FROM datasets').get() as {
    id: number;
    status: string;
    rows: number;
  };
}
