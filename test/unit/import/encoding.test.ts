/**
 * Encoding detection from a file's head: BOMs, UTF-16 without BOM, UTF-8 evidence, and the
 * Windows-1252 / ISO-8859-1 split for older French exports.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, scanUtf8 } from '../../../src/main/engine/import/encoding';

const FR = 'Nom;Prénom;Ville\r\nLefèvre;Élodie;Besançon\r\nŒuvray;François;Nîmes\r\n';

describe('detectEncoding', () => {
  it('trusts byte-order marks', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf8'))).toMatchObject({
      encoding: 'utf-8',
      bomLength: 3,
      confidence: 1,
    });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toMatchObject({
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]))).toMatchObject({
      encoding: 'utf-16be',
      bomLength: 2,
    });
  });

  it('finds UTF-16 without BOM from NUL high bytes', () => {
    expect(detectEncoding(iconv.encode(FR, 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(FR, 'utf16be')).encoding).toBe('utf-16be');
  });

  it('recognises UTF-8 by its multi-byte sequences, ASCII as UTF-8 with less confidence', () => {
    const u = detectEncoding(Buffer.from(FR, 'utf8'));
    expect(u).toMatchObject({ encoding: 'utf-8', bomLength: 0 });
    expect(u.confidence).toBeGreaterThan(0.9);
    const a = detectEncoding(Buffer.from('a,b\n1,2\n'));
    expect(a.encoding).toBe('utf-8');
    expect(a.confidence).toBeLessThan(u.confidence);
  });

  it('ignores a multi-byte character cut by the end of the head', () => {
    const b = Buffer.from('Lefèvre;Besançon;é', 'utf8');
    expect(detectEncoding(b.subarray(0, b.length - 1)).encoding).toBe('utf-8');
  });

  it('keeps UTF-8 when a few bytes are bad among many good sequences', () => {
    const b = Buffer.concat([
      Buffer.from(FR.repeat(5), 'utf8'),
      Buffer.from([0xff]),
      Buffer.from('x\n'),
    ]);
    expect(detectEncoding(b).encoding).toBe('utf-8');
  });

  it('tells Windows-1252 (curly quotes, €, œ) from ISO-8859-1', () => {
    expect(
      detectEncoding(iconv.encode('Prix : 25 € – “promo” œuvre\n' + FR, 'win1252')).encoding,
    ).toBe('windows-1252');
    expect(detectEncoding(iconv.encode(FR.replace(/Œ/g, 'O'), 'latin1')).encoding).toBe(
      'iso-8859-1',
    );
  });
});

describe('scanUtf8', () => {
  it('counts sequences and invalid bytes (overlongs, surrogates, stray continuations)', () => {
    expect(scanUtf8(Buffer.from('é€😀', 'utf8'))).toEqual({ multibyte: 3, invalid: 0 });
    expect(scanUtf8(Buffer.from([0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0x80, 0x20]))).toEqual({
      multibyte: 0,
      invalid: 6,
    });
  });
});
