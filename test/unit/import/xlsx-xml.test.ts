/**
 * The XLSX reader's building blocks without a zip: the strict slice tokenizer, the streaming
 * element splitter (chunk boundaries anywhere give identical output), the sheet parser fed
 * with random chunk sizes, the shared strings parser, and the value rules (dates, references,
 * `_xHHHH_` escapes, entities).
 */
import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStyles, readSharedStrings } from '../../../src/main/engine/import/readers/xlsx/parts';
import { SheetParser } from '../../../src/main/engine/import/readers/xlsx/sheet';
import {
  DATE,
  DATETIME,
  DURATION,
  NOT_DATE,
  TIME,
  builtinDateKind,
  columnLetters,
  columnOfRef,
  decodeXEscapes,
  formatDateKind,
  serialToIso,
} from '../../../src/main/engine/import/readers/xlsx/values';
import {
  Attrs,
  ElementSplitter,
  XmlError,
  decodeEntities,
  decodeText,
  walkXml,
  type XmlVisitor,
} from '../../../src/main/engine/import/readers/xlsx/xml';
import {
  STYLE,
  SstBuilder,
  sheetXml,
  stylesXml,
  type Cell,
  type Row,
} from '../../fixtures/xlsx/write-xlsx';
import { createCollectSink, fixedChunks, randomChunks } from './helpers/collect-sink';

/** Records a walk as a flat list of events. */
function events(xml: string): string[] {
  const out: string[] = [];
  const v: XmlVisitor = {
    open(local, attrs, selfClosing) {
      const a: string[] = [];
      for (let i = 0; i < attrs.length; i++) a.push(`${attrs.names[i]}=${attrs.values[i]}`);
      out.push(`<${local}${a.length ? ` ${a.join(' ')}` : ''}${selfClosing ? '/' : ''}>`);
    },
    close(local) {
      out.push(`</${local}>`);
    },
    text(buf, s, e, cdata) {
      out.push(
        cdata ? `cdata:${buf.toString('utf8', s, e)}` : `text:${buf.toString('utf8', s, e)}`,
      );
    },
  };
  walkXml(Buffer.from(xml), v);
  return out;
}

function walkError(xml: string): string {
  try {
    events(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(XmlError);
    return (e as Error).message;
  }
  throw new Error('expected an XmlError');
}

describe('walkXml (strict, one slice)', () => {
  it('reports tags, attributes (prefix stripped from the element name) and text', () => {
    expect(
      events('<x:row r="2" spans=\'1:3\'><x:c r="A2"/>a&amp;b<![CDATA[<raw>]]></x:row>'),
    ).toEqual(['<row r=2 spans=1:3>', '<c r=A2/>', 'text:a&amp;b', 'cdata:<raw>', '</row>']);
  });

  it('accepts ">" inside attribute values, comments and processing instructions', () => {
    expect(events('<a t="x>y"><?pi data?><!-- <b> --></a>')).toEqual(['<a t=x>y>', '</a>']);
  });

  it('decodes entities and normalises whitespace in attribute values', () => {
    const attrs = new Attrs();
    walkXml(
      Buffer.from('<s name="R&amp;D &lt;1&gt; &#233;\tx"/>'),
      {
        open(_l, a) {
          expect(a.get('name')).toBe('R&D <1> é x');
        },
        close() {},
        text() {},
      },
      attrs,
    );
  });

  it('finds namespaced attributes by local name', () => {
    walkXml(Buffer.from('<sheet name="S" r:id="rId3"/>'), {
      open(_l, a) {
        expect(a.get('id')).toBe('rId3');
        expect(a.get('name')).toBe('S');
        expect(a.get('missing')).toBeNull();
      },
      close() {},
      text() {},
    });
  });

  it('rejects malformed XML with a short reason', () => {
    expect(walkError('<row><c><v>1</c></row>')).toBe('</c> does not close <v>');
    expect(walkError('<row><c>')).toBe('<c> is not closed');
    expect(walkError('<row></row></row>')).toBe('unexpected </row>');
    expect(walkError('<row r=2></row>')).toBe('unquoted attribute r in <row>');
    expect(walkError('<row r></row>')).toBe('attribute r without a value in <row>');
    expect(walkError('<row r="2"s="1"></row>')).toBe('missing space before an attribute in <row>');
    expect(walkError('<row r="2></row>')).toMatch(/unterminated/);
    expect(walkError('<row><!DOCTYPE x></row>')).toBe('unexpected markup declaration');
  });

  it('refuses invalid UTF-8 instead of substituting U+FFFD', () => {
    const bad = Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3]), Buffer.from(' au lait')]);
    expect(() => decodeText(bad, 0, bad.length)).toThrow('invalid UTF-8 bytes');
    // A genuine U+FFFD in the file is fine.
    const ok = Buffer.from('a\uFFFDb');
    expect(decodeText(ok, 0, ok.length)).toBe('a\uFFFDb');
  });
});

describe('entities and escapes', () => {
  it('decodes the predefined entities and numeric character references', () => {
    expect(decodeEntities('&amp;&lt;&gt;&quot;&apos; caf&#233; &#xE9;t&#xe9; &#x1F600;')).toBe(
      '&<>"\' café été 😀',
    );
  });

  it('refuses unknown entities, bare ampersands and invalid references', () => {
    expect(() => decodeEntities('a &nbsp; b')).toThrow('unknown entity &nbsp;');
    expect(() => decodeEntities('Dupont & Fils')).toThrow(/bare "&"/);
    expect(() => decodeEntities('&#0;')).toThrow(/invalid character reference/);
    expect(() => decodeEntities('&#xD800;')).toThrow(/invalid character reference/);
  });

  it("decodes Excel's _xHHHH_ escapes, with _x005F_ protecting a literal lookalike", () => {
    expect(decodeXEscapes('a_x000D_b_x0009_c')).toBe('a\rb\tc');
    expect(decodeXEscapes('_x005F_x000D_')).toBe('_x000D_');
    expect(decodeXEscapes('no_xescape_x12_')).toBe('no_xescape_x12_');
  });
});

describe('cell references', () => {
  it('maps column letters to indices and back, up to XFD', () => {
    expect(columnOfRef('A1')).toBe(0);
    expect(columnOfRef('Z9')).toBe(25);
    expect(columnOfRef('AA10')).toBe(26);
    expect(columnOfRef('xfd1048576')).toBe(16383);
    expect(columnOfRef('C')).toBe(2);
    expect(columnLetters(0)).toBe('A');
    expect(columnLetters(26)).toBe('AA');
    expect(columnLetters(16383)).toBe('XFD');
  });

  it('refuses malformed references and columns beyond XFD', () => {
    expect(() => columnOfRef('XFE1')).toThrow(/beyond column XFD/);
    expect(() => columnOfRef('1A')).toThrow(/malformed cell reference/);
    expect(() => columnOfRef('A1B')).toThrow(/malformed cell reference/);
    expect(() => columnOfRef('')).toThrow(/malformed cell reference/);
  });
});

describe('date formats', () => {
  it('knows the built-in date and time formats', () => {
    expect([14, 15, 16, 17, 22].map(builtinDateKind)).toEqual([DATE, DATE, DATE, DATE, DATETIME]);
    expect([18, 19, 20, 21, 45, 47].map(builtinDateKind)).toEqual([
      TIME,
      TIME,
      TIME,
      TIME,
      TIME,
      TIME,
    ]);
    expect(builtinDateKind(46)).toBe(DURATION);
    expect([0, 1, 2, 9, 10, 11, 12, 13, 37, 44, 48, 49].map(builtinDateKind)).toEqual(
      Array(12).fill(NOT_DATE),
    );
  });

  it('classifies custom formats by their tokens outside quotes, escapes and brackets', () => {
    expect(formatDateKind('dd/mm/yyyy')).toBe(DATE);
    expect(formatDateKind('[$-40C]d mmmm yyyy;@')).toBe(DATE);
    expect(formatDateKind('mmm-yy')).toBe(DATE);
    expect(formatDateKind('yyyy-mm-dd hh:mm:ss')).toBe(DATETIME);
    expect(formatDateKind('h:mm AM/PM')).toBe(TIME);
    expect(formatDateKind('mm:ss.0')).toBe(TIME);
    expect(formatDateKind('[h]:mm:ss')).toBe(DURATION);
    expect(formatDateKind('[mm]:ss')).toBe(DURATION);
    expect(formatDateKind('0.00 "d"')).toBe(NOT_DATE);
    expect(formatDateKind('[Red]0.00;[Blue]-0.00')).toBe(NOT_DATE);
    expect(formatDateKind('#,##0 \\m\\²')).toBe(NOT_DATE);
    expect(formatDateKind('0.00E+00')).toBe(NOT_DATE);
    expect(formatDateKind('General')).toBe(NOT_DATE);
    expect(formatDateKind('@')).toBe(NOT_DATE);
    expect(formatDateKind('_-* #,##0.00 "€"_-')).toBe(NOT_DATE);
    // Only the first section counts.
    expect(formatDateKind('0;dd/mm/yyyy')).toBe(NOT_DATE);
  });

  it('reads the date kind of each cellXfs entry, ignoring cellStyleXfs', () => {
    const kinds = parseStyles(Buffer.from(stylesXml()));
    expect(kinds[STYLE.general]).toBe(NOT_DATE);
    expect(kinds[STYLE.date]).toBe(DATE);
    expect(kinds[STYLE.datetime]).toBe(DATETIME);
    expect(kinds[STYLE.customDate]).toBe(DATE);
    expect(kinds[STYLE.time]).toBe(TIME);
    expect(kinds[STYLE.elapsed]).toBe(DURATION);
    expect(kinds[STYLE.quotedD]).toBe(NOT_DATE);
    expect(kinds[STYLE.red]).toBe(NOT_DATE);
    expect(kinds[STYLE.percent]).toBe(NOT_DATE);
    expect(kinds[STYLE.ampm]).toBe(TIME);
  });
});

describe('serialToIso', () => {
  it('follows the 1900 date system, phantom 1900-02-29 included', () => {
    expect(serialToIso(1, DATE, false)).toBe('1900-01-01');
    expect(serialToIso(59, DATE, false)).toBe('1900-02-28');
    expect(serialToIso(60, DATE, false)).toBe('1900-02-29');
    expect(serialToIso(61, DATE, false)).toBe('1900-03-01');
    expect(serialToIso(32874, DATE, false)).toBe('1990-01-01');
    expect(serialToIso(45292, DATE, false)).toBe('2024-01-01');
    expect(serialToIso(45351, DATE, false)).toBe('2024-02-29');
    expect(serialToIso(2958465, DATE, false)).toBe('9999-12-31');
  });

  it('follows the 1904 date system', () => {
    expect(serialToIso(0, DATE, true)).toBe('1904-01-01');
    expect(serialToIso(43830, DATE, true)).toBe('2024-01-01');
    expect(serialToIso(43830.25, DATETIME, true)).toBe('2024-01-01T06:00:00');
  });

  it('keeps the time whenever there is one, to the millisecond', () => {
    expect(serialToIso(45292.5, DATETIME, false)).toBe('2024-01-01T12:00:00');
    expect(serialToIso(45292, DATETIME, false)).toBe('2024-01-01T00:00:00');
    // A date-only format on a serial with a time: the time is not hidden.
    expect(serialToIso(45292.75, DATE, false)).toBe('2024-01-01T18:00:00');
    expect(serialToIso(45292 + 1 / 86400, DATETIME, false)).toBe('2024-01-01T00:00:01');
    expect(serialToIso(45292 + 0.5 / 86400, DATETIME, false)).toBe('2024-01-01T00:00:00.500');
    // 23:59:59.9999 rounds to the next day rather than to 24:00:00.
    expect(serialToIso(45292.99999999999, DATETIME, false)).toBe('2024-01-02T00:00:00');
  });

  it('gives bare times and elapsed durations', () => {
    expect(serialToIso(0.5, TIME, false)).toBe('12:00:00');
    expect(serialToIso(0.75, TIME, true)).toBe('18:00:00');
    expect(serialToIso(45292.5, TIME, false)).toBe('2024-01-01T12:00:00');
    expect(serialToIso(1.5, DURATION, false)).toBe('36:00:00');
    expect(serialToIso(0.0006944444444444445, DURATION, false)).toBe('00:01:00');
  });

  it('returns null (stored text kept) for serials that are not dates', () => {
    expect(serialToIso(-1, DATE, false)).toBeNull();
    expect(serialToIso(0, DATE, false)).toBeNull();
    expect(serialToIso(2958466, DATE, false)).toBeNull();
    expect(serialToIso(Number.NaN, DATE, false)).toBeNull();
    expect(serialToIso(0.5, DATETIME, false)).toBe('12:00:00');
  });
});

describe('ElementSplitter', () => {
  const xml =
    '<?xml version="1.0"?>\n<!-- a <row> in a comment --><sst count="3"><si><t>A&amp;B</t></si>' +
    '<si><r><t>caf\u00e9 </t></r><r><t xml:space="preserve">cr\u00e8me</t></r></si><![CDATA[<si>]]>' +
    '<x:si/><si><t>\u{1F600}</t></si></sst>';

  function split(chunks: Uint8Array[]): string[] {
    const out: string[] = [];
    const s = new ElementSplitter('si', {
      element: (b, off) => out.push(`${off}:${b.toString('utf8')}`),
      broken: (b, off, reason) => out.push(`broken ${off}:${reason}`),
      tag: (local, _b, off) => out.push(`tag ${local}@${off}`),
    });
    for (const c of chunks) s.push(c);
    const r = s.end();
    out.push(`truncated=${r.truncated}`);
    return out;
  }

  it('hands over every element with its absolute byte offset', () => {
    const bytes = Buffer.from(xml);
    const out = split([bytes]);
    expect(out).toEqual([
      `tag sst@${bytes.indexOf('<sst')}`,
      `${bytes.indexOf('<si><t>A')}:<si><t>A&amp;B</t></si>`,
      `${bytes.indexOf('<si><r>')}:<si><r><t>café </t></r><r><t xml:space="preserve">crème</t></r></si>`,
      `${bytes.indexOf('<x:si/>')}:<x:si/>`,
      `${bytes.indexOf('<si><t>\u{1F600}')}:<si><t>\u{1F600}</t></si>`,
      'truncated=false',
    ]);
  });

  it('gives identical output whatever the chunk sizes', () => {
    const bytes = Buffer.from(xml);
    const whole = split([bytes]);
    expect(split(fixedChunks(bytes, 1))).toEqual(whole);
    for (let seed = 1; seed <= 50; seed++)
      expect(split(randomChunks(bytes, seed, 16))).toEqual(whole);
  });

  it('reports an element whose end tag was lost, then resumes at the next one', () => {
    const out = split([Buffer.from('<sst><si><t>a</t><si><t>b</t></si></sst>')]);
    expect(out).toEqual([
      'tag sst@0',
      'broken 5:<si> is not closed before the next <si>',
      '17:<si><t>b</t></si>',
      'truncated=false',
    ]);
  });

  it('reports the element cut by the end of the input as truncated', () => {
    const xml = '<sst><si><t>a</t></si><si><t>b';
    expect(split([Buffer.from(xml)])).toEqual([
      'tag sst@0',
      '5:<si><t>a</t></si>',
      `broken ${xml.lastIndexOf('<si>')}:the data ends inside this <si> (truncated)`,
      'truncated=true',
    ]);
  });

  it('bounds an oversized element and skips to the next one', () => {
    const out: string[] = [];
    const s = new ElementSplitter(
      'row',
      {
        element: (b) => out.push(b.toString()),
        broken: (b, _o, reason) => out.push(`broken(${b.length}) ${reason}`),
      },
      100,
    );
    const big = `<row r="1"><c><v>${'9'.repeat(1000)}</v></c></row><row r="2"/>`;
    for (const c of fixedChunks(Buffer.from(big), 7)) s.push(c);
    s.end();
    expect(out[0]).toMatch(/^broken\(\d+\) <row> is larger than 100 bytes \(limit\)$/);
    expect(out[1]).toBe('<row r="2"/>');
    expect(s.peakBufferedBytes).toBeLessThan(300);
  });
});

async function* toChunks(...chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* chunks;
}

describe('readSharedStrings', () => {
  const from = (chunks: Uint8Array[]): AsyncIterable<Uint8Array> => toChunks(...chunks);

  it('joins rich-text runs, leaves phonetic guides out, keeps whitespace, decodes escapes', async () => {
    const sst = new SstBuilder();
    sst.plain('Dupont & Fils');
    sst.rich(['Très ', 'important'], 'トクベツ');
    sst.plain('  espace  ');
    sst.plain('ligne1\r\nligne2');
    sst.plain('a_x000D_b');
    const bytes = Buffer.from(`\uFEFF${sst.xml()}`);
    const whole = await readSharedStrings(from([bytes]), 1 << 20);
    expect(whole.strings).toEqual([
      'Dupont & Fils',
      'Très important',
      '  espace  ',
      'ligne1\r\nligne2',
      'a_x000D_b',
    ]);
    expect(whole.errors.size).toBe(0);
    for (let seed = 1; seed <= 20; seed++) {
      const r = await readSharedStrings(from(randomChunks(bytes, seed, 24)), 1 << 20);
      expect(r.strings).toEqual(whole.strings);
    }
  });

  it('keeps indices aligned past a malformed <si>', async () => {
    const xml = '<sst><si><t>ok</t></si><si><t>bad &zz;</t></si><si><t>fine</t></si></sst>';
    const r = await readSharedStrings(from([Buffer.from(xml)]), 1 << 20);
    expect(r.strings).toEqual(['ok', '', 'fine']);
    expect([...r.errors]).toEqual([[1, 'unknown entity &zz;']]);
  });

  it('refuses a table larger than its bound (it is held in memory)', async () => {
    await expect(readSharedStrings(from([Buffer.alloc(2000, 0x20)]), 1000)).rejects.toThrow(
      /larger than 1000 bytes/,
    );
  });
});

describe('SheetParser fed with arbitrary chunks', () => {
  const sst = new SstBuilder();
  const rows: (Cell[] | Row)[] = [
    ['Nom', 'Prénom', 'Email', 'Naissance', 'Heure'],
    ['Dupont & Fils', 'Élodie', 'e@x.fr', { n: 32874, s: STYLE.date }, { n: 0.5, s: STYLE.time }],
    { r: 4, cells: { A: '<Martin>', C: { rich: ['m@', 'x.fr'] }, E: true } },
    {
      xml: '<row r="5"><c r="A5" t="inlineStr"><is><t>caf&#233; &#x1F600; &lt;b&gt;</t></is></c></row>',
    },
    { xml: '<row r="6"><c r="A6" t="s"><v>0</c></row>' },
    { xml: '<!-- comment between rows --><row r="7"><c r="B7"><v>7</v></c></row>' },
    { xml: '<row r="8"><c r="A8" t="inlineStr"><is><t>a &nbsp; b</t></is></c></row>' },
    { xml: '<row r="9"><c r="A9"><v>9</v></c>' },
    { r: 10, cells: ['Zoë', 'ligne1\nligne2', 'x@y.z', { n: 45292.5, s: STYLE.datetime }] },
    { r: 11, noRefs: true, cells: ['sans', 'refs'] },
  ];
  const xml = sheetXml({ name: 'S', rows }, sst);
  let strings: string[] = [];
  beforeAll(async () => {
    strings = (await readSharedStrings(toChunks(Buffer.from(sst.xml())), 1 << 20)).strings;
  });
  const dateKinds = parseStyles(Buffer.from(stylesXml()));

  function parse(chunks: Uint8Array[]) {
    const { sink, tables, rejects } = createCollectSink();
    const p = new SheetParser(sink, {
      table: 'S',
      sst: { strings, errors: new Map() },
      dateKinds,
      date1904: false,
      maxRowBytes: 1 << 20,
    });
    for (const c of chunks) p.push(c);
    const end = p.end();
    return { tables: [...tables], rejects, end, stats: { ...p.stats, peakBufferedBytes: 0 } };
  }

  const bytes = Buffer.from(xml);
  let whole: ReturnType<typeof parse>;
  beforeAll(() => {
    whole = parse([bytes]);
  });

  it('parses the rows into exact values with rejects in place', () => {
    const t = whole.tables[0]![1];
    expect(t.columns.map((c) => c.name)).toEqual(['Nom', 'Prénom', 'Email', 'Naissance', 'Heure']);
    expect(t.rows.map((r) => [r.line, r.ordinal, r.values])).toEqual([
      [2, 0, ['Dupont & Fils', 'Élodie', 'e@x.fr', '1990-01-01', '12:00:00']],
      [4, 1, ['<Martin>', null, 'm@x.fr', null, 'TRUE']],
      [5, 2, ['café 😀 <b>']],
      [7, 4, [null, '7']],
      [10, 7, ['Zoë', 'ligne1\nligne2', 'x@y.z', '2024-01-01T12:00:00']],
      [11, 8, ['sans', 'refs']],
    ]);
    expect(whole.rejects.map((r) => [r.line, r.ordinal, r.reason])).toEqual([
      [6, 3, 'row 6: </c> does not close <v>'],
      [8, 5, 'row 8: unknown entity &nbsp;'],
      [9, 6, 'row 9: <row> is not closed before the next <row>'],
    ]);
    expect(whole.rejects[0]!.raw).toBe('<row r="6"><c r="A6" t="s"><v>0</c></row>');
    expect(whole.end).toEqual({ truncated: false });
  });

  it('gives each row the byte offset of its <row> tag in the sheet XML', () => {
    const t = whole.tables[0]![1];
    for (const r of t.rows.slice(0, -1)) expect(r.offset).toBe(bytes.indexOf(`<row r="${r.line}"`));
    // Row 11 has no r attribute (its number follows row 10).
    expect(t.rows[t.rows.length - 1]!.offset).toBe(bytes.indexOf('<row>'));
    for (const r of whole.rejects) expect(r.offset).toBe(bytes.indexOf(`<row r="${r.line}"`));
  });

  it('gives identical output for 1-byte, fixed and random chunk sizes', () => {
    expect(parse(fixedChunks(bytes, 1))).toEqual(whole);
    expect(parse(fixedChunks(bytes, 7))).toEqual(whole);
    for (let seed = 1; seed <= 40; seed++) {
      expect(parse(randomChunks(bytes, seed, 97))).toEqual(whole);
    }
  });

  it('reports a sheet cut inside a row: the rows before are kept, the partial row rejected', () => {
    const cut = bytes.subarray(0, bytes.indexOf('<row r="10"') + 30);
    const r = parse([cut]);
    expect(r.end.truncated).toBe(true);
    expect(r.tables[0]![1].rows.map((x) => x.line)).toEqual([2, 4, 5, 7]);
    expect(r.rejects[r.rejects.length - 1]!.reason).toBe(
      'row 10: the data ends inside this <row> (truncated)',
    );
  });

  it('reports a sheet cut between rows (no </sheetData>) as truncated', () => {
    const cut = bytes.subarray(0, bytes.indexOf('<row r="9"'));
    const r = parse([cut]);
    expect(r.end).toEqual({ truncated: true, reason: 'the sheet XML ends before </sheetData>' });
  });
});
