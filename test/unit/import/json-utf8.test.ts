/**
 * Bytes that are not UTF-8 in a JSON or NDJSON file are never stored altered (no silent U+FFFD):
 * in a UTF-8 file the record holding them is rejected with its line, byte offset and the reason
 * "invalid UTF-8"; a file that is Latin-1 / Windows-1252 throughout is detected as such and decoded.
 */
import { describe, expect, it } from 'vitest';
import { jsonReader } from '../../../src/main/engine/import/readers/json';
import { ndjsonReader } from '../../../src/main/engine/import/readers/ndjson';
import { collect, fixedChunks, rowValues } from './helpers/collect-sink';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
  );

describe('invalid UTF-8 in JSON readers', () => {
  // "Léa" in UTF-8, then a record with a lone Latin-1 é (0xE9), then a literal U+FFFD (valid).
  const ndjson = bytes(
    '{"nom": "Léa", "ville": "Orléans"}\n',
    '{"nom": "H',
    [0xe9],
    'l',
    [0xe8],
    'ne", "ville": "Nîmes"}\n',
    '{"nom": "\uFFFD écrit tel quel", "ville": "Sète"}\n',
  );

  it('NDJSON: rejects the record with line, offset and reason; keeps a literal U+FFFD', async () => {
    for (const chunks of [[ndjson], fixedChunks(ndjson, 7), fixedChunks(ndjson, 1)]) {
      const c = await collect(ndjsonReader, chunks, { encoding: 'utf-8' });
      expect(rowValues(c)).toEqual([
        ['Léa', 'Orléans'],
        ['\uFFFD écrit tel quel', 'Sète'],
      ]);
      expect(c.rejects.map((r) => [r.line, r.offset, r.reason, r.ordinal])).toEqual([
        [2, ndjson.indexOf('{"nom": "H'), 'invalid UTF-8', 1],
      ]);
      expect(c.tables.get('')!.rows.map((r) => r.line)).toEqual([1, 3]);
    }
  });

  it('JSON array: rejects the element with line, offset and reason', async () => {
    const json = bytes(
      '[\n  {"nom": "Léa"},\n  {"nom": "Ren',
      [0xe9],
      '"},\n  {"nom": "Zoé"}\n]\n',
    );
    for (const chunks of [[json], fixedChunks(json, 5)]) {
      const c = await collect(jsonReader, chunks, { encoding: 'utf-8' });
      expect(rowValues(c)).toEqual([['Léa'], ['Zoé']]);
      expect(c.rejects.map((r) => [r.line, r.offset, r.reason])).toEqual([
        [3, json.indexOf('{"nom": "Ren'), 'invalid UTF-8'],
      ]);
      expect(c.result.truncated).toBe(false);
    }
  });

  it('a file in Windows-1252 throughout is detected and decoded, nothing rejected', async () => {
    const text = '{"nom": "Hélène", "note": "Coût : 5 € – «ok»"}\n{"nom": "Noël"}\n';
    const cp1252 = Buffer.from(
      [...text].map((ch) => (ch === '€' ? 0x80 : ch === '–' ? 0x96 : ch.charCodeAt(0))),
    );
    const sniffed = ndjsonReader.sniff(cp1252, 'x.ndjson');
    expect(sniffed?.options.encoding).toBe('windows-1252');
    const c = await collect(ndjsonReader, cp1252, sniffed!.options);
    expect(c.rejects).toEqual([]);
    expect(rowValues(c)).toEqual([
      ['Hélène', 'Coût : 5 € – «ok»'],
      ['Noël', null],
    ]);

    const latin1 = Buffer.from('[{"nom": "Hélène"}, {"nom": "Noël"}]', 'latin1');
    const js = jsonReader.sniff(latin1, 'x.json');
    expect(js?.options.encoding).toMatch(/^(iso-8859-1|windows-1252)$/);
    const j = await collect(jsonReader, latin1, js!.options);
    expect(j.rejects).toEqual([]);
    expect(rowValues(j)).toEqual([['Hélène'], ['Noël']]);
  });
});
