/**
 * Combolist reader: sniffing (separator, junk head, hash-shaped secrets, scoring against CSV),
 * reading with exact provenance, rejects, chunk boundaries, and a seeded fuzz against a simple
 * string model (split lines, split each at the first separator).
 */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  analyzeCombo,
  comboReader,
  looksLikeHash,
} from '../../../src/main/engine/import/readers/combo';
import { csvReader } from '../../../src/main/engine/import/readers/csv';
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

const FIRST = ['elodie', 'jerome', 'anais', 'francois', 'helene', 'loic', 'maelle', 'zoe'];
const LAST = ['dupont', 'lefevre', 'moreau', 'berenger', 'faure', 'roux'];

function emails(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => `${FIRST[i % FIRST.length]}.${LAST[i % LAST.length]}${i}@exemple.fr`,
  );
}

const snap = (c: Collected) => JSON.stringify([[...c.tables], c.rejects, c.meta, c.result]);

async function readAll(input: string | Buffer, options: ReaderOptions = {}): Promise<Collected> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const whole = await collect(comboReader, bytes, options);
  const rows = whole.tables.get('')!.rows.length;
  expect(whole.meta.recordsRead).toBe(rows + whole.rejects.length);
  for (const seed of [11, 12]) {
    const c = await collect(comboReader, randomChunks(bytes, seed, 9), options);
    expect(snap(c)).toBe(snap(whole));
  }
  return whole;
}

describe('combo sniff', () => {
  it('finds email:password and scores it above CSV', () => {
    const text =
      emails(40)
        .map((e, i) => `${e}:Soleil${i}!`)
        .join('\n') + '\n';
    const s = comboReader.sniff(Buffer.from(text), 'combo.txt')!;
    expect(s.options).toMatchObject({ separator: ':', skipLines: 0, encoding: 'utf-8' });
    expect(s.likelihood).toBeGreaterThanOrEqual(0.85);
    expect(csvReader.sniff(Buffer.from(text), 'combo.txt')!.likelihood).toBeLessThan(s.likelihood);
  });

  it.each([';', '|', '\t', ','])('finds email%spassword and beats CSV', (sep) => {
    const text =
      emails(40)
        .map((e, i) => `${e}${sep}Mdp-${i}*x`)
        .join('\r\n') + '\r\n';
    const s = comboReader.sniff(Buffer.from(text), 'list.csv')!;
    expect(s.options.separator).toBe(sep);
    const csv = csvReader.sniff(Buffer.from(text), 'list.csv')!;
    expect(s.likelihood).toBeGreaterThan(csv.likelihood);
  });

  it('scores real CSV low', () => {
    const csv =
      'email;nom;prenom;ville\n' +
      emails(20)
        .map((e, i) => `${e};${LAST[i % 6]};${FIRST[i % 8]};Paris`)
        .join('\n') +
      '\n';
    const k = comboReader.sniff(Buffer.from(csv), 'x.csv');
    expect(k?.likelihood ?? 0).toBeLessThanOrEqual(0.2);
    expect(csvReader.sniff(Buffer.from(csv), 'x.csv')!.likelihood).toBeGreaterThan(0.8);
    // A two-column CSV whose header names a non-secret column is a CSV too.
    const two =
      'email;nom\n' +
      emails(20)
        .map((e, i) => `${e};${LAST[i % 6]}`)
        .join('\n') +
      '\n';
    expect(comboReader.sniff(Buffer.from(two), 'x.csv')?.likelihood ?? 0).toBeLessThan(
      csvReader.sniff(Buffer.from(two), 'x.csv')!.likelihood,
    );
  });

  it('skips a junk banner and a column header', () => {
    const text =
      '==== Combo FR 2024 by x ====\nTotal: 40 lines\nemail:password\n' +
      emails(40)
        .map((e, i) => `${e}:pass${i}`)
        .join('\n');
    const a = analyzeCombo(text);
    expect(a).toMatchObject({ separator: ':', skipLines: 3 });
  });

  it('names the secret column hash when secrets look like hashes', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    const text = emails(30)
      .map((e, i) => `${e}:${i % 2 ? md5(e) : sha1(e)}`)
      .join('\n');
    expect(analyzeCombo(text).secretColumn).toBe('hash');
    expect(
      analyzeCombo(
        emails(5)
          .map((e) => `${e}:Bonjour123`)
          .join('\n'),
      ).secretColumn,
    ).toBe('password');
    expect(looksLikeHash('$2b$12$' + 'a'.repeat(53))).toBe(true);
    expect(looksLikeHash('$6$sel$' + 'b'.repeat(86))).toBe(true);
    expect(looksLikeHash('motdepasse')).toBe(false);
  });

  it('returns null for text that is not a combolist', () => {
    expect(
      comboReader.sniff(Buffer.from('Bonjour à tous\nceci est un texte\n'), 'a.txt'),
    ).toBeNull();
    expect(comboReader.sniff(new Uint8Array(0), 'a.txt')).toBeNull();
  });
});

describe('combo read', () => {
  it('splits at the first separator: secrets may contain it', async () => {
    const c = await readAll('zoe.roux@exemple.fr:pa:ss:wo:rd\nloic@exemple.fr:\n');
    expect(c.tables.get('')!.columns.map((x) => x.name)).toEqual(['login', 'password']);
    expect(rowValues(c)).toEqual([
      ['zoe.roux@exemple.fr', 'pa:ss:wo:rd'],
      ['loic@exemple.fr', ''],
    ]);
  });

  it('rejects lines that do not split, empty logins, bad bytes and NULs; skips blank lines', async () => {
    const bytes = Buffer.concat([
      Buffer.from('anais@exemple.fr:Azerty1\n\njunk line without separator\r\n:orphan\n', 'utf8'),
      Buffer.from('helene@exemple.fr:h', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('l\nzoe@exemple.fr:a\u0000b\nloic@exemple.fr:Ok\n', 'utf8'),
    ]);
    const c = await readAll(bytes, { separator: ':', skipLines: 0, encoding: 'utf-8' });
    expect(rowValues(c)).toEqual([
      ['anais@exemple.fr', 'Azerty1'],
      ['loic@exemple.fr', 'Ok'],
    ]);
    expect(c.rejects.map((r) => [r.line, r.offset, r.reason])).toEqual([
      [3, 26, 'no separator ":"'],
      [4, 55, 'empty login'],
      [5, 63, 'invalid UTF-8 at byte 82'],
      [6, 85, 'NUL character at byte 101'],
    ]);
    expect(c.meta).toMatchObject({ blankLines: 1, recordsRead: 6, rows: 2, rejects: 4 });
    expect(provenanceProblems(c, physicalLines(bytes))).toEqual([]);
  });

  it('skips the junk head found by the sniffer and keeps provenance exact (BOM, CRLF)', async () => {
    const text =
      '\ufeff### Leak combo ###\r\nemail;password\r\n' +
      emails(5)
        .map((e, i) => `${e};Été-${i}`)
        .join('\r\n');
    const c = await readAll(text);
    expect(c.meta).toMatchObject({
      separator: ';',
      skipLines: 2,
      skippedLines: 2,
      title: '### Leak combo ###',
    });
    expect(rowValues(c)[0]).toEqual(['elodie.dupont0@exemple.fr', 'Été-0']);
    expect(c.tables.get('')!.rows[0]).toMatchObject({ line: 3, offset: 3 + 20 + 16 });
    expect(provenanceProblems(c, physicalLines(Buffer.from(text), 3))).toEqual([]);
  });

  it('reads UTF-16LE and windows-1252 with byte offsets', async () => {
    const text = 'zoé@exemple.fr:Mot€passe\r\nloïc@exemple.fr:Œuvre\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    const c = await readAll(le);
    expect(rowValues(c)).toEqual([
      ['zoé@exemple.fr', 'Mot€passe'],
      ['loïc@exemple.fr', 'Œuvre'],
    ]);
    expect(c.tables.get('')!.rows[1]!.offset).toBe(2 + 2 * 26);
    for (const k of [1, 3]) {
      expect(rowValues(await collect(comboReader, fixedChunks(le, k)))).toEqual(rowValues(c));
    }
    const w = await readAll(iconv.encode(text, 'win1252'));
    expect(w.meta.encoding).toBe('windows-1252');
    expect(rowValues(w)).toEqual(rowValues(c));
    expect(w.tables.get('')!.rows[1]!.offset).toBe(26);
  });

  it('reads an empty file', async () => {
    const c = await readAll('');
    expect(c.tables.get('')!.rows).toEqual([]);
    expect(c.meta).toMatchObject({ recordsRead: 0, rows: 0, rejects: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** The model: physical lines, skip the head, blank lines, split at the first separator. */
function model(text: string, sep: string, skip: number): { rows: string[][]; rejects: number } {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const rows: string[][] = [];
  let rejects = 0;
  lines.slice(skip).forEach((l) => {
    if (l === '') return;
    const i = l.indexOf(sep);
    if (i <= 0 || l.includes('\0')) rejects++;
    else rows.push([l.slice(0, i), l.slice(i + 1)]);
  });
  return { rows, rejects };
}

describe('combo fuzz', () => {
  it('2000 random combolists equal the model for random chunkings', async () => {
    const r = seededRandom(4242);
    const alphabet = Array.from('abcxyzéèçœ€😀0123456789!$%*-_.@ :;|,\t');
    for (let n = 0; n < 2000; n++) {
      const sep = pick(r, [':', ';', '|', '\t', ',']);
      const eol = pick(r, ['\n', '\r\n', '\r']);
      const lines: string[] = [];
      const count = int(r, 0, 30);
      for (let i = 0; i < count; i++) {
        const k = r();
        if (k < 0.08) lines.push('');
        else if (k < 0.15) lines.push(`ligne sans separateur ${i}`.replaceAll(sep, ''));
        else {
          let secret = '';
          for (let j = int(r, 0, 12); j > 0; j--) secret += pick(r, alphabet);
          lines.push(`${pick(r, FIRST)}.${i}@exemple.fr${sep}${secret.replace(/[\r\n]/g, '')}`);
        }
      }
      const text = lines.join(eol) + (r() < 0.5 ? eol : '');
      const bytes = Buffer.from(text, 'utf8');
      const options: ReaderOptions = { separator: sep, skipLines: 0, encoding: 'utf-8' };
      const whole = await collect(comboReader, bytes, options);
      const expected = model(text, sep, 0);
      const ctx = `case ${n}: ${JSON.stringify(text.slice(0, 200))}`;
      expect(rowValues(whole), ctx).toEqual(expected.rows);
      expect(whole.rejects.length, ctx).toBe(expected.rejects);
      expect(provenanceProblems(whole, physicalLines(bytes)), ctx).toEqual([]);
      const c = await collect(comboReader, randomChunks(bytes, r, 16), options);
      expect(snap(c), ctx).toBe(snap(whole));
    }
  }, 60_000);

  it('1000 mutated combolists: no throw, invariant, provenance, chunking-independent', async () => {
    const r = seededRandom(77);
    for (let n = 0; n < 1000; n++) {
      const sep = pick(r, [':', ';', '|']);
      let bytes: Buffer = Buffer.from(
        emails(int(r, 1, 20))
          .map((e, i) => `${e}${sep}Passé-${i}`)
          .join(pick(r, ['\n', '\r\n'])),
        'utf8',
      );
      for (let k = int(r, 1, 4); k > 0; k--) {
        const at = int(r, 0, bytes.length);
        const ins = pick(r, [[0xff], [0x00], [0x0a], [0x0d], [0xc3], [0x3a], [0xe2, 0x82]]);
        bytes =
          r() < 0.2
            ? bytes.subarray(0, at)
            : Buffer.concat([bytes.subarray(0, at), Buffer.from(ins), bytes.subarray(at)]);
      }
      const options: ReaderOptions = n % 2 ? {} : { separator: sep, skipLines: 0 };
      const whole = await collect(comboReader, bytes, options);
      const rows = whole.tables.get('')!.rows.length;
      expect(whole.meta.recordsRead).toBe(rows + whole.rejects.length);
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      const enc = String(whole.meta.encoding);
      if (enc !== 'utf-16le' && enc !== 'utf-16be') {
        expect(provenanceProblems(whole, physicalLines(bytes, bom))).toEqual([]);
        // Every non-blank line after the skipped head is exactly one record.
        const lines = physicalLines(bytes, bom).filter(
          (l) => l.line > Number(whole.meta.skipLines) && l.length > 0,
        );
        expect(rows + whole.rejects.length).toBe(lines.length);
      }
      const c = await collect(comboReader, randomChunks(bytes, r, 8), options);
      expect(snap(c)).toBe(snap(whole));
    }
  }, 60_000);
});
