/**
 * The XLSX reader on damaged and hostile workbooks: malformed rows become rejects and reading
 * goes on; truncated and corrupt archives keep everything valid and say what happened;
 * password-protected workbooks get a clear message; zip bombs and oversized rows hit limits.
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeakscopeError } from '../../../src/shared/errors';
import { DEFAULT_ZIP_LIMITS } from '../../../src/main/engine/import/source';
import { createXlsxReader, xlsxReader } from '../../../src/main/engine/import/readers/xlsx';
import type { FormatReader } from '../../../src/main/engine/import/types';
import {
  oleFile,
  workbookParts,
  writeXlsx,
  writeZip,
  type Cell,
  type Row,
  type WorkbookSpec,
  type ZipOptions,
} from '../../fixtures/xlsx/write-xlsx';
import { createCollectSink, type Collected } from './helpers/collect-sink';

const dir = mkdtempSync(join(tmpdir(), 'leakscope-xlsx-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function fixture(spec: WorkbookSpec, opts: ZipOptions = {}): Promise<string> {
  const path = join(dir, `${n++}.xlsx`);
  await writeXlsx(path, spec, opts);
  return path;
}

async function readXlsx(path: string, reader: FormatReader = xlsxReader): Promise<Collected> {
  const { sink, tables, rejects, meta } = createCollectSink();
  const result = await reader.readFile!(path, {}, sink);
  return { tables, rejects, meta, result };
}

async function failure(path: string, reader: FormatReader = xlsxReader): Promise<LeakscopeError> {
  const err = await readXlsx(path, reader).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LeakscopeError);
  return err as LeakscopeError;
}

function rowsOf(c: Collected, name: string): [number | null, (string | null)[]][] {
  return (c.tables.get(name)?.rows ?? []).map((r) => [r.line, r.values]);
}

/** Byte range of a member's data in a zip written by the fixture writer (no extra fields). */
function memberData(file: Buffer, name: string): { start: number; size: number } {
  const at = file.indexOf(name);
  const header = at - 30;
  expect(file.readUInt32LE(header)).toBe(0x04034b50);
  const start = at + name.length;
  const size = file.readUInt32LE(header + 18);
  // Written with a data descriptor: the size is 0 in the header; the descriptor follows the data.
  return { start, size: size || file.indexOf('PK\x07\x08', start, 'latin1') - start };
}

function* people(count: number): Generator<Cell[]> {
  yield ['id', 'nom', 'email'];
  for (let i = 1; i <= count; i++) yield [i, `Nom${i}`, `user${i}@example.fr`];
}

describe('malformed rows', () => {
  const rows: (Cell[] | Row)[] = [
    ['nom', 'valeur'],
    ['ok2', 2],
    { xml: '<row r="3"><c r="A3" t="s"><v>0</c></row>' },
    ['ok4', 4],
    { xml: '<row r="5"><c r="A5" t="inlineStr"><is><t>a &nbsp; b</t></is></c></row>' },
    { xml: '<row r="6"><c r="A6"><v>6</v></c>' },
    ['ok7', 7],
    { xml: '<row r="8"><c r="1A"><v>8</v></c></row>' },
    { xml: '<row r="9"><c r="A9" t="s"><v>999</v></c></row>' },
    { xml: '<row r="10"><c r="XFE10"><v>10</v></c></row>' },
    { xml: '<row r="11"><c r="A11"><v>1</v></c><c r="A11"><v>2</v></c></row>' },
    {
      xml: '<row r="12"><c r="A12" t="inlineStr"><is><t>ok12</t></is></c><c r="XFD12"><v>12</v></c></row>',
    },
    { xml: '<row r="x13"><c><v>13</v></c></row>' },
    ['ok14', 14],
  ];

  it('rejects each broken row with its reason and raw XML, in place, and reads on', async () => {
    const c = await readXlsx(await fixture({ sheets: [{ name: 'S', rows }] }));
    expect(c.result).toEqual({ truncated: false });
    const t = c.tables.get('S')!;
    expect(t.rows.map((r) => [r.line, r.ordinal, r.values.slice(0, 2)])).toEqual([
      [2, 0, ['ok2', '2']],
      [4, 2, ['ok4', '4']],
      [7, 5, ['ok7', '7']],
      [12, 10, ['ok12', null]],
      [14, 12, ['ok14', '14']],
    ]);
    // The row using column XFD is kept whole: 16 384 columns declared, nothing dropped.
    expect(t.rows[3]!.values.length).toBe(16384);
    expect(t.rows[3]!.values[16383]).toBe('12');
    expect(t.columns.length).toBe(16384);
    expect(c.rejects.map((r) => [r.table, r.line, r.ordinal, r.reason])).toEqual([
      ['S', 3, 1, 'row 3: </c> does not close <v>'],
      ['S', 5, 3, 'row 5: unknown entity &nbsp;'],
      ['S', 6, 4, 'row 6: <row> is not closed before the next <row>'],
      ['S', 8, 6, 'row 8: malformed cell reference "1A"'],
      ['S', 9, 7, 'row 9: cell A9 refers to shared string 999, but the table has 6'],
      ['S', 10, 8, "row 10: cell XFE10 is beyond column XFD (Excel's 16384 columns)"],
      ['S', 11, 9, 'row 11: two cells at A11'],
      ['S', null, 11, 'malformed row number r="x13"'],
    ]);
    expect(c.rejects[0]!.raw).toBe('<row r="3"><c r="A3" t="s"><v>0</c></row>');
    expect(c.rejects[2]!.raw).toBe('<row r="6"><c r="A6"><v>6</v></c>');
    expect(c.meta['sheet.1.rejects']).toBe(8);
    expect(c.meta['sheet.1.rows']).toBe(5);
  });

  it('rejects a row larger than maxRowBytes, keeping its first 64 KiB, and reads on', async () => {
    const reader = createXlsxReader({ maxRowBytes: 10_000 });
    const big = 'x'.repeat(100_000);
    const c = await readXlsx(
      await fixture({
        strings: 'inline',
        sheets: [{ name: 'S', rows: [['nom'], ['avant'], [big], ['après']] }],
      }),
      reader,
    );
    expect(rowsOf(c, 'S')).toEqual([
      [2, ['avant']],
      [4, ['après']],
    ]);
    expect(c.rejects).toHaveLength(1);
    expect(c.rejects[0]!.reason).toBe('row 3: <row> is larger than 10000 bytes (limit)');
    expect(c.rejects[0]!.raw.startsWith('<row r="3"><c r="A3" t="inlineStr"><is><t>xxx')).toBe(
      true,
    );
    expect(c.rejects[0]!.raw.length).toBeGreaterThan(10_000);
    expect(c.rejects[0]!.raw.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('rejects cells that use a corrupt shared string, and only those', async () => {
    const sst =
      '<sst xmlns="x"><si><t>nom</t></si><si><t>bad &zz;</t></si><si><t>fine</t></si></sst>';
    const c = await readXlsx(
      await fixture({
        sheets: [
          {
            name: 'S',
            rows: [[{ t: 's', v: '0' }], [{ t: 's', v: '1' }], [{ t: 's', v: '2' }]],
          },
        ],
        parts: { 'xl/sharedStrings.xml': sst },
      }),
    );
    expect(rowsOf(c, 'S')).toEqual([[3, ['fine']]]);
    expect(c.rejects.map((r) => r.reason)).toEqual([
      'row 2: cell A2 refers to shared string 1, which is corrupt: unknown entity &zz;',
    ]);
  });

  it('keeps dates as serial numbers when styles.xml is damaged, and says so', async () => {
    const c = await readXlsx(
      await fixture({
        sheets: [{ name: 'S', rows: [['quand'], [{ n: 45292, s: 1 }]] }],
        parts: {
          'xl/styles.xml': '<styleSheet><cellXfs><xf numFmtId="14"></cellXfs></styleSheet>',
        },
      }),
    );
    expect(rowsOf(c, 'S')).toEqual([[2, ['45292']]]);
    expect(c.meta.stylesError).toMatch(/does not close.*dates are kept as serial numbers/);
  });
});

describe('truncated and corrupt archives', () => {
  it('salvages a workbook cut inside its sheet: members recovered, rows before the cut kept', async () => {
    for (const opts of [{}, { descriptor: true }]) {
      // A fresh generator each time: rows are produced while the fixture is written.
      const spec: WorkbookSpec = {
        strings: 'inline',
        sheets: [{ name: 'Gens', rows: people(3000) }],
      };
      const full = await fixture(spec, opts);
      const bytes = readFileSync(full);
      const { start, size } = memberData(bytes, 'xl/worksheets/sheet1.xml');
      const cut = join(dir, `${n++}-cut.xlsx`);
      writeFileSync(cut, bytes.subarray(0, start + Math.floor(size * 0.6)));
      const c = await readXlsx(cut);
      expect(c.result.truncated).toBe(true);
      expect(c.result.truncatedReason).toMatch(/zip directory is missing/);
      expect(c.meta.salvaged).toMatch(/central directory/);
      expect(c.meta['sheet.1.truncated']).toMatch(
        /sheet "Gens": the file ends inside zip member "xl\/worksheets\/sheet1.xml".*rows before were kept/,
      );
      const rows = c.tables.get('Gens')!.rows;
      expect(rows.length).toBeGreaterThan(1000);
      expect(rows.length).toBeLessThan(3000);
      // Every row kept is exact and in sequence.
      rows.forEach((r, i) =>
        expect(r.values).toEqual([String(i + 1), `Nom${i + 1}`, `user${i + 1}@example.fr`]),
      );
      // The row cut in the middle is a reject with its partial raw XML, or absent if cut between rows.
      expect(c.rejects.length).toBeLessThanOrEqual(1);
    }
  });

  it('explains the rejects when the cut took the shared strings (written after the sheets)', async () => {
    const full = await fixture({ sheets: [{ name: 'Gens', rows: people(3000) }] });
    const bytes = readFileSync(full);
    const { start } = memberData(bytes, 'xl/sharedStrings.xml');
    const cut = join(dir, `${n++}-nosst.xlsx`);
    writeFileSync(cut, bytes.subarray(0, start - 100));
    const c = await readXlsx(cut);
    expect(c.meta.sharedStringsMissing).toBe(true);
    expect(c.result.truncated).toBe(true);
    // Rows whose only strings are shared are rejected, raw XML kept, with the reason.
    expect(c.rejects.length).toBe(3001);
    expect(c.rejects[0]!.reason).toBe(
      'row 1: cell A1 refers to shared string 0, but the table has 0 (the shared strings part is missing from the damaged archive)',
    );
    expect(c.rejects[1]!.raw).toMatch(/^<row r="2"><c r="A2"><v>1<\/v><\/c><c r="B2" t="s">/);
  });

  it('keeps the shared strings read when their member fails its CRC, and says so', async () => {
    const path = await fixture(
      { sheets: [{ name: 'S', rows: [['nom'], ['Dupont'], ['Martin']] }] },
      { store: true },
    );
    const bytes = readFileSync(path);
    const at = bytes.indexOf('<t>Martin</t>');
    bytes.write('<t>Mortin</t>', at, 'latin1');
    writeFileSync(path, bytes);
    const c = await readXlsx(path);
    expect(rowsOf(c, 'S')).toEqual([
      [2, ['Dupont']],
      [3, ['Mortin']],
    ]);
    expect(c.result).toEqual({
      truncated: true,
      truncatedReason:
        'shared strings: zip member "xl/sharedStrings.xml" fails its CRC-32 check: the data is corrupt',
    });
  });

  it('refuses a file cut so early that no workbook is left, with a clear message', async () => {
    const full = await fixture({ sheets: [{ name: 'S', rows: [['a'], ['b']] }] });
    const cut = join(dir, `${n++}-stub.xlsx`);
    writeFileSync(cut, readFileSync(full).subarray(0, 40));
    const err = await failure(cut);
    expect(err.code).toBe('E_IMPORT_FORMAT');
    expect(err.message).toMatch(/not an Excel workbook|not a readable zip archive/);
  });

  it('marks a sheet whose compressed data is corrupt as truncated and still reads the others', async () => {
    const spec: WorkbookSpec = {
      strings: 'inline',
      sheets: [
        { name: 'Abîmée', rows: people(5000) },
        { name: 'Intacte', rows: [['x'], ['1'], ['2']] },
      ],
    };
    const path = await fixture(spec);
    const bytes = readFileSync(path);
    const { start, size } = memberData(bytes, 'xl/worksheets/sheet1.xml');
    for (let i = 0; i < 64; i++) bytes[start + Math.floor(size / 2) + i] ^= 0x5a;
    writeFileSync(path, bytes);
    const c = await readXlsx(path);
    expect(c.result.truncated).toBe(true);
    expect(c.result.truncatedReason).toMatch(
      /sheet "Abîmée": zip member "xl\/worksheets\/sheet1.xml" (is corrupt|fails its CRC-32|holds)/,
    );
    const rows = c.tables.get('Abîmée')!.rows;
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.slice(0, 100).map((r) => r.values[0])).toEqual(
      Array.from({ length: 100 }, (_, i) => String(i + 1)),
    );
    expect(rowsOf(c, 'Intacte')).toEqual([
      [2, ['1']],
      [3, ['2']],
    ]);
  });

  it('detects corruption in a stored member through its CRC-32', async () => {
    const path = await fixture(
      { sheets: [{ name: 'S', rows: [['nom'], ['Dupont'], ['Martin']] }] },
      { store: true },
    );
    const bytes = readFileSync(path);
    const at = bytes.indexOf('<row r="3"');
    bytes.write('<row r="4"', at, 'latin1');
    writeFileSync(path, bytes);
    const c = await readXlsx(path);
    expect(rowsOf(c, 'S').map((r) => r[0])).toEqual([2, 4]);
    expect(c.result).toEqual({
      truncated: true,
      truncatedReason:
        'sheet "S": zip member "xl/worksheets/sheet1.xml" fails its CRC-32 check: the data is corrupt; every row was read, but some may be altered',
    });
  });

  it('marks the import truncated when a sheet part is missing, keeping the sheet as an empty table', async () => {
    const c = await readXlsx(
      await fixture({
        sheets: [
          { name: 'Là', rows: [['a'], ['1']] },
          { name: 'Perdue', rows: [['b'], ['2']] },
        ],
        parts: { 'xl/worksheets/sheet2.xml': null },
      }),
    );
    expect(rowsOf(c, 'Là')).toEqual([[2, ['1']]]);
    expect(c.tables.get('Perdue')).toEqual({ columns: [], rows: [] });
    expect(c.result.truncatedReason).toBe(
      'sheet "Perdue": its part xl/worksheets/sheet2.xml is missing from the archive',
    );
  });

  it('refuses a zip that is not a workbook', async () => {
    const path = join(dir, `${n++}.xlsx`);
    await writeZip(path, [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    const err = await failure(path);
    expect(err.code).toBe('E_IMPORT_FORMAT');
    expect(err.message).toBe('not an Excel workbook: this is a Word document');
  });

  it('refuses a malformed workbook part with E_IMPORT_FORMAT', async () => {
    const err = await failure(
      await fixture({
        sheets: [{ name: 'S', rows: [['a']] }],
        parts: {
          'xl/workbook.xml': '<workbook><sheets><sheet name="S" r:id="rId1"></sheets></workbook>',
        },
      }),
    );
    expect(err.code).toBe('E_IMPORT_FORMAT');
    expect(err.message).toBe(
      'the workbook part xl/workbook.xml is malformed: </sheets> does not close <sheet>',
    );
  });
});

describe('password-protected and legacy workbooks', () => {
  it('explains that a password-protected workbook must be unlocked in Excel first', async () => {
    const path = join(dir, 'secret.xlsx');
    writeFileSync(path, oleFile());
    expect(xlsxReader.sniff(readFileSync(path), path)?.likelihood).toBeGreaterThanOrEqual(0.9);
    const err = await failure(path);
    expect(err.code).toBe('E_IMPORT_FORMAT');
    expect(err.message).toBe(
      'the workbook is password-protected; remove the password in Excel first',
    );
  });

  it('recognises a legacy .xls saved under an .xlsx name', async () => {
    const path = join(dir, 'old.xlsx');
    writeFileSync(path, oleFile(true));
    const err = await failure(path);
    expect(err.code).toBe('E_IMPORT_FORMAT');
    expect(err.message).toMatch(/legacy Excel 97-2003 \(\.xls\)/);
  });

  it('refuses a file that is not a zip', async () => {
    const path = join(dir, 'text.xlsx');
    writeFileSync(path, 'nom;email\n');
    const err = await failure(path);
    expect(err.message).toBe('not an .xlsx workbook: the file is not a zip archive');
  });
});

describe('bounds', () => {
  it('refuses a member that expands more than maxRatio× (zip bomb)', async () => {
    const reader = createXlsxReader({ zip: { ...DEFAULT_ZIP_LIMITS, maxRatio: 100 } });
    const head =
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>';
    const bomb = Buffer.concat([
      Buffer.from(head),
      Buffer.alloc(20 * 1024 * 1024, 0x20),
      Buffer.from('</sheetData></worksheet>'),
    ]);
    const parts = workbookParts({ sheets: [{ name: 'S', rows: [] }] }).map((p) =>
      p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, data: bomb } : p,
    );
    const path = join(dir, `${n++}-bomb.xlsx`);
    await writeZip(path, parts);
    const err = await failure(path, reader);
    expect(err.code).toBe('E_LIMIT');
    expect(err.message).toMatch(/expands more than 100× its compressed size \(zip bomb limit\)/);
  });

  it('refuses a workbook expanding past maxTotalBytes', async () => {
    const reader = createXlsxReader({ zip: { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 50_000 } });
    const err = await failure(
      await fixture({ strings: 'inline', sheets: [{ name: 'S', rows: people(2000) }] }),
      reader,
    );
    expect(err.code).toBe('E_LIMIT');
    expect(err.message).toMatch(/expands to more than 50000 bytes \(zip bomb limit\)/);
  });

  it('refuses an archive with too many members', async () => {
    const reader = createXlsxReader({ zip: { ...DEFAULT_ZIP_LIMITS, maxMembers: 3 } });
    const err = await failure(await fixture({ sheets: [{ name: 'S', rows: [['a']] }] }), reader);
    expect(err.code).toBe('E_LIMIT');
    expect(err.message).toMatch(/more than the limit of 3/);
  });

  it('bounds the parts read whole (workbook, rels, styles)', async () => {
    const reader = createXlsxReader({ maxPartBytes: 100 });
    const err = await failure(await fixture({ sheets: [{ name: 'S', rows: [['a']] }] }), reader);
    expect(err.code).toBe('E_LIMIT');
    expect(err.message).toMatch(/more than the 100 bytes allowed for it/);
  });
});
