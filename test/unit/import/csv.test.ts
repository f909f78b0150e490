/**
 * Delimited-text reader: sniffing, real-world quirks, encodings with exact byte provenance,
 * rejects and the unterminated-quote recovery, chunk boundaries, and the public linkage corpus
 * (read in place from ../shared/corpus/linkage, skipped when absent).
 */
import { LINKAGE } from '../../helpers/corpus';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  analyzeDelimited,
  columnNames,
  createCsvReader,
  csvReader,
} from '../../../src/main/engine/import/readers/csv';
import { comboReader } from '../../../src/main/engine/import/readers/combo';
import type { ReaderOptions } from '../../../src/main/engine/import/types';
import {
  collect,
  fixedChunks,
  randomChunks,
  rowValues,
  seededRandom,
  type Collected,
} from './helpers/collect-sink';
import { physicalLines, provenanceProblems } from './helpers/provenance';

const sniff = (text: string | Buffer, name = 'export.csv') =>
  csvReader.sniff(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, name)!;

function invariant(c: Collected): void {
  const rows = c.tables.get('')?.rows.length ?? 0;
  expect(c.meta.recordsRead).toBe(rows + c.rejects.length);
  expect(c.meta.rows).toBe(rows);
  expect(c.meta.rejects).toBe(c.rejects.length);
}

/** Reads whole and in several random chunkings; all must agree. Returns the whole read. */
async function readAll(
  input: string | Buffer,
  options: ReaderOptions = {},
  reader = csvReader,
): Promise<Collected> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const whole = await collect(reader, bytes, options);
  invariant(whole);
  const snap = (c: Collected) => JSON.stringify([[...c.tables], c.rejects, c.meta, c.result]);
  for (const seed of [1, 2, 3]) {
    const c = await collect(reader, randomChunks(bytes, seed, seed === 3 ? 4096 : 7), options);
    expect(snap(c)).toBe(snap(whole));
  }
  return whole;
}

const PEOPLE = [
  [
    'Élodie',
    'Lefèvre',
    'elodie.lefevre@exemple.fr',
    '06 12 34 56 78',
    '12 rue de la Paix',
    'Paris',
  ],
  ['Jérôme', 'Moreau', 'j.moreau@exemple.fr', '+33 7 98 76 54 32', '3 place du Marché', 'Nîmes'],
  ['Anaïs', 'Bérenger', 'anais.b@exemple.fr', '01 23 45 67 89', '8 allée des Tilleuls', 'Orléans'],
  [
    'François',
    'Œuvray',
    'f.oeuvray@exemple.fr',
    '04 11 22 33 44',
    '5 chemin des Écoliers',
    'Besançon',
  ],
];

// ---------------------------------------------------------------------------------------------

describe('sniff', () => {
  it('finds a comma file with a header', () => {
    const text =
      'prenom,nom,email,telephone\n' + PEOPLE.map((p) => p.slice(0, 4).join(',')).join('\n') + '\n';
    const s = sniff(text);
    expect(s.options).toMatchObject({
      delimiter: ',',
      header: true,
      skipLines: 0,
      encoding: 'utf-8',
    });
    expect(s.likelihood).toBeGreaterThanOrEqual(0.85);
  });

  it('prefers ; over , when commas are decimal separators', () => {
    const text =
      'nom;prenom;montant;ville\n' +
      'Dupont;Élodie;12,50;Paris\nMoreau;Jérôme;7,05;Lyon\nRoux;Zoé;100,00;Nîmes\n';
    expect(sniff(text).options).toMatchObject({ delimiter: ';', header: true });
  });

  it('detects a TSV without header', () => {
    const text = PEOPLE.map((p) => p.join('\t')).join('\n') + '\n';
    const s = sniff(text, 'dump.txt');
    expect(s.options).toMatchObject({ delimiter: '\t', header: false, skipLines: 0 });
    expect(s.likelihood).toBeGreaterThanOrEqual(0.85);
  });

  it('detects a pipe file', () => {
    const text = 'id|nom|email\n1|Dupont|a@exemple.fr\n2|Roux|b@exemple.fr\n3|Faure|c@exemple.fr\n';
    expect(sniff(text).options).toMatchObject({ delimiter: '|', header: true });
  });

  it("honours Excel's sep= hint line", () => {
    const text = 'sep=;\r\nnom;ville\r\nDurand, Jean;Paris\r\nRoux, Zoé;Lyon\r\n';
    const s = sniff(text);
    expect(s.options).toMatchObject({ delimiter: ';', header: true, skipLines: 1 });
    expect(s.likelihood).toBeGreaterThanOrEqual(0.9);
  });

  it('skips junk title lines above the header', () => {
    const text =
      'Export clients 2024\nGénéré le 12/03/2024 par CRM\n' +
      'prenom;nom;email;telephone;adresse;ville\n' +
      PEOPLE.map((p) => p.join(';')).join('\n') +
      '\n';
    expect(sniff(text).options).toMatchObject({ delimiter: ';', header: true, skipLines: 2 });
  });

  it('tells a header from data', () => {
    const data = PEOPLE.map((p) => p.join(',')).join('\n') + '\n';
    expect(sniff(data).options.header).toBe(false);
    expect(sniff('prenom,nom,email,tel,adresse,ville\n' + data).options.header).toBe(true);
    // Unusual names, but the data below has digits and emails where the header has none.
    expect(sniff('a,b,courriel_perso,d,e,f\n' + data).options.header).toBe(true);
    // All-text data without header words: not a header.
    expect(sniff('Dupont,Jean,Paris\nMoreau,Zoé,Lyon\nRoux,Loïc,Nîmes\n').options.header).toBe(
      false,
    );
  });

  it('uses the extension only as a tie-breaker', () => {
    // One column: no delimiter has evidence; the .tsv name does not invent one.
    const one = 'alice@exemple.fr\nbob@exemple.fr\n';
    expect(sniff(one, 'x.tsv').likelihood).toBeLessThan(0.5);
    // Real evidence beats the name.
    const semi = 'a;b;c\n1;2;3\n4;5;6\n';
    expect(sniff(semi, 'x.tsv').options.delimiter).toBe(';');
    expect(sniff(semi, 'x.csv').likelihood).toBeGreaterThan(sniff(semi, 'x.dat').likelihood);
  });

  it('scores a 2-field email;secret file below the combolist reader, real CSV above it', () => {
    const combo = Array.from({ length: 50 }, (_, i) => `user${i}@exemple.fr;Motdepasse${i}!`).join(
      '\n',
    );
    const c1 = sniff(combo);
    const c2 = comboReader.sniff(Buffer.from(combo), 'export.csv')!;
    expect(c2.likelihood).toBeGreaterThan(c1.likelihood);
    const csv =
      'email;nom;prenom;ville\n' + PEOPLE.map((p) => [p[2], p[1], p[0], p[5]].join(';')).join('\n');
    const k = comboReader.sniff(Buffer.from(csv), 'x.csv');
    expect(sniff(csv).likelihood).toBeGreaterThan(k?.likelihood ?? 0);
  });

  it('gives low likelihood to JSON, SQL and binary', () => {
    expect(sniff('{"a":1,"b":2}\n{"a":3,"b":4}\n').likelihood).toBeLessThan(0.3);
    expect(sniff("INSERT INTO t VALUES (1,'a'),(2,'b');\n").likelihood).toBeLessThan(0.3);
    expect(sniff('-- MySQL dump\nCREATE TABLE t (a int, b int);\n').likelihood).toBeLessThan(0.3);
    // Rows that merely start with SQL-looking words are still CSV.
    expect(sniff('article,prix,stock\nSet de table,12,3\nBegin,4,5\n').likelihood).toBeGreaterThan(
      0.8,
    );
    const bin = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
    expect(csvReader.sniff(bin, 'x.bin')?.likelihood ?? 0).toBeLessThan(0.1);
  });

  it('detects windows-1252 and UTF-16', () => {
    const text = 'nom;ville\r\nLefèvre;Besançon\r\nŒuvray;Nîmes — centre\r\n';
    expect(sniff(iconv.encode(text, 'win1252')).options).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    expect(sniff(le).options).toMatchObject({ encoding: 'utf-16le', delimiter: ';' });
  });

  it('analyzeDelimited respects fixed options', () => {
    const a = analyzeDelimited('x;y\n1;2\n', { delimiter: ',', header: false });
    expect(a).toMatchObject({ delimiter: ',', header: false, fieldCount: 1 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('read: real-world quirks', () => {
  it('reads a French Excel export: windows-1252, ;, CRLF, sep= line', async () => {
    const text =
      'sep=;\r\nNom;Prénom;Ville;Commentaire\r\n' +
      'Lefèvre;Élodie;Besançon;“VIP” client – 250 €\r\n' +
      'Œuvray;François;Nîmes;"Dit ""Fanfan""; rappeler"\r\n';
    const bytes = iconv.encode(text, 'win1252');
    const c = await readAll(bytes);
    expect(c.meta).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      header: true,
      skipLines: 1,
    });
    expect(c.tables.get('')!.columns.map((x) => x.name)).toEqual([
      'Nom',
      'Prénom',
      'Ville',
      'Commentaire',
    ]);
    expect(rowValues(c)).toEqual([
      ['Lefèvre', 'Élodie', 'Besançon', '“VIP” client – 250 €'],
      ['Œuvray', 'François', 'Nîmes', 'Dit "Fanfan"; rappeler'],
    ]);
    // Byte offsets: single-byte encoding, so the offset of line 3 is the byte length of lines 1-2.
    const rows = c.tables.get('')!.rows;
    expect(rows[0]).toMatchObject({
      line: 3,
      offset: iconv.encode('sep=;\r\nNom;Prénom;Ville;Commentaire\r\n', 'win1252').length,
    });
    expect(provenanceProblems(c, physicalLines(bytes))).toEqual([]);
    expect(c.meta.lineEndings).toBe('crlf');
  });

  it('reads ISO-8859-1 when asked', async () => {
    const bytes = iconv.encode('nom,ville\nLefèvre,Besançon\n', 'latin1');
    const c = await readAll(bytes, { encoding: 'iso-8859-1' });
    expect(rowValues(c)).toEqual([['Lefèvre', 'Besançon']]);
  });

  it('reads a TSV with no header as col_1..col_n', async () => {
    const text = PEOPLE.map((p) => p.join('\t')).join('\n');
    const c = await readAll(text);
    expect(c.tables.get('')!.columns.map((x) => x.name)).toEqual([
      'col_1',
      'col_2',
      'col_3',
      'col_4',
      'col_5',
      'col_6',
    ]);
    expect(rowValues(c)).toEqual(PEOPLE);
    expect(c.tables.get('')!.rows.map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('reads a pipe file', async () => {
    const c = await readAll('id|nom|email\n1|Dupont|a@exemple.fr\n2|Roux|\n');
    expect(rowValues(c)).toEqual([
      ['1', 'Dupont', 'a@exemple.fr'],
      ['2', 'Roux', ''],
    ]);
  });

  it('skips a UTF-8 BOM but counts its bytes in offsets', async () => {
    const bytes = Buffer.from('\ufeffemail,nom\nzoe@exemple.fr,Roux\n', 'utf8');
    const c = await readAll(bytes);
    expect(c.tables.get('')!.columns[0]!.name).toBe('email');
    expect(c.tables.get('')!.rows[0]).toMatchObject({ line: 2, offset: 13 });
    expect(c.meta.bomLength).toBe(3);
  });

  it('keeps a quoted field spanning 3 lines and numbers the following lines right', async () => {
    const text =
      'nom,adresse,ville\n' +
      'Dupont,"12 rue de la Paix\r\nBâtiment B\nEscalier 3",Paris\n' +
      'Roux,"1 place du Marché",Nîmes\n';
    const c = await readAll(text);
    expect(rowValues(c)).toEqual([
      ['Dupont', '12 rue de la Paix\r\nBâtiment B\nEscalier 3', 'Paris'],
      ['Roux', '1 place du Marché', 'Nîmes'],
    ]);
    expect(c.tables.get('')!.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it('handles CR-only and mixed line ends', async () => {
    const c = await readAll('a,b\r1,2\n3,4\r\n5,6\r7,8', { header: true });
    expect(rowValues(c)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
      ['7', '8'],
    ]);
    expect(c.tables.get('')!.rows.map((r) => [r.line, r.offset])).toEqual([
      [2, 4],
      [3, 8],
      [4, 13],
      [5, 17],
    ]);
    expect(c.meta.lineEndings).toBe('mixed');
  });

  it('keeps values exactly as written (spaces, leading zeros, empty strings)', async () => {
    const c = await readAll('cp,tel,note\n01000, 0612345678 ,\n"",007,""\n', { header: true });
    expect(rowValues(c)).toEqual([
      ['01000', ' 0612345678 ', ''],
      ['', '007', ''],
    ]);
  });

  it('reads an empty file: zero rows, no crash, clear meta', async () => {
    const c = await readAll('');
    expect(c.tables.get('')).toEqual({ columns: [], rows: [] });
    expect(c.meta).toMatchObject({ recordsRead: 0, rows: 0, rejects: 0, empty: true });
    expect(c.result.truncated).toBe(false);
    expect(csvReader.sniff(new Uint8Array(0), 'x.csv')).toBeNull();
  });

  it('reads a header-only file', async () => {
    const c = await readAll('email;nom;prenom\r\n');
    expect(c.tables.get('')!.columns.map((x) => x.name)).toEqual(['email', 'nom', 'prenom']);
    expect(c.tables.get('')!.rows).toEqual([]);
    expect(c.meta).toMatchObject({ recordsRead: 0, empty: false, headerLine: 1 });
  });

  it('skips blank lines and counts them', async () => {
    const c = await readAll('a,b\n\n1,2\r\n\r\n\n3,4\n\n');
    expect(rowValues(c)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(c.meta.blankLines).toBe(4);
    expect(c.tables.get('')!.rows.map((r) => r.line)).toEqual([3, 6]);
  });

  it('deduplicates header names', () => {
    expect(columnNames(['email', 'Email', '', 'col_3', ' nom '])).toEqual([
      'email',
      'Email_2',
      'col_3',
      'col_3_2',
      'nom',
    ]);
  });

  it('reads a 10,000-column row', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `champ_${i}`);
    const row = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `"v,${i}"` : `v${i}`));
    const c = await readAll(header.join(',') + '\n' + row.join(',') + '\n' + row.join(',') + '\n', {
      header: true,
    });
    expect(c.tables.get('')!.columns).toHaveLength(10_000);
    expect(c.tables.get('')!.rows).toHaveLength(2);
    expect(c.tables.get('')!.rows[1]!.values[9998]).toBe('v9998');
    expect(c.tables.get('')!.rows[1]!.values[9]).toBe('v,9');
  });

  it('reads a 1 MB field, quoted and unquoted, across 64 KiB chunks', async () => {
    const big = 'é'.repeat(300_000) + 'x'.repeat(400_000); // 1 MB of UTF-8
    const text = `id,texte\n1,${big}\n2,"${big.replace('x', '"",\n')}"\n3,fin\n`;
    const bytes = Buffer.from(text, 'utf8');
    const c = await collect(csvReader, fixedChunks(bytes, 65536), { header: true });
    invariant(c);
    const rows = c.tables.get('')!.rows;
    expect(rows.map((r) => r.values[0])).toEqual(['1', '2', '3']);
    expect(rows[0]!.values[1]).toBe(big);
    expect(rows[1]!.values[1]).toBe(big.replace('x', '",\n'));
    expect(rows[2]).toMatchObject({ line: 5 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('read: UTF-16 with byte-exact offsets', () => {
  const text =
    'nom;ville;emoji\r\nLefèvre;Besançon;😀\r\n"Roux\r\nZoé";Nîmes;\r\nΩmega;Århus;ok\r\n';

  it('UTF-16LE with BOM, odd chunk sizes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    const c = await readAll(bytes);
    expect(c.meta).toMatchObject({ encoding: 'utf-16le', bomLength: 2, delimiter: ';' });
    expect(rowValues(c)).toEqual([
      ['Lefèvre', 'Besançon', '😀'],
      ['Roux\r\nZoé', 'Nîmes', ''],
      ['Ωmega', 'Århus', 'ok'],
    ]);
    expect(provenanceProblems(c, physicalLines(bytes, 2, 2))).toEqual([]);
    // The first row starts after the BOM and 17 code units of header.
    expect(c.tables.get('')!.rows[0]).toMatchObject({ line: 2, offset: 2 + 2 * 17 });
    for (const k of [1, 3, 5]) {
      const d = await collect(csvReader, fixedChunks(bytes, k));
      expect(rowValues(d)).toEqual(rowValues(c));
    }
  });

  it('UTF-16BE without BOM', async () => {
    const bytes = iconv.encode(text, 'utf16be');
    const c = await readAll(bytes);
    expect(c.meta).toMatchObject({ encoding: 'utf-16be', bomLength: 0 });
    expect(rowValues(c)[2]).toEqual(['Ωmega', 'Århus', 'ok']);
    expect(provenanceProblems(c, physicalLines(bytes, 0, 2, true))).toEqual([]);
  });

  it('rejects a lone surrogate', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('a;b\n1;x', 'utf16le'),
      Buffer.from([0x00, 0xd8]), // lone high surrogate
      iconv.encode('\n2;y\n', 'utf16le'),
    ]);
    const c = await readAll(bytes);
    expect(rowValues(c)).toEqual([['2', 'y']]);
    expect(c.rejects[0]).toMatchObject({
      line: 2,
      offset: 10,
      reason: 'invalid UTF-16 at byte 16',
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('read: rejects', () => {
  it('rejects rows with more or fewer fields than the header', async () => {
    const c = await readAll('a,b,c\n1,2,3\n1,2,3,4\n1,2\n5,6,7\n');
    expect(rowValues(c)).toEqual([
      ['1', '2', '3'],
      ['5', '6', '7'],
    ]);
    expect(c.rejects).toEqual([
      {
        table: '',
        line: 3,
        offset: 12,
        reason: 'expected 3 fields, found 4',
        raw: '1,2,3,4',
        ordinal: 1,
      },
      {
        table: '',
        line: 4,
        offset: 20,
        reason: 'expected 3 fields, found 2',
        raw: '1,2',
        ordinal: 2,
      },
    ]);
  });

  it('rejects invalid UTF-8 with the byte position, never replacing it', async () => {
    const bytes = Buffer.concat([
      Buffer.from('nom,ville\nLefèvre,Paris\nRoux,Orl', 'utf8'),
      Buffer.from([0xe9]), // Latin-1 é inside a UTF-8 file
      Buffer.from('ans\n"Moreau","N', 'utf8'),
      Buffer.from([0xff]),
      Buffer.from('mes"\nFaure,\ufffd ok\n', 'utf8'),
    ]);
    const c = await readAll(bytes, { encoding: 'utf-8' });
    expect(rowValues(c)).toEqual([
      ['Lefèvre', 'Paris'],
      ['Faure', '\ufffd ok'], // a real U+FFFD in the file is data, not an error
    ]);
    expect(c.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'invalid UTF-8 at byte 33'],
      [4, 'invalid UTF-8 at byte 49'],
    ]);
  });

  it('rejects records with NUL characters', async () => {
    const c = await readAll('a,b\n1,2\n3,\u00004\n"5\u0000",6\n7,8\n');
    expect(rowValues(c)).toEqual([
      ['1', '2'],
      ['7', '8'],
    ]);
    expect(c.rejects.map((r) => r.reason)).toEqual([
      'NUL character at byte 10',
      'NUL character at byte 15',
    ]);
  });

  it('accepts a stray quote in an unquoted field as literal, and counts it', async () => {
    const c = await readAll('nom,surnom\nDupont,Jean "Jeannot" D.\nRoux,5"\n');
    expect(rowValues(c)).toEqual([
      ['Dupont', 'Jean "Jeannot" D.'],
      ['Roux', '5"'],
    ]);
    expect(c.meta.strayQuotes).toBe(3);
  });

  it('keeps text after a closing quote literally, as written', async () => {
    const c = await readAll('nom,surnom\n"Jean "Jeannot" Dupont",x\n');
    expect(c.rejects).toEqual([]);
    expect(rowValues(c)).toEqual([['"Jean "Jeannot" Dupont"', 'x']]);
    expect(c.meta.malformedQuotes).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('read: unterminated quotes never swallow the file', () => {
  it('rejects only the line with the runaway quote when nothing closes it', async () => {
    const c = await readAll('id,nom,ville\n1,"Dupont,Paris\n2,Roux,Lyon\n3,Faure,Nîmes\n');
    expect(rowValues(c)).toEqual([
      ['2', 'Roux', 'Lyon'],
      ['3', 'Faure', 'Nîmes'],
    ]);
    expect(c.rejects).toMatchObject([{ line: 2, offset: 13, raw: '1,"Dupont,Paris' }]);
    expect(c.rejects[0]!.reason).toMatch(/^unterminated quote/);
    expect(c.result.truncated).toBe(false);
    expect(c.meta.unterminatedQuotes).toBe(1);
  });

  it('recovers when a later quote pairs with the runaway one', async () => {
    const text =
      'id,nom,adresse\n' +
      '1,"Dupont,12 rue X\n' + // runaway quote
      '2,Roux,3 place Y\n' +
      '3,Faure,"5, allée des Tilleuls"\n' + // its opening quote would "close" the runaway
      '4,Girard,9 rue Z\n';
    const c = await readAll(text);
    expect(rowValues(c)).toEqual([
      ['2', 'Roux', '3 place Y'],
      ['3', 'Faure', '5, allée des Tilleuls'],
      ['4', 'Girard', '9 rue Z'],
    ]);
    expect(c.rejects.map((r) => r.line)).toEqual([2]);
  });

  it('keeps legitimate multi-line fields', async () => {
    const c = await readAll('id,note\n1,"ligne 1\nligne 2, suite\nligne 3"\n2,ok\n');
    expect(rowValues(c)).toEqual([
      ['1', 'ligne 1\nligne 2, suite\nligne 3'],
      ['2', 'ok'],
    ]);
  });

  it('a runaway quote in a big quote-free file costs one line (bounded look-ahead)', async () => {
    const lines = ['id,nom,email'];
    for (let i = 0; i < 20_000; i++) {
      lines.push(i === 10 ? `${i},"Dupont,d${i}@exemple.fr` : `${i},Nom${i},n${i}@exemple.fr`);
    }
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const c = await collect(csvReader, fixedChunks(bytes, 4096));
    invariant(c);
    expect(c.tables.get('')!.rows).toHaveLength(19_999);
    expect(c.rejects.map((r) => r.line)).toEqual([12]);
    expect(c.tables.get('')!.rows[10]).toMatchObject({
      line: 13,
      values: ['11', 'Nom11', 'n11@exemple.fr'],
    });
  });

  it('bounds a quoted field by lines and by size', async () => {
    const reader = createCsvReader({ maxQuotedLines: 5, maxRecordUnits: 100 });
    const lines = Array.from({ length: 10 }, (_, i) => `x${i}`).join('\n');
    const c = await readAll(`a,b\n1,"${lines}"\n2,3\n`, {}, reader);
    // The field runs over 9 line breaks > 5: line 2 rejected, the rest re-read on their own.
    expect(c.rejects[0]).toMatchObject({ line: 2 });
    expect(c.rejects[0]!.reason).toMatch(/more than 5 lines/);
    expect(rowValues(c)).toContainEqual(['2', '3']);
    const d = await readAll(`a,b\n1,"${'y'.repeat(150)}"\n2,3\n`, {}, reader);
    expect(d.rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'line longer than 100 bytes']]);
    expect(rowValues(d)).toEqual([['2', '3']]);
  });

  it('end of file inside a quoted field on the last line: truncated, partial rejected', async () => {
    const c = await readAll('id,nom\n1,Dupont\n2,"Ro');
    expect(rowValues(c)).toEqual([['1', 'Dupont']]);
    expect(c.rejects).toMatchObject([{ line: 3, offset: 16, raw: '2,"Ro' }]);
    expect(c.result).toEqual({
      truncated: true,
      truncatedReason: 'file ends inside a quoted field started at line 3',
    });
  });

  it('end of file inside a multi-line quoted field with no clean line after: truncated', async () => {
    const c = await readAll('id,note\n1,ok\n2,"début\nmilieu\nfin coupée');
    expect(rowValues(c)).toEqual([['1', 'ok']]);
    expect(c.rejects).toHaveLength(1);
    expect(c.rejects[0]).toMatchObject({ line: 3, raw: '2,"début\nmilieu\nfin coupée' });
    expect(c.result.truncated).toBe(true);
  });

  it('end of file inside a quote with clean lines after it: a runaway quote, not truncation', async () => {
    const c = await readAll('id,nom\n1,"Dupont\n2,Roux\n3,Faure\n');
    expect(rowValues(c)).toEqual([
      ['2', 'Roux'],
      ['3', 'Faure'],
    ]);
    expect(c.result.truncated).toBe(false);
  });

  it('a file cut in the middle of an unquoted record is truncated', async () => {
    const c = await readAll('id,nom,ville\n1,Dupont,Paris\n2,Ro');
    expect(c.result).toMatchObject({ truncated: true });
    expect(c.rejects).toMatchObject([{ line: 3, reason: 'expected 3 fields, found 2' }]);
  });

  it('a last record without newline is complete, not truncated', async () => {
    const c = await readAll('id,nom\r\n1,Dupont\r\n2,Roux');
    expect(rowValues(c)).toHaveLength(2);
    expect(c.result.truncated).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('read: chunk boundaries', () => {
  it('splits CRLF, "" escapes, multi-byte characters anywhere', async () => {
    const text =
      'nom;note\r\n' +
      PEOPLE.map((p) => `${p[1]};"${p[4]} ""cité"" 😀\r\n${p[5]}"`).join('\r\n') +
      '\r\n';
    const bytes = Buffer.from(text, 'utf8');
    const whole = await collect(csvReader, bytes);
    expect(rowValues(whole)[0]).toEqual(['Lefèvre', '12 rue de la Paix "cité" 😀\r\nParis']);
    for (let k = 1; k <= 12; k++) {
      const c = await collect(csvReader, fixedChunks(bytes, k));
      expect(JSON.stringify([...c.tables, c.rejects])).toBe(
        JSON.stringify([...whole.tables, whole.rejects]),
      );
    }
    const r = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const c = await collect(csvReader, randomChunks(bytes, r, 32));
      expect(rowValues(c)).toEqual(rowValues(whole));
    }
  });

  it('honours an abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(collect(csvReader, 'a,b\n1,2\n', {}, { signal: ac.signal })).rejects.toThrow();
  });

  it('rejects a delimiter that is not one ASCII character', async () => {
    await expect(collect(csvReader, 'a,b\n', { delimiter: '"' })).rejects.toThrow(/delimiter/);
    await expect(collect(csvReader, 'a,b\n', { delimiter: '::' })).rejects.toThrow(/delimiter/);
  });
});

// ---------------------------------------------------------------------------------------------

const CORPUS = LINKAGE;

async function* fileSource(path: string, gz = false): AsyncIterable<Uint8Array> {
  const s = createReadStream(path, { highWaterMark: 64 * 1024 });
  yield* (gz ? s.pipe(createGunzip()) : s) as AsyncIterable<Uint8Array>;
}

async function readCorpus(rel: string): Promise<Collected> {
  const path = join(CORPUS, rel);
  const head = await collect(
    { id: 'csv', sniff: () => null, read: csvReader.read },
    fileSource(path, rel.endsWith('.gz')),
  );
  return head;
}

describe.skipIf(!existsSync(CORPUS))('public linkage corpus (read in place)', () => {
  const febrl = ['dataset1.csv', 'dataset2.csv', 'dataset3.csv', 'dataset4a.csv', 'dataset4b.csv'];
  const febrlRows: Record<string, number> = {
    'dataset1.csv': 1000,
    'dataset2.csv': 5000,
    'dataset3.csv': 5000,
    'dataset4a.csv': 5000,
    'dataset4b.csv': 5000,
  };
  for (const f of febrl) {
    it(`FEBRL ${f}`, async () => {
      const c = await readCorpus(`febrl/${f}`);
      invariant(c);
      const t = c.tables.get('')!;
      expect(c.rejects).toEqual([]);
      expect(t.rows).toHaveLength(febrlRows[f]!);
      expect(c.meta).toMatchObject({ delimiter: ',', header: true, fieldCount: 11 });
      expect(t.columns.map((x) => x.name)).toEqual([
        'rec_id',
        'given_name',
        'surname',
        'street_number',
        'address_1',
        'address_2',
        'suburb',
        'postcode',
        'state',
        'date_of_birth',
        'soc_sec_id',
      ]);
      // ", " separated: values keep their leading space, exactly as written.
      expect(t.rows.every((r) => /^rec-\d+-(org|dup-\d)$/.test(r.values[0]!))).toBe(true);
      expect(
        t.rows.every((r) => r.values.slice(1).every((v) => v === '' || v!.startsWith(' '))),
      ).toBe(true);
      expect(c.result.truncated).toBe(false);
      if (f === 'dataset4a.csv') expect(c.meta.lineEndings).toBe('crlf');
    });
  }

  const splink: [string, number, number][] = [
    ['fake_1000.csv', 1000, 7],
    ['fake_1000_from_splink_demos.csv', 1000, 7],
    ['fake_1000_labels.csv', 3176, 5],
    ['fake_20000.csv', 20000, 7],
    ['historical_figures_with_errors_50k.csv.gz', 50578, 11],
  ];
  for (const [f, rows, cols] of splink) {
    it(`Splink ${f}`, async () => {
      const c = await readCorpus(`splink/${f}`);
      invariant(c);
      expect(c.rejects).toEqual([]);
      expect(c.tables.get('')!.rows).toHaveLength(rows);
      expect(c.tables.get('')!.columns).toHaveLength(cols);
      expect(c.meta.header).toBe(true);
    });
  }
});
