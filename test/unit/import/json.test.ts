/**
 * Golden cases for the JSON document reader: table naming, flattening through the reader,
 * rejects and truncation, encodings and offsets, sniffing, and the real sample corpus (read from
 * ../shared when present, never copied into the repository).
 */
import { REAL } from '../../helpers/corpus';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { jsonReader, MAX_RECORD_BYTES } from '../../../src/main/engine/import/readers/json';
import { ndjsonReader } from '../../../src/main/engine/import/readers/ndjson';
import { collect, fixedChunks, rowValues } from './helpers/collect-sink';

const cols = (c: Awaited<ReturnType<typeof collect>>, table = '') =>
  c.tables.get(table)!.columns.map((x) => x.name);
const locs = (c: Awaited<ReturnType<typeof collect>>, table = '') =>
  c.tables.get(table)!.rows.map((r) => [r.line, r.offset]);

describe('JSON reader: shapes and table names', () => {
  it('a top-level array of objects is table "", nested objects flattened, columns unioned', async () => {
    const text = `[
  {"id": 1, "stagiaire": {"nom": "Lefèvre", "contact": {"email": "h.lefevre@exemple.fr"}}},
  {"id": 2, "stagiaire": {"nom": "Bénard", "contact": {"tel": "0601020304"}}, "actif": true}
]`;
    const c = await collect(jsonReader, text);
    expect([...c.tables.keys()]).toEqual(['']);
    expect(cols(c)).toEqual([
      'id',
      'stagiaire.nom',
      'stagiaire.contact.email',
      'stagiaire.contact.tel',
      'actif',
    ]);
    expect(c.tables.get('')!.columns.every((x) => x.name === x.path)).toBe(true);
    expect(rowValues(c)).toEqual([
      ['1', 'Lefèvre', 'h.lefevre@exemple.fr'],
      ['2', 'Bénard', null, '0601020304', 'true'],
    ]);
    expect(locs(c)).toEqual([
      [2, 4],
      [3, Buffer.from(text).indexOf('{"id": 2')],
    ]);
    expect(c.rejects).toEqual([]);
    expect(c.result).toEqual({ truncated: false });
    expect(c.meta.shape).toBe('array');
  });

  it('escapes, \\u00e9 and surrogate pairs are decoded; numbers stay as written', async () => {
    const text =
      '[{"nom": "Ma\\u00eblle \\ud83d\\ude00", "q": "\\"cit\\u00e9\\"", "montant": 1.50, "nir": 12345678901234567890, "e": 1E+2}]';
    const c = await collect(jsonReader, text);
    expect(rowValues(c)).toEqual([['Maëlle 😀', '"cité"', '1.50', '12345678901234567890', '1E+2']]);
  });

  it('a whole array written on one line, read in small chunks', async () => {
    const recs = Array.from({ length: 3000 }, (_, i) => ({
      i,
      nom: i % 2 ? 'Zoé' : 'Noël',
      geo: { lat: '48.85', lon: '2.35' },
    }));
    const text = JSON.stringify(recs);
    expect(text.includes('\n')).toBe(false);
    const c = await collect(jsonReader, fixedChunks(Buffer.from(text), 1000));
    expect(c.tables.get('')!.rows.length).toBe(3000);
    expect(rowValues(c)[2999]).toEqual(['2999', 'Zoé', '48.85', '2.35']);
    expect(c.tables.get('')!.rows.every((r) => r.line === 1)).toBe(true);
  });

  it('an object with one array: the table is named by its key; other members are skipped', async () => {
    const text = '{"results": [{"a": 1}, {"a": 2}], "info": {"seed": "x", "page": 1}}';
    const c = await collect(jsonReader, text);
    expect([...c.tables.keys()]).toEqual(['results']);
    expect(rowValues(c, 'results')).toEqual([['1'], ['2']]);
    expect(c.meta.skipped).toBe('info.seed, info.page');
    expect(c.meta.shape).toBe('object');
  });

  it('an object of arrays per table (a database dump): one table each', async () => {
    const text = JSON.stringify(
      {
        Artist: [
          { ArtistId: 1, Name: 'Édith' },
          { ArtistId: 2, Name: 'Gaël' },
        ],
        Album: [{ AlbumId: 1, Title: 'À la folie', ArtistId: 1 }],
        Version: '1.4',
        Empty: [],
      },
      null,
      2,
    );
    const c = await collect(jsonReader, text);
    expect([...c.tables.keys()]).toEqual(['Artist', 'Album']);
    expect(rowValues(c, 'Artist')).toEqual([
      ['1', 'Édith'],
      ['2', 'Gaël'],
    ]);
    expect(cols(c, 'Album')).toEqual(['AlbumId', 'Title', 'ArtistId']);
    expect(c.meta.skipped).toBe('Version, Empty');
  });

  it('arrays deeper in objects are tables named by their dotted path; arrays in records are values', async () => {
    const text =
      '{"data": {"users": [{"nom": "Faure", "roles": ["admin", "rh"], "adresses": [{"ville": "Lyon"}]}], "total": 1}, "ok": true}';
    const c = await collect(jsonReader, text);
    expect([...c.tables.keys()]).toEqual(['data.users']);
    expect(rowValues(c, 'data.users')).toEqual([['Faure', '["admin","rh"]', '[{"ville":"Lyon"}]']]);
  });

  it('the same path twice (concatenated documents) feeds one table', async () => {
    const text = '{"results": [{"a": 1}]}\n{"results": [{"a": 2, "b": 3}]}\n';
    const c = await collect(jsonReader, text);
    expect(rowValues(c, 'results')).toEqual([['1'], ['2', '3']]);
    expect(locs(c, 'results')).toEqual([
      [1, 13],
      [2, 37],
    ]);
  });

  it('a lone object is one record of table ""', async () => {
    const c = await collect(
      jsonReader,
      '{"nom": "Girard", "adresse": {"cp": "75001"}, "tags": []}',
    );
    expect(cols(c)).toEqual(['nom', 'adresse.cp', 'tags']);
    expect(rowValues(c)).toEqual([['Girard', '75001', '[]']]);
  });

  it('empty array, empty object array, empty file, whitespace', async () => {
    const a = await collect(jsonReader, '[]');
    expect([...a.tables]).toEqual([['', { columns: [], rows: [] }]]);
    const b = await collect(jsonReader, '{"results": [], "errors": []}');
    expect([...b.tables]).toEqual([
      ['results', { columns: [], rows: [] }],
      ['errors', { columns: [], rows: [] }],
    ]);
    // With other data beside it, the object is kept whole as one record instead.
    const d = await collect(jsonReader, '{"results": [], "info": {"n": 0}}');
    expect(rowValues(d)).toEqual([['[]', '0']]);
    for (const text of ['', '  \n\r\n ', '\ufeff']) {
      const c = await collect(jsonReader, text);
      expect(c.tables.size).toBe(0);
      expect(c.rejects).toEqual([]);
      expect(c.result).toEqual({ truncated: false });
      expect(c.meta.shape).toBe('empty');
    }
  });

  it('a top-level scalar is a clear reject', async () => {
    const c = await collect(jsonReader, '42\n');
    expect(c.tables.size).toBe(0);
    expect(c.rejects).toEqual([
      {
        table: null,
        line: 1,
        offset: 0,
        reason: 'top-level value is a number, expected an array or an object',
        raw: '42',
        ordinal: null,
      },
    ]);
    const s = await collect(jsonReader, '  "juste une chaîne"');
    expect(s.rejects[0]!.reason).toBe(
      'top-level value is a string, expected an array or an object',
    );
    expect(s.rejects[0]!.offset).toBe(2);
  });

  it('non-objects in an array of objects are rejected with the reason', async () => {
    const c = await collect(jsonReader, '[{"a": 1}, "x", 3, [1], null, {"a": 2}]');
    expect(rowValues(c)).toEqual([['1'], ['2']]);
    expect(c.rejects.map((r) => [r.reason, r.raw, r.ordinal])).toEqual([
      ['expected a JSON object, found a string', '"x"', 1],
      ['expected a JSON object, found a number', '3', 2],
      ['expected a JSON object, found an array', '[1]', 3],
      ['expected a JSON object, found null', 'null', 4],
    ]);
  });

  it('an array of scalars becomes one `value` column', async () => {
    const c = await collect(jsonReader, '["a@exemple.fr", "b@exemple.fr", 7, null, {"x": 1}]');
    expect(cols(c)).toEqual(['value']);
    expect(rowValues(c)).toEqual([['a@exemple.fr'], ['b@exemple.fr'], ['7'], [null], ['{"x":1}']]);
  });
});

describe('JSON reader: damaged input', () => {
  it('an invalid element is rejected with line, offset and JSON.parse reason; reading goes on', async () => {
    const text = '[\n{"a": 1},\n{"a": tru},\n{"a": "x\u0001"},\n{"a": [1, 2},\n{"a": 5}\n]';
    const c = await collect(jsonReader, text);
    expect(rowValues(c)).toEqual([['1'], ['5']]);
    expect(c.rejects.map((r) => [r.line, r.offset, r.raw])).toEqual([
      [3, text.indexOf('{"a": tru}'), '{"a": tru}'],
      [4, text.indexOf('{"a": "x'), '{"a": "x\u0001"}'],
      [5, text.indexOf('{"a": [1, 2}'), '{"a": [1, 2}'],
    ]);
    for (const r of c.rejects) expect(r.reason).toMatch(/^invalid JSON: /);
    expect(c.result).toEqual({ truncated: false });
  });

  it('a missing comma, an extra or a trailing comma are tolerated', async () => {
    const c = await collect(jsonReader, '[{"a": 1} {"a": 2},, {"a": 3},]');
    expect(rowValues(c)).toEqual([['1'], ['2'], ['3']]);
    expect(c.rejects).toEqual([]);
  });

  it('a missing "]" before the closing "}" is repaired', async () => {
    const c = await collect(jsonReader, '{"results": [{"a": 1}, {"a": 2}}');
    expect(rowValues(c, 'results')).toEqual([['1'], ['2']]);
    expect(c.result.truncated).toBe(false);
    expect(c.meta.structureErrors).toBe(1);
  });

  it('a truncated file keeps every complete element and rejects the partial one', async () => {
    const text = '{"results": [\n  {"nom": "Dupont"},\n  {"nom": "Lefèvre"},\n  {"nom": "Bén';
    const c = await collect(jsonReader, text);
    expect(rowValues(c, 'results')).toEqual([['Dupont'], ['Lefèvre']]);
    expect(c.result.truncated).toBe(true);
    expect(c.result.truncatedReason).toBe(
      "file ends inside the array 'results' (after 2 elements), in a record started at line 4",
    );
    expect(c.rejects).toEqual([
      {
        table: 'results',
        line: 4,
        offset: Buffer.byteLength(text) - '{"nom": "Bén'.length - 1,
        reason: `truncated: ${c.result.truncatedReason}`,
        raw: '{"nom": "Bén',
        ordinal: 2,
      },
    ]);
  });

  it('a file cut between elements is truncated without a reject', async () => {
    const c = await collect(jsonReader, '[{"a": 1}, ');
    expect(rowValues(c)).toEqual([['1']]);
    expect(c.rejects).toEqual([]);
    expect(c.result).toEqual({
      truncated: true,
      truncatedReason: 'file ends inside the top-level array',
    });
  });

  it(`an element above ${MAX_RECORD_BYTES / 1024 / 1024} MiB is rejected without being buffered`, async () => {
    const big = Buffer.alloc(MAX_RECORD_BYTES + 1024, 0x61);
    const parts = [
      Buffer.from('[{"a": 1}, {"blob": "'),
      ...fixedChunks(big, 1024 * 1024),
      Buffer.from('"}, {"a": 2}]'),
    ];
    const c = await collect(jsonReader, parts);
    expect(rowValues(c)).toEqual([['1'], ['2']]);
    expect(c.rejects.length).toBe(1);
    expect(c.rejects[0]!.reason).toBe(`record larger than ${MAX_RECORD_BYTES} bytes`);
    expect(c.rejects[0]!.raw.length).toBe(64 * 1024);
    expect(c.rejects[0]!.offset).toBe(11);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(collect(jsonReader, '[{"a": 1}]', {}, { signal: ac.signal })).rejects.toThrow();
  });
});

describe('JSON reader: encodings and offsets', () => {
  const text = '[\r\n  {"nom": "Hélène"},\r\n  {"nom": "Loïc 😀"}\r\n]\r\n';

  it('UTF-8 with BOM: offsets count the BOM, CRLF lines count once', async () => {
    const c = await collect(
      jsonReader,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
    expect(rowValues(c)).toEqual([['Hélène'], ['Loïc 😀']]);
    expect(locs(c)).toEqual([
      [2, 3 + 5],
      [3, 3 + 5 + Buffer.byteLength('{"nom": "Hélène"},\r\n  ')],
    ]);
  });

  it('UTF-16 LE and BE with BOM: same rows, offsets in original bytes', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      const c = await collect(jsonReader, fixedChunks(bytes, 7));
      expect(rowValues(c)).toEqual([['Hélène'], ['Loïc 😀']]);
      expect(locs(c)).toEqual([
        [2, 2 + 2 * 5],
        [3, 2 + 2 * text.indexOf('{"nom": "Loïc')],
      ]);
      expect(c.meta.encoding).toBe(bytes === le ? 'utf-16le' : 'utf-16be');
    }
  });

  it('Windows-1252 when the sniffer says so', async () => {
    const bytes = Buffer.from('[{"nom": "Lef\xe8vre", "note": "\x80 5"}]', 'latin1');
    const c = await collect(jsonReader, bytes, { encoding: 'windows-1252' });
    expect(rowValues(c)).toEqual([['Lefèvre', '€ 5']]);
  });
});

describe('JSON sniffing', () => {
  const sniff = (text: string | Buffer, name = 'dump') => {
    const head = typeof text === 'string' ? Buffer.from(text) : text;
    return {
      json: jsonReader.sniff(head, name)?.likelihood ?? 0,
      ndjson: ndjsonReader.sniff(head, name)?.likelihood ?? 0,
    };
  };

  it('an array or an object spanning lines is JSON', () => {
    for (const t of ['[{"a": 1},\n{"a": 2}]', '[\n  {"a": 1}\n]', '{\n  "results": [\n']) {
      const s = sniff(t);
      expect(s.json, t).toBeGreaterThanOrEqual(0.9);
      expect(s.ndjson, t).toBe(0);
    }
  });

  it('one object per line is NDJSON, even when the head cuts the last line', () => {
    const s = sniff('{"a": 1}\n{"a": 2}\n{"a": 3, "b": "tronq');
    expect(s.ndjson).toBeGreaterThanOrEqual(0.9);
    expect(s.json).toBeLessThan(s.ndjson);
  });

  it('one object on one line: JSON unless the extension says JSON Lines', () => {
    const line = '{"results": [{"a": 1}]}';
    expect(sniff(line).json).toBeGreaterThan(sniff(line).ndjson);
    expect(sniff(line, 'x.json').json).toBeGreaterThan(sniff(line, 'x.json').ndjson);
    expect(sniff(line, 'x.jsonl').ndjson).toBeGreaterThan(sniff(line, 'x.jsonl').json);
    expect(sniff(line, 'x.ndjson.gz').ndjson).toBeGreaterThan(sniff(line, 'x.ndjson.gz').json);
  });

  it('UTF-16 heads are decoded and their encoding passed on', () => {
    const head = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('[\n{"a": 1}\n]', 'utf16le'),
    ]);
    expect(jsonReader.sniff(head, 'x')).toEqual({
      likelihood: 0.9,
      options: { encoding: 'utf-16le' },
    });
  });

  it('CSV and plain text are neither', () => {
    for (const t of ['nom;prenom\nDupont;Zoé\n', 'a@b.fr:secret\n', '']) {
      expect(sniff(t)).toEqual({ json: 0, ndjson: 0 });
    }
  });
});

describe('real sample corpus', () => {
  const root = REAL;
  const manifestPath = `${root}/manifest.json`;
  interface ManifestFile {
    file: string;
    tables: { name: string; rows: number; columns: { name: string }[] }[];
  }
  const manifest = (): ManifestFile[] =>
    (JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: ManifestFile[] }).files;

  it.skipIf(!existsSync(`${root}/randomuser/randomuser.json`))(
    'randomuser.json: table results, 200 rows, the manifest columns',
    async () => {
      const path = `${root}/randomuser/randomuser.json`;
      const entry = manifest().find((f) => f.file === 'randomuser/randomuser.json')!;
      expect(
        jsonReader.sniff(readFileSync(path).subarray(0, 65536), 'randomuser.json')!.likelihood,
      ).toBeGreaterThan(
        ndjsonReader.sniff(readFileSync(path).subarray(0, 65536), 'x')?.likelihood ?? 0,
      );
      const c = await collect(jsonReader, createReadStream(path));
      expect([...c.tables.keys()]).toEqual(['results']);
      expect(c.tables.get('results')!.rows.length).toBe(200);
      expect(cols(c, 'results')).toEqual(entry.tables[0]!.columns.map((x) => x.name));
      expect(c.rejects).toEqual([]);
      expect(c.result.truncated).toBe(false);
      const first = c.tables.get('results')!.rows[0]!;
      const at = (p: string) => first.values[cols(c, 'results').indexOf(p)];
      expect(at('location.postcode')).toBe('64228'); // a JSON number, kept as written
      expect(at('id.value')).toBe('615-81-4373');
    },
  );

  it.skipIf(!existsSync(`${root}/chinook/ChinookData.json.gz`))(
    'ChinookData.json.gz: one table per key, manifest rows and columns',
    async () => {
      const entry = manifest().find((f) => f.file === 'chinook/ChinookData.json.gz')!;
      const src = createReadStream(`${root}/chinook/ChinookData.json.gz`).pipe(createGunzip());
      const c = await collect(jsonReader, src);
      expect([...c.tables.keys()]).toEqual(entry.tables.map((t) => t.name));
      for (const t of entry.tables) {
        expect(c.tables.get(t.name)!.rows.length, t.name).toBe(t.rows);
        expect(cols(c, t.name), t.name).toEqual(t.columns.map((x) => x.name));
      }
      expect(c.rejects).toEqual([]);
      const track = c.tables.get('Track')!;
      expect(track.rows[0]!.values[track.columns.findIndex((x) => x.name === 'UnitPrice')]).toBe(
        '0.99',
      );
    },
  );
});
