/**
 * The XLSX reader on a large sheet: 50 000 rows stream through with memory bounded by one row
 * plus one decompressed chunk, whatever the size of the sheet XML, and every row arrives exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { xlsxReader } from '../../../src/main/engine/import/readers/xlsx';
import { XlsxPackage } from '../../../src/main/engine/import/readers/xlsx/zip';
import { DEFAULT_ZIP_LIMITS } from '../../../src/main/engine/import/source';
import type { RecordSink } from '../../../src/main/engine/import/types';
import { STYLE, writeXlsx, type Cell } from '../../fixtures/xlsx/write-xlsx';

const dir = mkdtempSync(join(tmpdir(), 'leakscope-xlsx-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 50_000;

function* people(): Generator<Cell[]> {
  yield [
    'id',
    'nom',
    'prénom',
    'email',
    'téléphone',
    'naissance',
    'ville',
    'code postal',
    'iban',
    'note',
  ];
  for (let i = 1; i <= ROWS; i++) {
    yield [
      i,
      `Dupont-${i}`,
      `Élodie ${i % 97}`,
      `user${i}@example.fr`,
      `06${String(i).padStart(8, '0')}`,
      { n: 20000 + (i % 20000), s: STYLE.date },
      `Saint-Étienne & ${i % 50}`,
      `${42000 + (i % 100)}`,
      `FR76${String(i).padStart(23, '0')}`,
      `note <${i}> ${'x'.repeat(i % 40)}`,
    ];
  }
}

function expected(i: number): string[] {
  const serial = 20000 + (i % 20000);
  const iso = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
  return [
    String(i),
    `Dupont-${i}`,
    `Élodie ${i % 97}`,
    `user${i}@example.fr`,
    `06${String(i).padStart(8, '0')}`,
    iso,
    `Saint-Étienne & ${i % 50}`,
    `${42000 + (i % 100)}`,
    `FR76${String(i).padStart(23, '0')}`,
    `note <${i}> ${'x'.repeat(i % 40)}`,
  ];
}

describe('a 50 000-row sheet', () => {
  for (const strings of ['inline', 'shared'] as const) {
    it(`streams with bounded memory and exact values (${strings} strings)`, async () => {
      const path = join(dir, `people-${strings}.xlsx`);
      await writeXlsx(path, { strings, sheets: [{ name: 'Personnes', rows: people() }] });
      const pkg = await XlsxPackage.open(path, DEFAULT_ZIP_LIMITS);
      const sheetBytes = pkg.find('xl/worksheets/sheet1.xml')!.uncompressedSize;
      pkg.close();
      expect(sheetBytes).toBeGreaterThan(16 * 1024 * 1024);

      let rows = 0;
      let mismatches = 0;
      let header: string[] = [];
      const meta: Record<string, unknown> = {};
      const heap: number[] = [];
      const sink: RecordSink = {
        columns(_t, cols) {
          header = header.concat(cols.map((c) => c.name));
        },
        row(_t, values, loc) {
          rows++;
          if (loc.line !== rows + 1) mismatches++;
          // Checking every row exactly would dominate the run time: check a spread of them.
          if (rows % 997 === 1 || rows === ROWS) expect(values).toEqual(expected(rows));
          if (rows % 5000 === 0) heap.push(process.memoryUsage().heapUsed);
        },
        reject(_t, info) {
          throw new Error(`unexpected reject: ${info.reason}`);
        },
        meta(k, v) {
          meta[k] = v;
        },
      };
      const before = process.memoryUsage().heapUsed;
      const result = await xlsxReader.readFile!(path, {}, sink);
      expect(result).toEqual({ truncated: false });
      expect(rows).toBe(ROWS);
      expect(mismatches).toBe(0);
      expect(header[0]).toBe('id');
      expect(header).toHaveLength(10);
      expect(meta['sheet.1.dateCells']).toBe(ROWS);
      // The sheet XML is never held: the splitter's window stays around one 64 KiB chunk.
      expect(meta.peakBufferBytes as number).toBeLessThan(512 * 1024);
      expect(meta.peakBufferBytes as number).toBeLessThan(sheetBytes / 40);
      // Heap: a loose bound (GC timing varies), well below the sheet XML. Only with inline
      // strings: with shared strings the table is held in memory by design.
      if (strings === 'inline') expect(Math.max(...heap) - before).toBeLessThan(sheetBytes);
    }, 120_000);
  }
});
