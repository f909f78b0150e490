/**
 * The output writers and their readers: CSV (quoting, delimiters, BOM, formula guard, a strict
 * reader that survives any chunking), NDJSON, the streaming ZIP/XLSX writer read back by the
 * project's own XLSX importer, and the HTML report's split into sample cells and narrative.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CsvWriter, guardFormula, readCsvRecords } from '../../../src/main/engine/export/csv';
import {
  barChart,
  esc,
  readReportBack,
  REPORT_CSP,
  STYLE_HASH,
} from '../../../src/main/engine/export/html';
import { NdjsonWriter, readNdjsonRecords } from '../../../src/main/engine/export/ndjson';
import { FileSink, sha256File } from '../../../src/main/engine/export/sink';
import { XlsxWriter, xmlEscape } from '../../../src/main/engine/export/xlsx';
import { xlsxReader } from '../../../src/main/engine/import/readers/xlsx';
import { createCollectSink, seededRandom } from '../import/helpers/collect-sink';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir('leakscope-export-unit-');
let n = 0;
const path = (ext: string) => join(dir, `f${++n}.${ext}`);

async function* chunksOf(text: string, sizes: () => number): AsyncGenerator<string> {
  for (let i = 0; i < text.length;) {
    const s = sizes();
    yield text.slice(i, i + s);
    i += s;
  }
}

const TRICKY = [
  'plain',
  'with, comma',
  'with "quotes"',
  'multi\r\nline\nvalue',
  ' leading space',
  '=SUM(A1:A2)',
  '+33 6 12 34 56 78',
  '-12.5',
  '@cmd',
  'tab;semi|pipe\tx',
  'accents éèà 😀',
  '',
];

describe('CSV', () => {
  it('guards formulas but not phone numbers or negative numbers', () => {
    expect(guardFormula('=1+1')).toBe("'=1+1");
    expect(guardFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(guardFormula('+cmd|x')).toBe("'+cmd|x");
    expect(guardFormula('-2+3')).toBe("'-2+3");
    expect(guardFormula('+33 6 12 34 56 78')).toBe('+33 6 12 34 56 78');
    expect(guardFormula('-12.5')).toBe('-12.5');
  });

  for (const delimiter of [',', ';', '\t', '|'] as const) {
    it(`round-trips tricky values with delimiter ${JSON.stringify(delimiter)}, whatever the chunking`, async () => {
      const p = path('csv');
      const sink = new FileSink(p);
      const w = new CsvWriter(sink, { delimiter, bom: true });
      w.row(['a', 'b', 'n']);
      for (let i = 0; i < TRICKY.length; i++)
        w.row([TRICKY[i]!, TRICKY[(i + 3) % TRICKY.length]!, i]);
      w.row([null, '', 7]);
      sink.close();
      const text = readFileSync(p, 'utf8');
      expect(text.startsWith('\ufeffa')).toBe(true);
      expect(text.includes('\r\n')).toBe(true);
      const rnd = seededRandom(delimiter.charCodeAt(0));
      const records: string[][] = [];
      for await (const r of readCsvRecords(
        chunksOf(text, () => 1 + Math.floor(rnd() * 9)),
        delimiter,
      )) {
        records.push(r);
      }
      expect(records[0]).toEqual(['a', 'b', 'n']);
      expect(records.slice(1, -1)).toEqual(
        TRICKY.map((v, i) => [
          guardFormula(v),
          guardFormula(TRICKY[(i + 3) % TRICKY.length]!),
          String(i),
        ]),
      );
      expect(records[records.length - 1]).toEqual(['', '', '7']);
    });
  }

  it('refuses a file that does not parse back', async () => {
    const bad = async () => {
      for await (const _ of readCsvRecords(
        chunksOf('a,"b"c\r\n', () => 3),
        ',',
      ))
        void _;
    };
    await expect(bad()).rejects.toThrow(/text after a closing quote/);
  });
});

describe('NDJSON', () => {
  it('writes one object per line and reads it back in key order, null kept apart from empty', async () => {
    const p = path('ndjson');
    const sink = new FileSink(p);
    const keys = ['_ordinal', 'x', 'y'];
    const w = new NdjsonWriter(sink, keys);
    w.row([0, 'a\nb', null]);
    w.row([1, '', 'é"']);
    sink.close();
    expect(readFileSync(p, 'utf8')).toBe(
      '{"_ordinal":0,"x":"a\\nb","y":null}\n{"_ordinal":1,"x":"","y":"é\\""}\n',
    );
    const back: unknown[] = [];
    for await (const r of readNdjsonRecords(
      chunksOf(readFileSync(p, 'utf8'), () => 5),
      keys,
    ))
      back.push(r);
    expect(back).toEqual([
      [0, 'a\nb', null],
      [1, '', 'é"'],
    ]);
  });
});

describe('XLSX', () => {
  it('escapes XML and OOXML lookalikes', () => {
    expect(xmlEscape('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
    expect(xmlEscape('x\u0001y\rz')).toBe('x_x0001_y_x000D_z');
    expect(xmlEscape('_x0041_')).toBe('_x005F_x0041_');
  });

  it('writes sheets that the project’s XLSX reader reads back exactly', async () => {
    const p = path('xlsx');
    const sink = new FileSink(p);
    const x = new XlsxWriter(sink, new Date('2025-01-02T03:04:05Z'));
    x.beginSheet('Data', ['_ordinal', 'name', 'note']);
    const rows: (string | number | null)[][] = [];
    for (let i = 0; i < 3000; i++) {
      rows.push([
        i,
        `name ${i} ${TRICKY[i % TRICKY.length]}`,
        i % 7 === 0 ? null : `x\u0001_x0041_ ${'é'.repeat(i % 5)}`,
      ]);
    }
    for (const r of rows) x.row(r);
    x.row([3000, 'y'.repeat(40_000), null]);
    x.beginSheet('Manifest', ['field', 'value']);
    x.row(['policy', 'share-with-authority']);
    x.finish();
    sink.close();
    expect(x.truncated).toBe(1);
    const { sink: collect, tables } = createCollectSink();
    const result = await xlsxReader.readFile!(p, {}, collect);
    expect(result.truncated).toBe(false);
    expect([...tables.keys()]).toEqual(['Data', 'Manifest']);
    const data = tables.get('Data')!;
    expect(data.columns.map((c) => c.name)).toEqual(['_ordinal', 'name', 'note']);
    expect(data.rows.length).toBe(3001);
    data.rows.slice(0, 3000).forEach((r, i) => {
      const want = rows[i]!.map((v) => (v === null ? null : String(v)));
      // Trailing absent cells are simply absent in the reader's output.
      while (want.length && want[want.length - 1] === null) want.pop();
      expect(r.values).toEqual(want);
    });
    expect(data.rows[3000]!.values[1]!.length).toBe(32_767);
    expect(tables.get('Manifest')!.rows[0]!.values).toEqual(['policy', 'share-with-authority']);
  });

  it('is a valid zip: local headers patched with CRC and sizes, central directory at the end', () => {
    const p = path('xlsx');
    const sink = new FileSink(p);
    const x = new XlsxWriter(sink, new Date());
    x.beginSheet('S', ['a']);
    x.row(['hello']);
    x.finish();
    sink.close();
    const buf = readFileSync(p);
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const entries = buf.readUInt16LE(eocd + 10);
    let off = buf.readUInt32LE(eocd + 16);
    const names: string[] = [];
    for (let i = 0; i < entries; i++) {
      expect(buf.readUInt32LE(off)).toBe(0x02014b50);
      const csize = buf.readUInt32LE(off + 20);
      const usize = buf.readUInt32LE(off + 24);
      const nameLen = buf.readUInt16LE(off + 28);
      const local = buf.readUInt32LE(off + 42);
      const name = buf.subarray(off + 46, off + 46 + nameLen).toString();
      names.push(name);
      expect(buf.readUInt32LE(local + 18)).toBe(csize);
      const data = inflateRawSync(buf.subarray(local + 30 + nameLen, local + 30 + nameLen + csize));
      expect(data.length).toBe(usize);
      off += 46 + nameLen;
    }
    expect(names).toEqual([
      'xl/worksheets/sheet1.xml',
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
    ]);
    expect(sha256File(p).bytes).toBe(buf.length);
  });
});

describe('HTML', () => {
  it('allows exactly its own style block in the CSP', () => {
    expect(REPORT_CSP).toContain(`style-src '${STYLE_HASH}'`);
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(REPORT_CSP).not.toMatch(/script-src|unsafe/);
  });
  it('draws bar charts as inline SVG with escaped labels', () => {
    const svg = barChart('t <x>', [
      { label: 'a & b', value: 10, tone: 'high' },
      { label: 'c', value: 5 },
    ]);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('a &amp; b');
    expect(svg).toContain('width="520"');
    expect(svg).toContain('width="260"');
    expect(svg).not.toContain('style=');
  });
  it('reads sample cells apart from narrative text', () => {
    const html = `<html><head><style>p{color:red}</style></head><body><p>Intro ${esc('a<b')}</p><table><tr><td class="num" data-p="1">3</td><td data-c="0">x &amp; y</td><td data-c="1"></td></tr></table><pre id="manifest">${esc('{"a":"b"}')}</pre></body></html>`;
    const r = readReportBack(html, 2);
    expect(r.sample).toEqual([['x & y', '']]);
    expect(r.texts).toEqual(['Intro a<b', '{"a":"b"}']);
    expect(r.attributes).toEqual([]);
  });
});
