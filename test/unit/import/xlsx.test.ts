/**
 * The XLSX reader end to end on generated workbooks: sniffing, sheets → tables in tab order,
 * exact cell values (strings shared or inline, numbers as stored, booleans, errors, dates in
 * both date systems, rich text, entities, escapes), header handling, provenance, hidden sheets.
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeakscopeError } from '../../../src/shared/errors';
import { xlsxReader } from '../../../src/main/engine/import/readers/xlsx';
import type { ReadContext } from '../../../src/main/engine/import/types';
import {
  STYLE,
  SstBuilder,
  oleFile,
  sheetXml,
  writeXlsx,
  writeZip,
  type Cell,
  type Row,
  type WorkbookSpec,
  type ZipOptions,
} from '../../fixtures/xlsx/write-xlsx';
import { createCollectSink, type Collected } from './helpers/collect-sink';

const dir = mkdtempSync(join(tmpdir(), 'leakscope-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function fixture(
  spec: WorkbookSpec,
  opts: ZipOptions = {},
  name = 'book.xlsx',
): Promise<string> {
  const path = join(dir, `${n++}-${name}`);
  await writeXlsx(path, spec, opts);
  return path;
}

async function readXlsx(
  path: string,
  ctx?: ReadContext & { onBytes?: (n: number) => void },
): Promise<Collected> {
  const { sink, tables, rejects, meta } = createCollectSink();
  const result = await xlsxReader.readFile!(path, {}, sink, ctx);
  return { tables, rejects, meta, result };
}

function table(c: Collected, name: string) {
  const t = c.tables.get(name);
  if (!t) throw new Error(`no table ${name}; have ${[...c.tables.keys()].join(', ')}`);
  return {
    columns: t.columns.map((x) => x.name),
    rows: t.rows.map((r) => r.values),
    lines: t.rows.map((r) => r.line),
    raw: t,
  };
}

const CLIENTS: (Cell[] | Row)[] = [
  ['Nom', 'Prénom', 'Email', 'Naissance', 'Téléphone', 'Actif', 'Solde', 'Note'],
  [
    'Dupont & Fils',
    'Élodie',
    'elodie@example.fr',
    { n: 32874, s: STYLE.date },
    612345678,
    true,
    { n: '1234.5' },
    { rich: ['Très ', 'important'], phonetic: 'トクベツ' },
  ],
  { r: 4, cells: { A: '<Martin>', C: 'martin@example.fr', F: false } },
  {
    r: 6,
    cells: [
      'Lefèvre',
      '  espace  ',
      null,
      { n: 45292.75, s: STYLE.datetime },
      { t: 'str', v: 'résultat de formule' },
      { t: 'e', v: '#N/A' },
      0.30000000000000004,
      'ligne1\r\nligne2 _x000D_ littéral',
    ],
  },
];

const FORMATS: (Cell[] | Row)[] = [
  ['format', 'valeur'],
  ['date 14', { n: 45292, s: STYLE.date }],
  ['custom dd/mm/yyyy', { n: 45292, s: STYLE.customDate }],
  ['time 21', { n: 0.5, s: STYLE.time }],
  ['elapsed 46', { n: 1.5, s: STYLE.elapsed }],
  ['0.00 "d"', { n: 3.5, s: STYLE.quotedD }],
  ['[Red]0.00', { n: 45292, s: STYLE.red }],
  ['percent', { n: 0.15, s: STYLE.percent }],
  ['AM/PM', { n: 0.75, s: STYLE.ampm }],
  ['leap 59', { n: 59, s: STYLE.date }],
  ['leap 60', { n: 60, s: STYLE.date }],
  ['leap 61', { n: 61, s: STYLE.date }],
  ['zero', { n: 0, s: STYLE.date }],
  ['negative', { n: -5, s: STYLE.date }],
  ['t=d', { t: 'd', v: '2024-03-15T10:30:00' }],
  ['scientific', { n: '1.5E-3' }],
  ['formula only', { xml: '<c r="B17"><f>SUM(A1:A2)</f></c>' }],
];

function mainSpec(strings: 'shared' | 'inline'): WorkbookSpec {
  return {
    strings,
    sheets: [
      { name: 'Clients', rows: CLIENTS },
      {
        name: 'Données cachées',
        state: 'hidden',
        rows: [
          ['id', 'valeur'],
          [1, 'x'],
          [2, 'y'],
        ],
      },
      { name: 'R&D <2024>', state: 'veryHidden', rows: [['a'], ['b']] },
      { name: 'Graphique', chart: true },
      { name: 'Formats', rows: FORMATS },
    ],
  };
}

describe('sniff', () => {
  it('recognises a workbook by the member names of its first local headers', async () => {
    const path = await fixture(mainSpec('shared'));
    const head = readFileSync(path).subarray(0, 64 * 1024);
    expect(xlsxReader.sniff(head, 'anything.bin')).toEqual({ likelihood: 0.95, options: {} });
  });

  it('falls back on the extension for a zip without telling names', async () => {
    const path = join(dir, 'plain.zip');
    await writeZip(path, [{ name: 'data/people.csv', data: 'a,b\n1,2\n' }]);
    const head = readFileSync(path);
    expect(xlsxReader.sniff(head, 'export.xlsx')).toEqual({ likelihood: 0.5, options: {} });
    expect(xlsxReader.sniff(head, 'export.zip')).toBeNull();
  });

  it('leaves Word documents, text and other files alone', async () => {
    const path = join(dir, 'doc.zip');
    await writeZip(path, [
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(xlsxReader.sniff(readFileSync(path), 'lettre.docx')).toBeNull();
    expect(xlsxReader.sniff(readFileSync(path), 'lettre.bin')).toBeNull();
    expect(xlsxReader.sniff(Buffer.from('nom;email\nDupont;a@b.fr\n'), 'x.csv')).toBeNull();
    expect(xlsxReader.sniff(Buffer.alloc(0), 'x.xlsx')).toBeNull();
  });

  it('claims an OLE file named .xlsx or holding an EncryptedPackage (password-protected)', () => {
    expect(xlsxReader.sniff(oleFile(), 'secret.xlsx')?.likelihood).toBe(0.9);
    expect(xlsxReader.sniff(oleFile(), 'secret.bin')?.likelihood).toBe(0.9);
    expect(xlsxReader.sniff(oleFile(true), 'old.xls')).toBeNull();
  });

  it('refuses to read from a byte stream: xlsx needs readFile', async () => {
    const err = await xlsxReader
      .read((async function* () {})(), {}, createCollectSink().sink)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeakscopeError);
    expect((err as LeakscopeError).code).toBe('E_IMPORT_FORMAT');
    expect((err as Error).message).toMatch(/xlsx needs readFile/);
  });
});

describe('a workbook with several sheets', () => {
  let shared: Collected;
  let inline: Collected;
  beforeAll(async () => {
    shared = await readXlsx(await fixture(mainSpec('shared')));
    inline = await readXlsx(await fixture(mainSpec('inline')));
  });

  it('gives one table per worksheet, named as the tabs, in tab order (chart sheets skipped)', () => {
    expect([...shared.tables.keys()]).toEqual([
      'Clients',
      'Données cachées',
      'R&D <2024>',
      'Formats',
    ]);
    expect(shared.result).toEqual({ truncated: false });
    expect(shared.rejects).toEqual([]);
    expect(shared.meta['sheet.4.name']).toBe('Graphique');
    expect(shared.meta['sheet.4.skipped']).toBe('a chartsheet holds no cells');
  });

  it('imports hidden sheets and records their visibility', () => {
    expect(shared.meta['sheet.1.state']).toBe('visible');
    expect(shared.meta['sheet.2.state']).toBe('hidden');
    expect(shared.meta['sheet.3.state']).toBe('veryHidden');
    expect(table(shared, 'Données cachées').rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
    expect(table(shared, 'R&D <2024>').rows).toEqual([['b']]);
  });

  it('keeps every cell value as Excel stores it', () => {
    const t = table(shared, 'Clients');
    expect(t.columns).toEqual([
      'Nom',
      'Prénom',
      'Email',
      'Naissance',
      'Téléphone',
      'Actif',
      'Solde',
      'Note',
    ]);
    expect(t.rows).toEqual([
      [
        'Dupont & Fils',
        'Élodie',
        'elodie@example.fr',
        '1990-01-01',
        '612345678',
        'TRUE',
        '1234.5',
        'Très important',
      ],
      ['<Martin>', null, 'martin@example.fr', null, null, 'FALSE'],
      [
        'Lefèvre',
        '  espace  ',
        null,
        '2024-01-01T18:00:00',
        'résultat de formule',
        '#N/A',
        '0.30000000000000004',
        'ligne1\r\nligne2 _x000D_ littéral',
      ],
    ]);
  });

  it('reads shared and inline strings identically', () => {
    for (const name of ['Clients', 'Données cachées', 'R&D <2024>', 'Formats']) {
      expect(table(inline, name).rows).toEqual(table(shared, name).rows);
      expect(table(inline, name).columns).toEqual(table(shared, name).columns);
    }
    expect(shared.meta.sharedStrings).toBeGreaterThan(0);
    expect(inline.meta.sharedStrings).toBe(0);
  });

  it('turns date-formatted numbers into ISO 8601 and leaves other numbers as stored', () => {
    expect(
      Object.fromEntries(table(shared, 'Formats').rows.map((r) => [r[0], r[1] ?? null])),
    ).toEqual({
      'date 14': '2024-01-01',
      'custom dd/mm/yyyy': '2024-01-01',
      'time 21': '12:00:00',
      'elapsed 46': '36:00:00',
      '0.00 "d"': '3.5',
      '[Red]0.00': '45292',
      percent: '0.15',
      'AM/PM': '18:00:00',
      'leap 59': '1900-02-28',
      'leap 60': '1900-02-29',
      'leap 61': '1900-03-01',
      zero: '0',
      negative: '-5',
      't=d': '2024-03-15T10:30:00',
      scientific: '1.5E-3',
      'formula only': null,
    });
    expect(shared.meta.dateSystem).toBe('1900');
    expect(shared.meta['sheet.5.dateCells']).toBe(8);
  });

  it('records the Excel row number as the line and skips missing rows', () => {
    const t = table(shared, 'Clients');
    expect(t.lines).toEqual([2, 4, 6]);
    expect(t.raw.rows.map((r) => r.ordinal)).toEqual([0, 1, 2]);
    expect(shared.meta['sheet.1.headerRow']).toBe(1);
    expect(shared.meta['sheet.1.rows']).toBe(3);
  });

  it('gives each record the byte offset of its <row> in the decompressed sheet XML', () => {
    const xml = Buffer.from(sheetXml({ name: 'Clients', rows: CLIENTS }, new SstBuilder()));
    for (const r of table(shared, 'Clients').raw.rows) {
      expect(r.offset).toBe(xml.indexOf(`<row r="${r.line}"`));
    }
  });
});

describe('the 1904 date system', () => {
  it('counts serials from 1904-01-01 when workbook.xml says date1904', async () => {
    const c = await readXlsx(
      await fixture({
        date1904: true,
        sheets: [
          {
            name: 'Mac',
            rows: [
              ['quand', 'n'],
              [{ n: 43830, s: STYLE.date }, 43830],
              [{ n: 0, s: STYLE.date }, 0],
              [{ n: 43830.25, s: STYLE.datetime }, 1],
            ],
          },
        ],
      }),
    );
    expect(c.meta.dateSystem).toBe('1904');
    expect(table(c, 'Mac').rows).toEqual([
      ['2024-01-01', '43830'],
      ['1904-01-01', '0'],
      ['2024-01-01T06:00:00', '1'],
    ]);
  });
});

describe('header handling', () => {
  async function sheetOf(rows: (Cell[] | Row)[]) {
    const c = await readXlsx(await fixture({ sheets: [{ name: 'S', rows }] }));
    return { ...table(c, 'S'), meta: c.meta };
  }

  it('trims and deduplicates names; empty names become col_<n>', async () => {
    const t = await sheetOf([
      ['email', 'Email', '', ' nom ', 'email'],
      ['a@b.fr', 'c@d.fr', 'x', 'Dupont', 'e@f.fr'],
    ]);
    expect(t.columns).toEqual(['email', 'Email_2', 'col_3', 'nom', 'email_3']);
    expect(t.rows).toEqual([['a@b.fr', 'c@d.fr', 'x', 'Dupont', 'e@f.fr']]);
  });

  it('names a gap in the header after its position', async () => {
    const t = await sheetOf([{ cells: { A: 'nom', C: 'email' } }, ['Dupont', 'x', 'a@b.fr']]);
    expect(t.columns).toEqual(['nom', 'col_2', 'email']);
  });

  it('treats a first row of numbers and emails as data (columns col_1..col_n)', async () => {
    const t = await sheetOf([
      ['a@b.fr', 12, 'Dupont'],
      ['c@d.fr', 13, 'Martin'],
    ]);
    expect(t.columns).toEqual(['col_1', 'col_2', 'col_3']);
    expect(t.rows).toEqual([
      ['a@b.fr', '12', 'Dupont'],
      ['c@d.fr', '13', 'Martin'],
    ]);
    expect(t.lines).toEqual([1, 2]);
    expect(t.meta['sheet.1.headerRow']).toBe(0);
  });

  it('extends the columns when a record is wider than the header, never dropping a value', async () => {
    const t = await sheetOf([
      ['nom', 'email'],
      ['Dupont', 'a@b.fr'],
      { cells: { A: 'Martin', B: 'c@d.fr', E: 'en trop' } },
      ['Durand'],
    ]);
    expect(t.columns).toEqual(['nom', 'email', 'col_3', 'col_4', 'col_5']);
    expect(t.rows).toEqual([
      ['Dupont', 'a@b.fr'],
      ['Martin', 'c@d.fr', null, null, 'en trop'],
      ['Durand'],
    ]);
  });

  it('takes the first non-empty row as the header; empty rows are not records', async () => {
    const t = await sheetOf([
      { r: 2, cells: [{ xml: '<c r="A2" s="1"/>' }] },
      { r: 3, cells: ['nom', 'ville'] },
      { r: 4, cells: [{ xml: '<c r="A4" s="2"/>' }, { xml: '<c r="B4"/>' }] },
      { r: 5, cells: ['Dupont', 'Lyon'] },
    ]);
    expect(t.columns).toEqual(['nom', 'ville']);
    expect(t.rows).toEqual([['Dupont', 'Lyon']]);
    expect(t.lines).toEqual([5]);
    expect(t.meta['sheet.1.headerRow']).toBe(3);
    expect(t.meta['sheet.1.emptyRows']).toBe(2);
  });

  it('declares an empty sheet as an empty table', async () => {
    const c = await readXlsx(
      await fixture({
        sheets: [
          { name: 'Vide', rows: [] },
          { name: 'S', rows: [['a'], ['b']] },
        ],
      }),
    );
    expect(table(c, 'Vide')).toMatchObject({ columns: [], rows: [] });
    expect(table(c, 'S').rows).toEqual([['b']]);
  });
});

describe('text details', () => {
  it('decodes entities and numeric character references, and keeps whitespace as written', async () => {
    const rows: Row[] = [
      { xml: '<row r="1"><c r="A1" t="inlineStr"><is><t>texte</t></is></c></row>' },
      {
        xml: '<row r="2"><c r="A2" t="inlineStr"><is><t>caf&#233; &#xE9;t&#xe9; &amp; &lt;b&gt; &quot;q&quot;</t></is></c></row>',
      },
      { xml: '<row r="3"><c r="A3" t="inlineStr"><is><t>  sans preserve  </t></is></c></row>' },
      {
        xml: '<row r="4"><c r="A4" t="inlineStr"><is><t xml:space="preserve">  avec  </t></is></c></row>',
      },
      { xml: '<row r="5"><c r="A5" t="inlineStr"><is><t>a\r\nb</t></is></c></row>' },
      { xml: '<row r="6"><c r="A6" t="inlineStr"><is><t>a&#13;&#10;b_x0009_c</t></is></c></row>' },
      { xml: '<row r="7"><x:c r="A7" t="str"><x:v>pr&#233;fixe</x:v></x:c></row>' },
    ];
    const c = await readXlsx(await fixture({ sheets: [{ name: 'T', rows }] }));
    expect(table(c, 'T').rows).toEqual([
      ['café été & <b> "q"'],
      ['  sans preserve  '],
      ['  avec  '],
      ['a\nb'],
      ['a\r\nb\tc'],
      ['préfixe'],
    ]);
  });

  it('reads sheet names with accents and entities, and relationship targets written absolute', async () => {
    const c = await readXlsx(
      await fixture({
        absoluteTargets: true,
        sheets: [
          { name: 'Élèves & "profs"', rows: [['nom'], ['Zoë']] },
          { name: 'Liste 2', rows: [['x'], ['y']] },
        ],
      }),
    );
    expect([...c.tables.keys()]).toEqual(['Élèves & "profs"', 'Liste 2']);
    expect(table(c, 'Élèves & "profs"').rows).toEqual([['Zoë']]);
  });

  it('never pours two sheets into one table (duplicate or empty names in a crafted file)', async () => {
    const c = await readXlsx(
      await fixture({
        sheets: [
          { name: 'Data', rows: [['a'], ['1']] },
          { name: 'data', rows: [['b'], ['2']] },
          { name: '', rows: [['c'], ['3']] },
        ],
      }),
    );
    expect([...c.tables.keys()]).toEqual(['Data', 'data (2)', 'Sheet3']);
    expect(table(c, 'data (2)').rows).toEqual([['2']]);
    expect(c.meta['sheet.2.table']).toBe('data (2)');
  });

  it('follows workbook order, not the order of the members in the zip', async () => {
    const c = await readXlsx(
      await fixture(
        {
          sheets: [
            { name: 'Premier', rows: [['a'], ['1']] },
            { name: 'Second', rows: [['b'], ['2']] },
          ],
        },
        {
          order: (names) => {
            const sheets = names.filter((x) => x.startsWith('xl/worksheets/')).reverse();
            return [
              ...names.filter((x) => !sheets.includes(x) && x !== 'xl/sharedStrings.xml'),
              ...sheets,
              'xl/sharedStrings.xml',
            ];
          },
        },
      ),
    );
    expect([...c.tables.keys()]).toEqual(['Premier', 'Second']);
    expect(table(c, 'Second').rows).toEqual([['2']]);
  });

  it('reads zips written with data descriptors and stored members', async () => {
    const spec: WorkbookSpec = { sheets: [{ name: 'S', rows: [['nom'], ['Dupont'], ['Martin']] }] };
    for (const opts of [{ descriptor: true }, { store: true }, { store: true, descriptor: true }]) {
      const c = await readXlsx(await fixture(spec, opts));
      expect(c.result).toEqual({ truncated: false });
      expect(table(c, 'S').rows).toEqual([['Dupont'], ['Martin']]);
    }
  });
});

describe('progress and cancellation', () => {
  const rows = function* (count: number): Generator<Cell[]> {
    yield ['id', 'email'];
    for (let i = 1; i <= count; i++) yield [i, `user${i}@example.fr`];
  };

  it('reports compressed bytes as it goes, adding up to the file size', async () => {
    const path = await fixture({ strings: 'inline', sheets: [{ name: 'S', rows: rows(20_000) }] });
    const calls: number[] = [];
    const c = await readXlsx(path, { onBytes: (b) => calls.push(b) });
    expect(table(c, 'S').rows.length).toBe(20_000);
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.every((b) => b > 0)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(readFileSync(path).length);
  });

  it('stops with E_CANCELLED when the signal is aborted', async () => {
    const path = await fixture({ strings: 'inline', sheets: [{ name: 'S', rows: rows(50_000) }] });
    const ac = new AbortController();
    const { sink } = createCollectSink();
    let seen = 0;
    const counting = {
      ...sink,
      row: (...a: Parameters<typeof sink.row>) => {
        sink.row(...a);
        if (++seen === 100) ac.abort();
      },
    };
    const err = await xlsxReader.readFile!(path, {}, counting, { signal: ac.signal }).catch(
      (e: unknown) => e,
    );
    expect((err as LeakscopeError).code).toBe('E_CANCELLED');
    expect(seen).toBeLessThan(50_000);
  });
});
