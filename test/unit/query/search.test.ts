/**
 * Full-text search: the trigram index is built in the encrypted case, finds substrings of emails
 * and identifiers through the index, ignores case and accents, never matches across two columns,
 * treats FTS syntax in the search text as plain text, falls back to a scan (and says so) for
 * short words or a dataset without an index, and agrees with a JS oracle on a generated dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../../src/main/engine/query/functions';
import { trigramsOf } from '../../../src/main/engine/query/search';
import type { WritableCase } from '../../../src/main/engine/store';
import type { RowRecord } from '../../../src/shared/api';
import { parseSearchTerms } from '../../../src/shared/filter';
import { scratchDir } from '../../helpers/tmp';
import { allRows, csvText, ids, importCsv, importGenerated, query, testCase } from './helpers';

const dir = scratchDir('leakscope-query-search-');
let c: WritableCase;

beforeAll(async () => {
  c = testCase(dir);
  const header = ['nom', 'prenom', 'email', 'nir'];
  const rows = [
    ['PICARD', 'Hélène', 'helene.picard@orange.fr', '2 85 03 75 120 005 42'],
    ['DUPONT', 'HÉLÈNE', 'h.dupont@laposte.net', '185037512000542'],
    ['MARTIN', 'helene', 'hm@francetravail.fr', ''],
    ['RICHARD', 'Jo', 'jo.richard@gmail.com', '1850375'],
    ['NGUYEN', 'Thị Ánh', 'anh.nguyen@free.fr', ''],
    ['GARCÍA', 'José "Pepe"', 'jose.garcia-lopez.tres.long.identifiant@example-domaine.fr', ''],
  ];
  await importCsv(c.db, dir, 'people', csvText(header, rows));
  await importCsv(c.db, dir, 'noindex', csvText(header, rows), { search: false });
});
afterAll(() => c?.close());

const search = (text: string, dataset = 'people') => ids(c.db, { dataset, search: text });

describe('the search index', () => {
  it('is recorded ready with its row count, inside the case', () => {
    const r = c.db.prepare('SELECT fts_table, tokenizer, status, rows FROM search_indexes').all();
    expect(r).toEqual([
      { fts_table: 'fts_1', tokenizer: 'trigram remove_diacritics 1', status: 'ready', rows: 6 },
    ]);
    const sql = (
      c.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'fts_1'").get() as { sql: string }
    ).sql;
    expect(sql).toMatch(
      /fts5\(doc, content='', columnsize=0, detail=none, tokenize='trigram remove_diacritics 1'\)/,
    );
  });

  it('finds any case and accents: "helene" finds Hélène and HÉLÈNE', async () => {
    expect(await search('helene')).toEqual([1, 2, 3]);
    expect(await search('HÉLÈNE')).toEqual([1, 2, 3]);
    expect(await search('thi anh')).toEqual([5]);
    expect(await search('garcia')).toEqual([6]);
  });

  it('finds substrings of emails and identifiers through the index', async () => {
    const r = await query(c.db, { dataset: 'people', search: 'picard@ora' });
    expect(r.rows.map((x) => x.id)).toEqual([1]);
    expect(r.searchMode).toBe('index');
    expect(r.notes).toEqual([]);
    expect(await search('@francetravail.fr')).toEqual([3]);
    expect(await search('85037512')).toEqual([2]);
    expect(await search('"120 005"')).toEqual([1]);
    expect(await search('120 005')).toEqual([1, 2]);
    // Longer than 16 trigrams: a spread subset is looked up, then re-checked exactly.
    expect(trigramsOf('jose.garcia-lopez.tres.long.identifiant').length).toBeLessThanOrEqual(16);
    expect(await search('garcia-lopez.tres.long.identifiant@example')).toEqual([6]);
    expect(await search('garcia-lopez.tres.long.identifiant@exemple')).toEqual([]);
  });

  it('ANDs the words and keeps "quoted phrases" whole', async () => {
    expect(await search('helene orange')).toEqual([1]);
    expect(await search('helene laposte')).toEqual([2]);
    expect(await search('"h.dupont@laposte"')).toEqual([2]);
    expect(await search('"hélène dupont"')).toEqual([]);
    expect(parseSearchTerms('  a "b c"  d\u0007e a ')).toEqual(['a', 'b c', 'de']);
  });

  it('never matches across two columns', async () => {
    // "PICARD" is followed by "Hélène" in the next column: "ardhel" spans them.
    expect(await search('ardhel')).toEqual([]);
    expect(await search('ard hel')).toEqual([1]);
  });

  it('treats FTS syntax as plain text', async () => {
    for (const text of [
      '"',
      'NEAR(a b)',
      'pic*',
      'AND',
      'OR helene',
      '-helene',
      'nom:picard',
      '{nom}',
      '^pic',
      '"pepe"',
    ]) {
      const r = await query(c.db, { dataset: 'people', search: text });
      expect(Array.isArray(r.rows)).toBe(true);
    }
    expect(await search('"pepe"')).toEqual([6]);
    expect(await search('José "Pepe"')).toEqual([6]);
    expect(await search('pic*')).toEqual([]);
    expect(await search('nom:picard')).toEqual([]);
    expect(await search('OR helene')).toEqual([1]); // 'or' of 'orange'
  });

  it('scans for words shorter than 3 characters, and says so', async () => {
    const short = await query(c.db, { dataset: 'people', search: 'jo' });
    expect(short.rows.map((r) => r.id)).toEqual([4, 6]);
    expect(short.searchMode).toBe('scan');
    expect(short.notes[0]).toMatch(/"jo" is shorter than 3 characters.*whole dataset/);
    const mixed = await query(c.db, { dataset: 'people', search: 'jo gmail' });
    expect(mixed.rows.map((r) => r.id)).toEqual([4]);
    expect(mixed.searchMode).toBe('mixed');
    expect(mixed.notes[0]).toMatch(/among the records the other words select/);
  });

  it('scans a dataset without an index, with the same results', async () => {
    const r = await query(c.db, { dataset: 'noindex', search: 'helene' });
    expect(r.rows.map((x) => x.id)).toEqual([1, 2, 3]);
    expect(r.searchMode).toBe('scan');
    expect(r.notes[0]).toMatch(/has no search index/);
    for (const text of ['picard@ora', 'thi anh', 'jo gmail', 'ardhel', '85037512']) {
      expect(await search(text, 'noindex')).toEqual(await search(text));
    }
  });

  it('combines with filters and sorts', async () => {
    const r = await query(c.db, {
      dataset: 'people',
      search: 'helene',
      filter: { column: 'email', op: 'endsWith', value: '.fr' },
      sort: [{ column: 'nom', desc: true }],
    });
    expect(r.rows.map((x) => x.values.nom)).toEqual(['PICARD', 'MARTIN']);
    expect(r.description).toBe(
      'email ends with ".fr" AND containing "helene" (any column, ignoring case and accents)',
    );
    const paged = await allRows(c.db, { dataset: 'people', search: 'e', limit: 2 });
    expect(paged.map((x) => x.id)).toEqual([1, 2, 3, 5, 6]);
  });
});

describe('against a JS oracle on generated people', () => {
  let g: WritableCase;
  let rows: RowRecord[];
  beforeAll(async () => {
    g = testCase(dir);
    await importGenerated(g.db, dir, 'gen', 800, 3);
    rows = await allRows(g.db, { dataset: 'gen', limit: 1000 });
  });
  afterAll(() => g?.close());

  const oracle = (text: string) => {
    const terms = parseSearchTerms(text).map(fold);
    return rows
      .filter((r) =>
        terms.every((t) => Object.values(r.values).some((v) => v !== null && fold(v).includes(t))),
      )
      .map((r) => r.id);
  };

  for (const text of [
    'orange',
    'mar',
    'rue de',
    'ée',
    'e@',
    '06',
    'jean gmail',
    '"avenue du"',
    'ÉLO',
    '75',
    'zzzq',
  ]) {
    it(`"${text}"`, async () => {
      const expected = oracle(text);
      expect(await ids(g.db, { dataset: 'gen', search: text })).toEqual(expected);
    });
  }
});
