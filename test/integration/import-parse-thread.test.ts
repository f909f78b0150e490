/**
 * The import job with its profiling thread parsing for the writer (parse mode: the default with
 * two cores and the bulk-insert extension, profile/pass-thread.ts) stores exactly what the import
 * parsed in the writer's thread stores (LEAKSCOPE_PROFILE_THREAD=0): same datasets, rows,
 * provenance, rejects with their ordinals, encodings and hashes, for CSV with broken records,
 * NDJSON with invalid lines and bytes, and a gzip; and it cancels. Every source is over the
 * thread's 4 MiB threshold, so the thread reads them all.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Over THREAD_MIN_BYTES (4 MiB): the job's thread reads the source. */
const MIN_BYTES = 4 * 1024 * 1024;

describe('import with the profiling thread parsing for the writer', () => {
  const previous = process.env.LEAKSCOPE_PROFILE_THREAD;
  afterAll(() => {
    if (previous === undefined) delete process.env.LEAKSCOPE_PROFILE_THREAD;
    else process.env.LEAKSCOPE_PROFILE_THREAD = previous;
  });

  it('stores the same rows, provenance and rejects as the one-thread import', async () => {
    const csv = join(dir, 'people.csv');
    await generateFile({ format: 'csv', seed: 5, rows: 30_000, out: csv });
    const broken = join(dir, 'broken.csv');
    const filler = Array.from(
      { length: 60_000 },
      (_, i) => `${i},${'v'.repeat(64 + (i % 17))}\n`,
    ).join('');
    writeFileSync(broken, `a,b\n1,2\n3\n"4,5\n6,7\nx,y\n${filler}"unterminated,9\n`);
    const ndjson = join(dir, 'mixed.ndjson');
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      i % 997 === 5
        ? 'not json'
        : JSON.stringify({ a: `é${i}`, n: { m: i }, s: 'x'.repeat(100 + (i % 90)) }),
    );
    writeFileSync(
      ndjson,
      Buffer.concat([
        Buffer.from('{"a":"é","n":{"m":1}}\nnot json\n{"a":"'),
        Buffer.from([0xe9]),
        Buffer.from(`"}\n{"b":"z"}\n${lines.join('\n')}\n{"a":"a\\u0000nul"}\n`),
      ]),
    );
    // Stored, not compressed: over the threshold as a file too.
    const gz = join(dir, 'people.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv), { level: 0 }));
    const files = [csv, broken, ndjson, gz];
    for (const f of files) expect(statSync(f).size, f).toBeGreaterThan(MIN_BYTES);

    const runAll = async (threaded: boolean) => {
      process.env.LEAKSCOPE_PROFILE_THREAD = threaded ? '1' : '0';
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
    process.env.LEAKSCOPE_PROFILE_THREAD = '1';
    const file = join(dir, 'cancel.csv');
    await generateFile({ format: 'csv', seed: 9, rows: 30_000, out: file });
    const { engine } = await engineWithCase(dir);
    try {
      await expectImportCancels(engine, file);
    } finally {
      engine.close();
    }
  }, 120_000);
});
