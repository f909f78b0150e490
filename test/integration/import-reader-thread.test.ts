/**
 * The reader-thread import (import/parallel.ts, opt-in with LEAKSCOPE_IMPORT_READER_THREAD=1)
 * stores exactly what the one-thread import stores: same datasets, rows, provenance, rejects with
 * their ordinals, encodings and hashes, for plain, gzipped and zipped sources, and it cancels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { readCase } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { expectImportCancels } from '../helpers/import';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();

function stored(casePath: string, r: ImportResult) {
  return readCase(casePath, (db) =>
    r.datasets.map((d) => ({
      name: d.name,
      rows: d.rows,
      rejected: d.rejected,
      status: d.status,
      complete: d.complete,
      sha256: d.sha256,
      encoding: d.encoding,
      format: d.format,
      columns: d.columns,
      data: db.prepare(`SELECT * FROM ds_${d.id} ORDER BY id`).raw().all(),
      rejects: db
        .prepare('SELECT ordinal, line, offset, reason, raw FROM rejects WHERE dataset_id = ?')
        .raw()
        .all(d.id),
    })),
  );
}

describe('import with the reader in its own thread', () => {
  const previous = process.env.LEAKSCOPE_IMPORT_READER_THREAD;
  afterAll(() => {
    if (previous === undefined) delete process.env.LEAKSCOPE_IMPORT_READER_THREAD;
    else process.env.LEAKSCOPE_IMPORT_READER_THREAD = previous;
  });

  it('stores the same rows, provenance and rejects as the one-thread import', async () => {
    const csv = join(dir, 'people.csv');
    await generateFile({ format: 'csv', seed: 5, rows: 30_000, out: csv });
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'a,b\n1,2\n3\n"4,5\n6,7\nx,y\n');
    const ndjson = join(dir, 'mixed.ndjson');
    writeFileSync(
      ndjson,
      Buffer.concat([
        Buffer.from('{"a":"é","n":{"m":1}}\nnot json\n{"a":"'),
        Buffer.from([0xe9]),
        Buffer.from('"}\n{"b":"z"}\n'),
      ]),
    );
    const gz = join(dir, 'people.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    const files = [csv, broken, ndjson, gz];

    const runAll = async (threaded: boolean) => {
      if (threaded) process.env.LEAKSCOPE_IMPORT_READER_THREAD = '1';
      else delete process.env.LEAKSCOPE_IMPORT_READER_THREAD;
      const { engine, path } = await engineWithCase(dir);
      try {
        const out = [];
        for (const f of files) {
          const r = await engine.call('import.run', { path: f });
          expect(r.recordsRead).toBe(r.rows + r.rejected);
          out.push({ rows: r.rows, rejected: r.rejected, truncated: r.truncated });
          out.push(stored(path, r));
        }
        return out;
      } finally {
        engine.close();
      }
    };
    const one = await runAll(false);
    const two = await runAll(true);
    expect(two).toEqual(one);
    expect(one[0]).toEqual({ rows: 30_000, rejected: 0, truncated: false });
  }, 240_000);

  it('can be cancelled: the dataset is gone or marked cancelled, never complete', async () => {
    process.env.LEAKSCOPE_IMPORT_READER_THREAD = '1';
    const file = join(dir, 'cancel.csv');
    await generateFile({ format: 'csv', seed: 9, rows: 60_000, out: file });
    const { engine } = await engineWithCase(dir);
    try {
      await expectImportCancels(engine, file);
    } finally {
      engine.close();
    }
  }, 120_000);
});
