/**
 * Golden cases for the NDJSON / JSON Lines reader: flattening through the reader, blank lines,
 * CRLF, BOM, rejects with their location, the last line, encodings and overlong lines, sniffing.
 * (Random chunking, cuts at every position and mutations are in json-fuzz.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../../src/main/engine/import/readers/json';
import { ndjsonReader } from '../../../src/main/engine/import/readers/ndjson';
import { collect, fixedChunks, randomChunks, rowValues } from './helpers/collect-sink';

const locs = (c: Awaited<ReturnType<typeof collect>>) =>
  c.tables.get('')!.rows.map((r) => [r.line, r.offset]);

describe('NDJSON reader', () => {
  it('one object per line, flattened, columns unioned, numbers as written', async () => {
    const text =
      '{"nom": "Lefèvre", "contact": {"email": "h.lefevre@exemple.fr"}, "solde": 1.50}\n' +
      '{"nom": "Bénard", "nir": 12345678901234567890, "tags": ["a", "b"], "ok": false}\n' +
      '{"nom": "Ma\\u00eblle \\ud83d\\ude00", "contact": {"email": null}}\n';
    const c = await collect(ndjsonReader, text);
    expect(c.tables.get('')!.columns.map((x) => x.path)).toEqual([
      'nom',
      'contact.email',
      'solde',
      'nir',
      'tags',
      'ok',
    ]);
    expect(rowValues(c)).toEqual([
      ['Lefèvre', 'h.lefevre@exemple.fr', '1.50'],
      ['Bénard', null, null, '12345678901234567890', '["a","b"]', 'false'],
      ['Maëlle 😀', null, null, null, null, null],
    ]);
    expect(locs(c)).toEqual([
      [1, 0],
      [2, Buffer.from(text).indexOf('{"nom": "Bénard"')],
      [3, Buffer.from(text).indexOf('{"nom": "Ma')],
    ]);
    expect(c.result).toEqual({ truncated: false });
  });

  it('blank lines are skipped; CRLF and a BOM are fine; offsets count the BOM', async () => {
    const body = '\r\n{"a": 1}\r\n   \r\n\t\n{"a": 2}\r\n\r\n';
    const c = await collect(
      ndjsonReader,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
    );
    expect(rowValues(c)).toEqual([['1'], ['2']]);
    expect(locs(c)).toEqual([
      [2, 3 + 2],
      [5, 3 + body.indexOf('{"a": 2}')],
    ]);
    expect(c.rejects).toEqual([]);
  });

  it('invalid lines and non-objects are rejected with line, offset, reason and raw text', async () => {
    const text = '{"a": 1}\n{"a": tru}\n[1, 2]\n"texte"\n42\n{"a": 2}\n';
    const c = await collect(ndjsonReader, text);
    expect(rowValues(c)).toEqual([['1'], ['2']]);
    expect(c.rejects.map((r) => [r.line, r.offset, r.raw, r.ordinal])).toEqual([
      [2, 9, '{"a": tru}', 1],
      [3, 20, '[1, 2]', 2],
      [4, 27, '"texte"', 3],
      [5, 35, '42', 4],
    ]);
    expect(c.rejects[0]!.reason).toMatch(/^invalid JSON: /);
    expect(c.rejects.slice(1).map((r) => r.reason)).toEqual([
      'expected a JSON object, found an array',
      'expected a JSON object, found a string',
      'expected a JSON object, found a number',
    ]);
  });

  it('a last line without newline is a record; cut short, it makes the file truncated', async () => {
    const ok = await collect(ndjsonReader, '{"a": 1}\n{"a": 2}');
    expect(rowValues(ok)).toEqual([['1'], ['2']]);
    expect(ok.result).toEqual({ truncated: false });
    const cut = await collect(ndjsonReader, '{"a": 1}\n{"a": "Hél');
    expect(rowValues(cut)).toEqual([['1']]);
    expect(cut.result).toEqual({
      truncated: true,
      truncatedReason: 'file ends inside the record started at line 2',
    });
    expect(cut.rejects.length).toBe(1);
    expect(cut.rejects[0]!.raw).toBe('{"a": "Hél');
    expect(cut.rejects[0]!.reason).toMatch(/^truncated: invalid JSON/);
  });

  it('an empty file declares the table and holds no rows', async () => {
    const c = await collect(ndjsonReader, '');
    expect([...c.tables]).toEqual([['', { columns: [], rows: [] }]]);
    expect(c.result).toEqual({ truncated: false });
  });

  it('UTF-16 LE with BOM, any chunking: same rows, offsets in original bytes', async () => {
    const text = '{"nom": "Hélène"}\r\n{"nom": "Noël 😀"}\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    for (const chunks of [[bytes], fixedChunks(bytes, 3), randomChunks(bytes, 9, 5)]) {
      const c = await collect(ndjsonReader, chunks);
      expect(rowValues(c)).toEqual([['Hélène'], ['Noël 😀']]);
      expect(locs(c)).toEqual([
        [1, 2],
        [2, 2 + 2 * text.indexOf('{"nom": "Noël')],
      ]);
    }
  });

  it('Windows-1252 lines when the sniffer says so', async () => {
    const bytes = Buffer.from('{"nom": "Lef\xe8vre", "prix": "9\x80"}\n', 'latin1');
    const c = await collect(ndjsonReader, bytes, { encoding: 'windows-1252' });
    expect(rowValues(c)).toEqual([['Lefèvre', '9€']]);
  });

  it(`a line above ${MAX_RECORD_BYTES / 1024 / 1024} MiB is rejected without being buffered`, async () => {
    const big = Buffer.alloc(MAX_RECORD_BYTES + 10, 0x7a);
    const parts = [
      Buffer.from('{"a": 1}\n{"blob": "'),
      ...fixedChunks(big, 1024 * 1024),
      Buffer.from('"}\n{"a": 2}\n'),
    ];
    const c = await collect(ndjsonReader, parts);
    expect(rowValues(c)).toEqual([['1'], ['2']]);
    expect(c.rejects.map((r) => [r.line, r.offset, r.reason, r.raw.length])).toEqual([
      [2, 9, `line longer than ${MAX_RECORD_BYTES} bytes`, 64 * 1024],
    ]);
    expect(locs(c)[1]).toEqual([3, 9 + 10 + big.length + 3]);
  });

  it('sniffs lines of objects as NDJSON, passing the encoding on', () => {
    const head = Buffer.from('{"a": 1}\n{"a": 2}\n');
    expect(ndjsonReader.sniff(head, 'dump.txt')).toEqual({
      likelihood: 0.95,
      options: { encoding: 'utf-8' },
    });
    expect(ndjsonReader.sniff(head, 'dump.jsonl')!.likelihood).toBe(1);
    // Some damaged lines still look like NDJSON.
    expect(ndjsonReader.sniff(Buffer.from('{"a": 1}\n{"a": 2\n{"a": 3}\n'), 'x')!.likelihood).toBe(
      0.75,
    );
    expect(ndjsonReader.sniff(Buffer.from('[{"a": 1}]\n'), 'x.jsonl')).toBeNull();
    expect(ndjsonReader.sniff(Buffer.from('{\n  "a": 1\n}\n'), 'x.jsonl')).toBeNull();
  });
});
