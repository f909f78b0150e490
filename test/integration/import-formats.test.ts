/**
 * The import pipeline through the public contract, on generated files of every format and on
 * malformed, compressed, archived, truncated, cancelled and killed imports. The invariant checked
 * everywhere: records read = rows stored + records rejected.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ImportResult, JobProgress } from '../../src/shared/api';
import { LeakscopeError } from '../../src/shared/errors';
import { generateFile, type FormatOptions } from '../fixtures/gen';
import { writeXlsx } from '../fixtures/xlsx/write-xlsx';
import { readCase, ROOT, TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { expectImportCancels } from '../helpers/import';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function checkInvariant(r: ImportResult): void {
  expect(r.recordsRead).toBe(r.rows + r.rejected);
  const sumRows = r.datasets.reduce((a, d) => a + d.rows, 0);
  const sumRejected = r.datasets.reduce((a, d) => a + d.rejected, 0);
  expect(sumRows).toBe(r.rows);
  expect(sumRejected).toBeLessThanOrEqual(r.rejected);
}

type StoredRow = Record<string, string | number | null>;

/** Reads stored rows straight from the case (read-only connection beside the engine's). */
function storedRows(casePath: string, datasetId: number, limit = 3): StoredRow[] {
  const sql = `SELECT * FROM ds_${datasetId} ORDER BY ordinal LIMIT ?`;
  return readCase(casePath, (db) => db.prepare(sql).all(limit) as StoredRow[]);
}

const ROWS = 3000;
const FORMATS: [string, FormatOptions, string][] = [
  ['csv utf-8', { format: 'csv' }, 'csv'],
  ['csv latin-1 ; CRLF', { format: 'csv', encoding: 'latin1', delimiter: ';', crlf: true }, 'csv'],
  [
    'csv utf-16le BOM tab',
    { format: 'csv', encoding: 'utf-16le', bom: true, delimiter: '\t' },
    'csv',
  ],
  ['ndjson', { format: 'ndjson' }, 'ndjson'],
  ['json nested', { format: 'json', nested: true }, 'json'],
  ['json one line', { format: 'json' }, 'json'],
  ['mysql dump', { format: 'mysql' }, 'sql'],
  ['pg_dump', { format: 'pgdump' }, 'sql'],
  ['combolist', { format: 'combo' }, 'combo'],
];

describe('import of generated files, every format', async () => {
  const { engine, path: casePath } = await engineWithCase(dir);

  it.each(FORMATS)('%s', async (label, fmt, expectedFormat) => {
    const file = join(dir, `gen-${label.replace(/\W+/g, '_')}.dat`);
    await generateFile({ ...fmt, seed: 11, rows: ROWS, out: file });
    const r = await engine.call('import.run', { path: file, name: label });
    checkInvariant(r);
    expect(r.rejected).toBe(0);
    expect(r.rows).toBe(ROWS);
    expect(r.truncated).toBe(false);
    expect(r.datasets).toHaveLength(1);
    const d = r.datasets[0]!;
    expect(d.format).toBe(expectedFormat);
    expect(d.complete).toBe(true);
    expect(d.sha256).toBe(sha256(file));
    expect(d.bytes).toBe(statSync(file).size);
    const first = storedRows(casePath, d.id, 2);
    expect(first[0]!.ordinal).toBe(0);
    expect(first[1]!.ordinal).toBe(1);
    expect(Number(first[1]!.offset)).toBeGreaterThan(Number(first[0]!.offset));
    if (expectedFormat === 'csv') {
      expect(first[0]!.line).toBe(2);
      expect(Number(first[0]!.offset)).toBeGreaterThan(0);
    }
  });

  it('keeps values exactly as written, accents and leading zeros included (Latin-1 source)', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(
      file,
      Buffer.from(
        "nom;prénom;code_postal;téléphone\r\nLefèvre;Hélène;01000;06 12 34 56 78\r\nN'Diaye;Zoé;2A004;0033612345678\r\n",
        'latin1',
      ),
    );
    const r = await engine.call('import.run', { path: file });
    expect(r.datasets[0]!.encoding).toBe('iso-8859-1');
    expect(r.datasets[0]!.columns.map((c) => c.name)).toEqual([
      'nom',
      'prénom',
      'code_postal',
      'téléphone',
    ]);
    const rows = storedRows(casePath, r.datasets[0]!.id);
    expect(rows.map((x) => [x.c_1, x.c_2, x.c_3, x.c_4])).toEqual([
      ['Lefèvre', 'Hélène', '01000', '06 12 34 56 78'],
      ["N'Diaye", 'Zoé', '2A004', '0033612345678'],
    ]);
    expect(rows.map((x) => [x.line, x.offset])).toEqual([
      [2, 34],
      [3, 71],
    ]);
  });

  it('sends malformed records to the rejects with line, offset and reason, and goes on', async () => {
    const file = join(dir, 'broken.csv');
    const lines = [
      'nom,prenom,email',
      'Martin,Louise,louise.martin@free.fr',
      'Bernard,Jules', // too few fields
      'Petit,"Chloé,chloe.petit@orange.fr', // unterminated quote
      'Durand,Léa,lea.durand@laposte.net',
      'Moreau,Hugo,hugo@sfr.fr,extra', // too many
      'Roux,Inès,ines.roux@gmail.com',
    ];
    const bytes = Buffer.concat([
      Buffer.from(`${lines.join('\n')}\n`),
      Buffer.from([0x4c, 0xe9, 0x6f, 0x2c, 0x41, 0x2c, 0x42, 0x0a]),
    ]);
    writeFileSync(file, bytes);
    const r = await engine.call('import.run', { path: file, format: 'csv' });
    checkInvariant(r);
    expect(r.rows).toBe(3);
    expect(r.rejected).toBe(4);
    const { rejects, total } = await engine.call('datasets.rejects', { dataset: 'broken' });
    expect(total).toBe(4);
    expect(rejects.map((x) => x.line)).toEqual([3, 4, 6, 8]);
    expect(rejects.map((x) => x.ordinal)).toEqual([1, 2, 4, 6]);
    expect(rejects[0]!.reason).toMatch(/expected 3 fields, found 2/);
    expect(rejects[1]!.reason).toMatch(/unterminated quote/);
    expect(rejects[3]!.reason).toMatch(/invalid UTF-8/);
    expect(rejects[0]!.raw).toBe('Bernard,Jules');
    expect(rejects[0]!.offset).toBe(Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`));
  });

  it('imports an XLSX workbook, one dataset per sheet, hashed and with progress', async () => {
    const file = join(dir, 'agents.xlsx');
    await writeXlsx(file, {
      sheets: [
        {
          name: 'Stagiaires',
          rows: [
            ['nom', 'prénom', 'code_postal', 'courriel'],
            ['Lefèvre', 'Hélène', '01000', 'helene.lefevre@orange.fr'],
            ['Nguyen', 'Anaïs', '75011', 'anais.nguyen@free.fr'],
          ],
        },
        {
          name: 'Conseillers',
          rows: [
            ['nom', 'agence'],
            ['Moreau', 'Lyon 3e'],
          ],
        },
      ],
    });
    const events: JobProgress[] = [];
    const r = await engine.call(
      'import.run',
      { path: file },
      { onProgress: (p) => events.push(p) },
    );
    checkInvariant(r);
    expect(r.datasets.map((d) => [d.name, d.table, d.rows, d.format])).toEqual([
      ['agents.Stagiaires', 'Stagiaires', 2, 'xlsx'],
      ['agents.Conseillers', 'Conseillers', 1, 'xlsx'],
    ]);
    expect(r.datasets[0]!.sha256).toBe(sha256(file));
    expect(r.datasets[0]!.complete).toBe(true);
    expect(events.find((e) => e.step === 'done')!.bytesDone).toBe(statSync(file).size);
    const rows = storedRows(casePath, r.datasets[0]!.id);
    expect(rows.map((x) => [x.line, x.c_1, x.c_2, x.c_3])).toEqual([
      [2, 'Lefèvre', 'Hélène', '01000'],
      [3, 'Nguyen', 'Anaïs', '75011'],
    ]);
  });

  it('reads gzip as a stream and hashes the compressed file as evidence', async () => {
    const csv = join(dir, 'gz-src.csv');
    await generateFile({ format: 'csv', seed: 5, rows: 2000, out: csv });
    const gz = join(dir, 'clients.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    const r = await engine.call('import.run', { path: gz });
    expect(r.rows).toBe(2000);
    const d = r.datasets[0]!;
    expect(d.name).toBe('clients');
    expect(d.source.compression).toBe('gzip');
    expect(d.sha256).toBe(sha256(gz));
    expect(d.complete).toBe(true);
  });

  it('imports what is valid from a truncated file and says it was truncated', async () => {
    const csv = join(dir, 'trunc-src.csv');
    await generateFile({ format: 'csv', seed: 6, rows: 5000, out: csv });
    const full = readFileSync(csv);
    const cut = join(dir, 'cut.csv.gz');
    const gz = gzipSync(full);
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await engine.call('import.run', { path: cut });
    checkInvariant(r);
    expect(r.truncated).toBe(true);
    expect(r.rows).toBeGreaterThan(1000);
    expect(r.rows).toBeLessThan(5000);
    expect(r.message).toMatch(/truncated/);
    const d = r.datasets[0]!;
    expect(d.complete).toBe(false);
    expect(d.status).toBe('incomplete');
    // Plain text cut in the middle of a quoted field: every complete record kept.
    const plain = join(dir, 'cut.json');
    writeFileSync(plain, '[{"nom":"Dupont","prenom":"Élise"},{"nom":"Durand","prenom":"Ma');
    const j = await engine.call('import.run', { path: plain });
    checkInvariant(j);
    expect(j.truncated).toBe(true);
    expect(j.rows).toBe(1);
    expect(j.rejected).toBe(1);
  });

  it('turns each zip member into its own dataset, flags path tricks, refuses bombs', async () => {
    const a = join(dir, 'zip-a.csv');
    const b = join(dir, 'zip-b.ndjson');
    await generateFile({ format: 'csv', seed: 7, rows: 1200, out: a });
    await generateFile({ format: 'ndjson', seed: 8, rows: 800, out: b });
    const zip = join(dir, 'dump.zip');
    const py = `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
z.write(sys.argv[2],'export/clients.csv')
z.write(sys.argv[3],'../../evil.ndjson')
z.writestr('empty-dir/','')
z.close()`;
    expect(spawnSync('python3', ['-c', py, zip, a, b]).status).toBe(0);
    const r = await engine.call('import.run', { path: zip });
    checkInvariant(r);
    expect(r.datasets.map((d) => [d.name, d.rows, d.source.member])).toEqual([
      ['dump.clients', 1200, 'export/clients.csv'],
      ['dump.evil', 800, '../../evil.ndjson'],
    ]);
    expect(r.datasets[0]!.sha256).toBe(sha256(zip));
    expect(JSON.stringify(r.datasets[1]!.source.details)).toMatch(/climbs out of the archive/);

    const bomb = join(dir, 'bomb.zip');
    const pyBomb = `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED,compresslevel=9)
z.writestr('zeros.csv', b'a,b\\n' + b'0' * (300*1024*1024))
z.close()`;
    expect(spawnSync('python3', ['-c', pyBomb, bomb]).status).toBe(0);
    const err = await engine.call('import.run', { path: bomb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeakscopeError);
    expect((err as LeakscopeError).code).toBe('E_LIMIT');
    expect((err as LeakscopeError).message).toMatch(
      /expands more than 1000× its compressed size \(zip bomb limit\)/,
    );
    const { datasets } = await engine.call('datasets.list', {});
    expect(datasets.some((d) => d.name.startsWith('bomb') && d.complete)).toBe(false);
  });

  it('reports progress (bytes, records, rate, ETA) and can be cancelled', async () => {
    const file = join(dir, 'progress.csv');
    await generateFile({ format: 'csv', seed: 9, rows: 60_000, out: file });
    const events: JobProgress[] = [];
    const r = await engine.call(
      'import.run',
      { path: file },
      { onProgress: (p) => events.push(p) },
    );
    expect(r.rows).toBe(60_000);
    // The import's own last event; post-import steps (profile, search index...) report after it.
    const last = events.find((e) => e.step === 'done')!;
    expect(last.bytesDone).toBe(statSync(file).size);
    expect(last.bytesTotal).toBe(statSync(file).size);
    expect(last.records).toBe(60_000);
    const reading = events.filter((e) => e.step === 'reading' || e.step === 'done');
    for (let i = 1; i < reading.length; i++)
      expect(reading[i]!.records).toBeGreaterThanOrEqual(reading[i - 1]!.records);

    await expectImportCancels(engine, file);
  });
});

describe('a process killed mid-import (SIGKILL, for real, against the CLI)', () => {
  it('leaves the case consistent, the dataset marked interrupted, never complete', async () => {
    const file = join(dir, 'big.csv');
    await generateFile({ format: 'csv', seed: 12, rows: 400_000, out: file });
    const casePath = join(dir, 'killed.lscase');
    const env = { ...process.env, LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };
    expect(
      runCli(['case', 'create', '--case', casePath], { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE })
        .status,
    ).toBe(0);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), 'import', file, '--case', casePath],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    // Kill once at least one batch has been committed: watch the case through a read-only
    // connection (WAL lets it read while the import writes).
    const exited = new Promise((r) => child.on('exit', r));
    let finished = false;
    void exited.then(() => (finished = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (finished) throw new Error('the import finished before it could be killed');
      if (Date.now() > deadline) throw new Error('no batch committed within 60 s');
      try {
        const row = readCase(
          casePath,
          (db) =>
            db.prepare('SELECT rows FROM datasets LIMIT 1').get() as { rows: number } | undefined,
        );
        if (row && row.rows >= 20_000) break;
      } catch {
        // The first transaction may still be creating the table: try again.
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;

    const list = runCli(['datasets', '--case', casePath, '--json'], {
      LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(list.status).toBe(0);
    const [d] = (list.json as { datasets: ImportResult['datasets'] }).datasets;
    expect(d!.status).toBe('interrupted');
    expect(d!.complete).toBe(false);
    expect(d!.rows).toBeGreaterThan(0);
    expect(d!.rows).toBeLessThan(400_000);
    expect(d!.sha256).toBeNull();
    // The counters match the rows actually stored, and the audit chain is intact.
    const n = readCase(
      casePath,
      (db) => (db.prepare(`SELECT count(*) AS n FROM ds_${d!.id}`).get() as { n: number }).n,
    );
    expect(n).toBe(d!.rows);
    const audit = runCli(['audit', 'verify', '--case', casePath, '--json'], {
      LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(audit.json).toMatchObject({ ok: true });
  }, 120_000);
});
