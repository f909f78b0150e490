/**
 * Every filter operator, the groups, provenance, PII-kind and linkage leaves, with the exact row
 * sets expected on a small hand-made dataset (NDJSON, so that missing values are real NULLs),
 * plus a JS oracle over a generated dataset for breadth.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/main/engine/import/pipeline';
import { fold } from '../../../src/main/engine/query/functions';
import type { WritableCase } from '../../../src/main/engine/store';
import type { FilterNode } from '../../../src/shared/filter';
import { scratchDir } from '../../helpers/tmp';
import { allRows, ids, importGenerated, testCase } from './helpers';

const dir = scratchDir('leakscope-query-ops-');
const EVIL = 'x"; DROP TABLE datasets; --';

const PEOPLE = [
  {
    nom: 'PICARD',
    prenom: 'Hélène',
    email: 'helene.picard@orange.fr',
    contact: null,
    ville: 'PARIS',
    cp: '75020',
    naissance: '1985-03-12',
    montant: '1 234,50',
    note: '',
    [EVIL]: 'a',
    adr: { rue: '3 rue Carnot' },
  },
  {
    nom: 'RICHARD',
    prenom: 'Stéphane',
    email: 'stephane.richard@francetravail.fr',
    contact: null,
    ville: 'Nice',
    cp: '06200',
    naissance: '12/05/1990',
    montant: '99.5',
    note: null,
    [EVIL]: 'b',
  },
  {
    nom: 'DUPONT',
    prenom: 'helene',
    email: 'h.dupont@laposte.net',
    contact: null,
    ville: 'LYON',
    cp: '69001',
    naissance: '20010624',
    montant: '12',
    note: '   ',
    [EVIL]: 'c',
  },
  {
    nom: 'Dupont',
    prenom: 'Jean-Pierre',
    email: 'jp@EXAMPLE.com',
    contact: null,
    ville: 'PARIS',
    cp: '75001',
    naissance: '24 juin 2001',
    montant: '-3',
    note: 'vip',
    [EVIL]: EVIL,
  },
  {
    nom: 'Müller',
    prenom: 'Zoé',
    email: 'zoe@muller.de',
    contact: 'zoe@francetravail.fr',
    ville: 'Strasbourg',
    cp: '67000',
    naissance: '1999-12-31',
    montant: 'abc',
    note: 'x%y_z',
    [EVIL]: '100%',
  },
  {
    nom: "O'BRIEN",
    prenom: 'Seán',
    email: 'sean@obrien.ie',
    contact: null,
    ville: 'DUBLIN',
    cp: 'D02',
    naissance: '',
    montant: '',
    note: 'a\\b',
    [EVIL]: '*?[',
  },
  {
    nom: 'ÉMILE',
    prenom: 'Émile',
    email: 'emile@orange.fr',
    contact: null,
    ville: 'Évry',
    cp: '91000',
    naissance: '1970-01-01',
    montant: '1e3',
    note: 'line1\nline2',
    [EVIL]: "'; --",
  },
  {
    nom: '',
    prenom: 'Anne',
    email: null,
    contact: null,
    ville: 'PARIS',
    cp: '75020',
    naissance: '31/12/1969',
    montant: '0',
    [EVIL]: 'a',
  },
];

let c: WritableCase;
let ds: number;

beforeAll(async () => {
  c = testCase(dir);
  const lines = PEOPLE.map((p) => JSON.stringify(p));
  // A malformed record between the 4th and 5th: a reject at ordinal 4, line 5.
  lines.splice(4, 0, '{"nom": "BROKEN", ');
  const file = join(dir, 'people.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = await runImport(c.db, {
    path: file,
    name: 'people',
    format: 'ndjson',
    encoding: 'auto',
  });
  expect(r.rows).toBe(8);
  expect(r.rejected).toBe(1);
  ds = r.datasets[0]!.id;
});
afterAll(() => c?.close());

const q = (filter: FilterNode) => ids(c.db, { dataset: 'people', filter });

describe('column operators', () => {
  const cases: [string, FilterNode, number[]][] = [
    ['equals, exact', { column: 'nom', op: 'equals', value: 'PICARD' }, [1]],
    ['equals is exact by default', { column: 'nom', op: 'equals', value: 'picard' }, []],
    [
      'equals ignoring case',
      { column: 'nom', op: 'equals', value: 'picard', caseSensitive: false },
      [1],
    ],
    [
      'equals ignoring case and accents',
      { column: 'nom', op: 'equals', value: 'emile', caseSensitive: false },
      [7],
    ],
    [
      'equals folds both sides',
      { column: 'nom', op: 'equals', value: 'DÛPONT', caseSensitive: false },
      [3, 4],
    ],
    ['equals a number', { column: 'montant', op: 'equals', value: 12 }, [3]],
    ['equals the empty string', { column: 'nom', op: 'equals', value: '' }, [8]],
    [
      'notEquals keeps other values',
      { column: 'nom', op: 'notEquals', value: 'DUPONT' },
      [1, 2, 4, 5, 6, 7, 8],
    ],
    [
      'notEquals includes missing values',
      { column: 'email', op: 'notEquals', value: 'x' },
      [1, 2, 3, 4, 5, 6, 7, 8],
    ],
    [
      'notEquals ignoring case',
      { column: 'nom', op: 'notEquals', value: 'dupont', caseSensitive: false },
      [1, 2, 5, 6, 7, 8],
    ],
    [
      'contains ignores case and accents',
      { column: 'prenom', op: 'contains', value: 'helene' },
      [1, 3],
    ],
    [
      'contains with accents in the needle',
      { column: 'prenom', op: 'contains', value: 'HÉL' },
      [1, 3],
    ],
    [
      'contains exact',
      { column: 'prenom', op: 'contains', value: 'élè', caseSensitive: true },
      [1],
    ],
    [
      'contains exact is case-sensitive',
      { column: 'prenom', op: 'contains', value: 'hél', caseSensitive: true },
      [],
    ],
    ['contains in emails', { column: 'email', op: 'contains', value: '@orange' }, [1, 7]],
    ['contains a LIKE wildcard literally', { column: 'note', op: 'contains', value: '%' }, [5]],
    ['contains an underscore literally', { column: 'note', op: 'contains', value: 'y_z' }, [5]],
    ['contains a backslash', { column: 'note', op: 'contains', value: 'a\\b' }, [6]],
    ['contains a newline', { column: 'note', op: 'contains', value: '1\nl' }, [7]],
    ['contains a quote', { column: 'nom', op: 'contains', value: "o'b" }, [6]],
    ['startsWith ignoring case', { column: 'email', op: 'startsWith', value: 'H' }, [1, 3]],
    [
      'startsWith exact',
      { column: 'email', op: 'startsWith', value: 'h.', caseSensitive: true },
      [3],
    ],
    [
      'startsWith GLOB characters literally',
      { column: EVIL, op: 'startsWith', value: '*?[', caseSensitive: true },
      [6],
    ],
    ['startsWith a star', { column: EVIL, op: 'startsWith', value: '*', caseSensitive: true }, [6]],
    ['endsWith ignoring case', { column: 'email', op: 'endsWith', value: '.COM' }, [4]],
    ['endsWith exact', { column: 'email', op: 'endsWith', value: '.COM', caseSensitive: true }, []],
    ['endsWith a domain', { column: 'email', op: 'endsWith', value: '@orange.fr' }, [1, 7]],
    ['endsWith with accents', { column: 'ville', op: 'endsWith', value: 'VRY' }, [7]],
    ['regex', { column: 'nom', op: 'regex', value: '^DUP' }, [3]],
    [
      'regex on folded values',
      { column: 'nom', op: 'regex', value: '^dup', caseSensitive: false },
      [3, 4],
    ],
    [
      'regex with classes',
      { column: 'email', op: 'regex', value: '^[a-z.]+@orange\\.fr$' },
      [1, 7],
    ],
    ['regex anchors', { column: 'email', op: 'regex', value: '^[a-z]+@orange\\.fr$' }, [7]],
    ['in a list', { column: 'ville', op: 'in', value: ['PARIS', 'Nice'] }, [1, 2, 4, 8]],
    [
      'in ignoring case',
      { column: 'ville', op: 'in', value: ['paris', 'NICE', 'evry'], caseSensitive: false },
      [1, 2, 4, 7, 8],
    ],
    ['in with numbers', { column: 'cp', op: 'in', value: [75020, 6200] }, [1, 8]],
    [
      'range of numbers',
      { column: 'montant', op: 'range', type: 'number', value: { min: 0, max: 100 } },
      [2, 3, 8],
    ],
    [
      'range of numbers, French decimals',
      { column: 'montant', op: 'range', type: 'number', value: { min: 1000 } },
      [1, 7],
    ],
    [
      'range of numbers, at most',
      { column: 'montant', op: 'range', type: 'number', value: { max: -1 } },
      [4],
    ],
    [
      'range of dates in any format',
      { column: 'naissance', op: 'range', type: 'date', value: { min: '1980', max: '1999' } },
      [1, 2, 5],
    ],
    [
      'range of dates, at most a day',
      { column: 'naissance', op: 'range', type: 'date', value: { max: '1970-01-01' } },
      [7, 8],
    ],
    [
      'range of dates by month',
      { column: 'naissance', op: 'range', type: 'date', value: { min: '2001-06', max: '2001-06' } },
      [3, 4],
    ],
    [
      'range of text',
      { column: 'cp', op: 'range', type: 'text', value: { min: '75000', max: '75999' } },
      [1, 4, 8],
    ],
    ['empty: missing, empty and blank', { column: 'note', op: 'empty' }, [1, 2, 3, 8]],
    ['notEmpty', { column: 'note', op: 'notEmpty' }, [4, 5, 6, 7]],
    ['empty on a missing email', { column: 'email', op: 'empty' }, [8]],
    ['length', { column: 'cp', op: 'length', value: { min: 5, max: 5 } }, [1, 2, 3, 4, 5, 7, 8]],
    ['length zero', { column: 'nom', op: 'length', value: { max: 0 } }, [8]],
    [
      'length counts characters, not bytes',
      { column: 'prenom', op: 'length', value: { min: 6, max: 6 } },
      [1, 3],
    ],
    ['a nested column by its dotted path', { column: 'adr.rue', op: 'notEmpty' }, [1]],
  ];
  for (const [name, filter, expected] of cases) {
    it(name, async () => expect(await q(filter)).toEqual(expected));
  }
});

describe('values and column names are never SQL', () => {
  it('a column named like an injection is just a column', async () => {
    expect(await q({ column: EVIL, op: 'equals', value: EVIL })).toEqual([4]);
    expect(await q({ column: EVIL, op: 'equals', value: "'; --" })).toEqual([7]);
    expect(await q({ column: EVIL, op: 'contains', value: '%' })).toEqual([5]);
    const page = await allRows(c.db, {
      dataset: 'people',
      filter: { column: EVIL, op: 'equals', value: 'b' },
    });
    expect(page[0]!.values[EVIL]).toBe('b');
    // The datasets table survived.
    expect((c.db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n).toBe(1);
  });

  it('injection attempts in values match literally', async () => {
    for (const value of [
      "' OR 1=1 --",
      '"; DROP TABLE datasets; --',
      "') OR ('1'='1",
      '%',
      '_',
      '*',
    ]) {
      expect(await q({ column: 'nom', op: 'equals', value })).toEqual([]);
      expect(await q({ column: 'nom', op: 'in', value: [value, 'PICARD'] })).toEqual([1]);
    }
    expect(await q({ column: 'nom', op: 'contains', value: "' OR '1'='1" })).toEqual([]);
    expect((c.db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n).toBe(1);
  });

  it('an unknown column is a plain error naming the columns', async () => {
    await expect(q({ column: 'nope', op: 'empty' })).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
      message: expect.stringMatching(/has no column "nope"; its columns are "nom", "prenom"/),
    });
    await expect(q({ column: `${EVIL}x`, op: 'empty' })).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
    });
  });

  it('refuses bad operands with a plain message', async () => {
    await expect(
      q({ column: 'naissance', op: 'range', type: 'date', value: { min: '12/05/1990' } }),
    ).rejects.toMatchObject({ code: 'E_BAD_INPUT', message: expect.stringMatching(/YYYY-MM-DD/) });
    await expect(
      q({ column: 'montant', op: 'range', type: 'number', value: { min: 'lots' } }),
    ).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
      message: expect.stringMatching(/not a number/),
    });
  });
});

describe('groups', () => {
  it('and, or, not and nesting', async () => {
    expect(
      await q({
        and: [
          { column: 'ville', op: 'equals', value: 'PARIS' },
          { column: 'prenom', op: 'contains', value: 'an' },
        ],
      }),
    ).toEqual([4, 8]);
    expect(
      await q({
        or: [
          { column: 'nom', op: 'startsWith', value: 'dup' },
          { column: 'email', op: 'endsWith', value: '.ie' },
        ],
      }),
    ).toEqual([3, 4, 6]);
    // NOT keeps the records where the inner condition is unknown (no email).
    expect(await q({ not: { column: 'email', op: 'contains', value: 'orange' } })).toEqual([
      2, 3, 4, 5, 6, 8,
    ]);
    expect(await q({ not: { not: { column: 'email', op: 'contains', value: 'orange' } } })).toEqual(
      [1, 7],
    );
    expect(
      await q({
        and: [
          {
            or: [
              { column: 'ville', op: 'equals', value: 'PARIS' },
              { column: 'ville', op: 'equals', value: 'LYON' },
            ],
          },
          { not: { column: 'note', op: 'empty' } },
        ],
      }),
    ).toEqual([4]);
    expect(await q({ and: [{ column: 'nom', op: 'equals', value: 'PICARD' }] })).toEqual([1]);
  });

  it('empty results', async () => {
    expect(await q({ column: 'nom', op: 'equals', value: 'NOBODY' })).toEqual([]);
    const page = await allRows(c.db, {
      dataset: 'people',
      filter: { column: 'nom', op: 'equals', value: 'X' },
    });
    expect(page).toEqual([]);
  });
});

describe('provenance leaves', () => {
  it('line, ordinal and offset ranges', async () => {
    expect(await q({ provenance: 'line', min: 2, max: 3 })).toEqual([2, 3]);
    // The reject took ordinal 4: records after it have ordinals 5..8.
    expect(await q({ provenance: 'ordinal', min: 5 })).toEqual([5, 6, 7, 8]);
    expect(await q({ provenance: 'offset', max: 0 })).toEqual([1]);
  });

  it('records next to a rejected one', async () => {
    expect(await q({ provenance: 'nearReject' })).toEqual([4, 5]);
    expect(await q({ provenance: 'nearReject', within: 0 })).toEqual([]);
    expect(await q({ provenance: 'nearReject', within: 2 })).toEqual([3, 4, 5, 6]);
  });
});

describe('PII-kind leaves', () => {
  it('apply the operator to every column of the kind (profile table column_pii)', async () => {
    c.db.exec(
      'CREATE TABLE IF NOT EXISTS column_pii (dataset_id INTEGER NOT NULL, column_idx INTEGER NOT NULL, kind TEXT NOT NULL, confidence REAL NOT NULL, share REAL NOT NULL)',
    );
    const col = (name: string) =>
      (
        c.db
          .prepare('SELECT idx FROM dataset_columns WHERE dataset_id = ? AND name = ?')
          .get(ds, name) as { idx: number }
      ).idx;
    const put = c.db.prepare(
      'INSERT INTO column_pii (dataset_id, column_idx, kind, confidence, share) VALUES (?, ?, ?, ?, ?)',
    );
    put.run(ds, col('email'), 'email', 0.95, 0.9);
    put.run(ds, col('contact'), 'email', 0.6, 0.1);
    put.run(ds, col('note'), 'email', 0.3, 0.1);
    put.run(ds, col('email'), 'username', 0.2, 0.1);
    expect(await q({ kind: 'email', op: 'endsWith', value: '@francetravail.fr' })).toEqual([2, 5]);
    expect(
      await q({ kind: 'email', op: 'endsWith', value: '@francetravail.fr', minConfidence: 0.7 }),
    ).toEqual([2]);
    expect(await q({ not: { kind: 'email', op: 'contains', value: 'orange' } })).toEqual([
      2, 3, 4, 5, 6, 8,
    ]);
    const r = await allRows(c.db, { dataset: 'people', filter: { kind: 'phone', op: 'notEmpty' } });
    expect(r).toEqual([]);
  });
});

describe('the generated dataset against a JS oracle', () => {
  let g: WritableCase;
  let rows: { id: number; values: Record<string, string | null> }[];
  beforeAll(async () => {
    g = testCase(dir);
    await importGenerated(g.db, dir, 'gen', 600, 11);
    rows = await allRows(g.db, { dataset: 'gen', limit: 1000 });
    expect(rows.length).toBe(600);
  });
  afterAll(() => g?.close());

  const v = (r: { values: Record<string, string | null> }, k: string) => r.values[k] ?? '';
  const checks: [string, FilterNode, (r: { values: Record<string, string | null> }) => boolean][] =
    [
      [
        'contains on names',
        { column: 'prenom', op: 'contains', value: 'é' },
        (r) => fold(v(r, 'prenom')).includes('e'),
      ],
      [
        'equals on cities',
        { column: 'ville', op: 'equals', value: 'Paris', caseSensitive: false },
        (r) => v(r, 'ville').toLowerCase() === 'paris',
      ],
      [
        'startsWith on postcodes',
        { column: 'code_postal', op: 'startsWith', value: '75' },
        (r) => v(r, 'code_postal').startsWith('75'),
      ],
      [
        'endsWith on emails',
        { column: 'email', op: 'endsWith', value: '@GMAIL.com' },
        (r) => v(r, 'email').toLowerCase().endsWith('@gmail.com'),
      ],
      [
        'regex on phones',
        { column: 'telephone', op: 'regex', value: '^0[67]' },
        (r) => /^0[67]/.test(v(r, 'telephone')),
      ],
      [
        'notEmpty on siret',
        { column: 'siret', op: 'notEmpty' },
        (r) => v(r, 'siret').trim() !== '',
      ],
      [
        'or of equals',
        {
          or: [
            { column: 'sexe', op: 'equals', value: 'F' },
            { column: 'ville', op: 'in', value: ['LYON', 'NICE'] },
          ],
        },
        (r) => v(r, 'sexe') === 'F' || ['LYON', 'NICE'].includes(v(r, 'ville')),
      ],
      [
        'not and length',
        { not: { column: 'nir', op: 'length', value: { min: 1, max: 13 } } },
        (r) => {
          const n = [...(r.values.nir ?? '')].length;
          return r.values.nir === null || n < 1 || n > 13;
        },
      ],
    ];
  for (const [name, filter, predicate] of checks) {
    it(name, async () => {
      const expected = rows.filter(predicate).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(600);
      expect(await ids(g.db, { dataset: 'gen', filter })).toEqual(expected);
    });
  }
});
