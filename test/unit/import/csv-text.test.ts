/**
 * The byte-level text layer under the CSV and combolist readers: strict UTF-8 validation against
 * the platform's fatal decoder, Windows-1252 against iconv-lite, UTF-16 units rebuilt across odd
 * chunk boundaries, and the streaming line scanner's offsets.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  UnitBuffer,
  countLineBreaks,
  findInvalidUtf8,
  rangeDecoder,
  scanLines,
} from '../../../src/main/engine/import/readers/text';
import { fixedChunks, randomChunks, seededRandom, toSource } from './helpers/collect-sink';

describe('findInvalidUtf8', () => {
  it('agrees with TextDecoder({fatal: true}) on 20,000 random byte strings', () => {
    const r = seededRandom(3);
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const pool = [
      0x41, 0x0a, 0x80, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
      0xa0, 0x9f, 0x90, 0x8f,
    ];
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + Math.floor(r() * 8);
      const b = Buffer.from(
        Array.from({ length: len }, () => pool[Math.floor(r() * pool.length)]!),
      );
      let valid = true;
      try {
        fatal.decode(b);
      } catch {
        valid = false;
      }
      expect(findInvalidUtf8(b, 0, b.length) === -1, b.toString('hex')).toBe(valid);
    }
  });

  it('points at the first bad byte', () => {
    const b = Buffer.concat([
      Buffer.from('Élodie ', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('x'),
    ]);
    expect(findInvalidUtf8(b, 0, b.length)).toBe(8);
  });
});

describe('rangeDecoder', () => {
  it('decodes all 256 Windows-1252 bytes like iconv-lite', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const mine = rangeDecoder('windows-1252')(all, 0, 256);
    const theirs = iconv.decode(all, 'win1252');
    // iconv-lite leaves the five undefined slots as U+FFFD; we keep the C1 control, as WHATWG.
    for (let i = 0; i < 256; i++) {
      if ([0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(i)) expect(mine.charCodeAt(i)).toBe(i);
      else expect(mine[i], `byte ${i}`).toBe(theirs[i]);
    }
  });
});

describe('UnitBuffer', () => {
  it('rebuilds UTF-16BE code units across odd chunks and marks non-ASCII units', () => {
    const bytes = iconv.encode('a€\n😀;', 'utf16be');
    for (const k of [1, 3, 5]) {
      const u = new UnitBuffer('utf-16be', 0);
      for (const c of fixedChunks(bytes, k)) u.push(c);
      const v = u.view();
      expect([...v.units]).toEqual([0x61, 0x80, 0x0a, 0x80, 0x80, 0x3b]);
      expect(rangeDecoder('utf-16be')(v.text, 0, 6)).toBe('a€\n😀;');
    }
  });

  it('skips the BOM and counts it in the base offset', () => {
    const u = new UnitBuffer('utf-8', 3);
    u.push(Buffer.from([0xef, 0xbb]));
    u.push(Buffer.from([0xbf, 0x41, 0x42]));
    expect(u.view().base).toBe(3);
    u.consume(1);
    expect(u.view().base).toBe(4);
    expect(u.view().units.toString()).toBe('B');
  });
});

describe('countLineBreaks', () => {
  it('counts LF, CRLF and bare CR once each', () => {
    expect(countLineBreaks(Buffer.from('a\nb\r\nc\rd\r'), 0, 9)).toBe(4);
  });
});

describe('scanLines', () => {
  it('reports every physical line with its byte offset, for any chunking', async () => {
    const text = 'Élodie\r\nZoé\rLoïc\n\nfin';
    const bytes = Buffer.from(text, 'utf8');
    const expected = [
      [1, 0, 'Élodie'],
      [2, 9, 'Zoé'],
      [3, 14, 'Loïc'],
      [4, 20, ''],
      [5, 21, 'fin'],
    ];
    const r = seededRandom(8);
    for (let i = 0; i < 50; i++) {
      const got: (string | number)[][] = [];
      const dec = rangeDecoder('utf-8');
      await scanLines(
        toSource(randomChunks(bytes, r, 5)),
        { encoding: 'utf-8', bomLength: 0 },
        (l) => got.push([l.line, l.offset, dec(l.view.text, l.start, l.end)]),
        () => {},
      );
      expect(got).toEqual(expected);
    }
  });

  it('cuts an over-long line the same way whole or chunked', async () => {
    const bytes = Buffer.from('ok\n' + 'x'.repeat(100) + '\r\nfin', 'utf8');
    for (const chunks of [[bytes], fixedChunks(bytes, 7), fixedChunks(bytes, 1)]) {
      const lines: number[] = [];
      const over: number[][] = [];
      const res = await scanLines(
        toSource(chunks),
        { encoding: 'utf-8', bomLength: 0, maxLineUnits: 10 },
        (l) => lines.push(l.line),
        (l) => over.push([l.line, l.offset]),
      );
      expect(lines).toEqual([1, 3]);
      expect(over).toEqual([[2, 3]]);
      expect(res).toMatchObject({ lines: 3, oversize: 1 });
    }
  });
});
