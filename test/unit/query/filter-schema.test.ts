/**
 * The shared filter AST (src/shared/filter.ts): the DESIGN core form is accepted, mistakes get a
 * precise path and message, limits hold, and every operator reads well in plain language (the
 * text UI chips, audit entries and export manifests show).
 */
import { describe, expect, it } from 'vitest';
import { RowsQueryInput } from '../../../src/shared/api';
import {
  COLUMN_OP_NAMES,
  DESCRIBE_OPS,
  describeFilter,
  describeQuery,
  FILTER_LIMITS,
  filterChips,
  filterIssues,
  parseFilterJson,
  type FilterNode,
} from '../../../src/shared/filter';
import { OPERATOR_SQL } from '../../../src/main/engine/query/operators';

describe('the filter schema', () => {
  it('accepts the DESIGN core form and the extensions', () => {
    const ok: FilterNode[] = [
      { column: 'email', op: 'contains', value: 'a' },
      {
        and: [{ column: 'a.b', op: 'equals', value: 'x' }, { or: [{ column: 'c', op: 'empty' }] }],
      },
      { not: { column: 'c', op: 'notEmpty' } },
      { column: 'n', op: 'in', value: ['1', 2] },
      { column: 'd', op: 'range', type: 'date', value: { min: '1990' } },
      { column: 'l', op: 'length', value: { max: 3 } },
      { kind: 'email', op: 'endsWith', value: '@francetravail.fr' },
      { kind: 'nir', op: 'notEmpty', minConfidence: 0.8 },
      { linkage: 'seenIn', dataset: 'kairos' },
      { linkage: 'duplicate', keyKind: 'email' },
      { linkage: 'matched', minScore: 0.9 },
      { linkage: 'clusterSize', min: 3 },
      { provenance: 'line', min: 10, max: 20 },
      { provenance: 'nearReject' },
    ];
    for (const f of ok) expect(filterIssues(f), JSON.stringify(f)).toEqual([]);
  });

  it('says precisely what is wrong, and where', () => {
    expect(filterIssues({ column: 'x', op: 'equals', value: { a: 1 } })[0]!.path).toEqual([
      'value',
    ]);
    expect(filterIssues({ column: 'x', op: 'startsWith' })[0]).toMatchObject({ path: ['value'] });
    expect(filterIssues({ column: 'x', op: 'like', value: 'a' })[0]!.message).toMatch(/equals/);
    expect(
      filterIssues({
        and: [
          { column: 'x', op: 'empty' },
          { column: 'y', op: 'contains', value: '' },
        ],
      }),
    ).toEqual([{ path: ['and', 1, 'value'], message: expect.stringMatching(/empty/) }]);
    expect(filterIssues({ and: [] })[0]!.message).toMatch(/non-empty list/);
    expect(filterIssues({})[0]!.message).toMatch(/a filter node is/);
    expect(filterIssues({ column: 'x', and: [] })[0]!.message).toMatch(
      /cannot combine "and" and "column"/,
    );
    expect(filterIssues({ column: 'x', op: 'empty', value: 1 })[0]!.message).toMatch(/value/i);
    expect(
      filterIssues({ column: 'x', op: 'range', type: 'number', value: {} })[0]!.message,
    ).toMatch(/min, max/);
    expect(filterIssues({ kind: 'shoe_size', op: 'empty' })[0]!.path).toEqual(['kind']);
    expect(filterIssues({ linkage: 'matched' })[0]!.path).toEqual(['minScore']);
    expect(filterIssues('email')[0]!.message).toBe('expected a filter object');
  });

  it('bounds depth, size and list lengths', () => {
    let deep: FilterNode = { column: 'x', op: 'empty' };
    for (let i = 0; i < FILTER_LIMITS.depth + 2; i++) deep = { not: deep };
    expect(filterIssues(deep).map((i) => i.message)).toContain(
      `filters nest at most ${FILTER_LIMITS.depth} levels deep`,
    );
    const wide = {
      or: Array.from({ length: FILTER_LIMITS.nodes + 5 }, () => ({ column: 'x', op: 'empty' })),
    };
    expect(filterIssues(wide)[0]!.message).toMatch(/at most 400 nodes/);
    const many = {
      column: 'x',
      op: 'in',
      value: Array.from({ length: FILTER_LIMITS.inValues + 1 }, String),
    };
    expect(filterIssues(many)).toHaveLength(1);
  });

  it('is what rows.query validates, with readable messages', () => {
    const r = RowsQueryInput.safeParse({
      dataset: 'd',
      filter: { or: [{ column: 'x', op: 'regex' }] },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['filter', 'or', 0, 'value'] });
    const json = parseFilterJson('{"column": "x", "op": "in", "value": []}');
    expect(json).toEqual({ ok: false, message: expect.stringMatching(/^filter\.value: /) });
    expect(parseFilterJson('{nope')).toMatchObject({ ok: false, message: /not valid JSON/ });
    expect(parseFilterJson('{"column":"x","op":"empty"}')).toEqual({
      ok: true,
      filter: { column: 'x', op: 'empty' },
    });
  });
});

describe('descriptions', () => {
  it('exist for every operator, with SQL for every operator', () => {
    expect(Object.keys(DESCRIBE_OPS).sort()).toEqual([...COLUMN_OP_NAMES].sort());
    expect(Object.keys(OPERATOR_SQL).sort()).toEqual([...COLUMN_OP_NAMES].sort());
  });

  const cases: [FilterNode, string][] = [
    [{ column: 'nom', op: 'equals', value: 'PICARD' }, 'nom is "PICARD"'],
    [
      { column: 'nom', op: 'equals', value: 'picard', caseSensitive: false },
      'nom is "picard" (ignoring case and accents)',
    ],
    [{ column: 'nom', op: 'notEquals', value: 3 }, 'nom is not 3'],
    [{ column: 'prenom', op: 'contains', value: 'hél' }, 'prenom contains "hél"'],
    [
      { column: 'prenom', op: 'contains', value: 'Hél', caseSensitive: true },
      'prenom contains "Hél" (exact case and accents)',
    ],
    [{ column: 'email', op: 'startsWith', value: 'jean' }, 'email starts with "jean"'],
    [{ column: 'email', op: 'endsWith', value: '@orange.fr' }, 'email ends with "@orange.fr"'],
    [{ column: 'nom', op: 'regex', value: '^DU' }, 'nom matches the pattern /^DU/'],
    [
      { column: 'nom', op: 'regex', value: '^du', caseSensitive: false },
      'nom matches the pattern /^du/ (ignoring case and accents)',
    ],
    [
      { column: 'ville', op: 'in', value: ['A', 'B', 'C', 'D', 'E', 'F', 'G'] },
      'ville is one of "A", "B", "C", "D", "E" and 2 more',
    ],
    [
      { column: 'm', op: 'range', type: 'number', value: { min: 1, max: 9 } },
      'm is a number between 1 and 9',
    ],
    [
      { column: 'd', op: 'range', type: 'date', value: { min: '1990' } },
      'd is a date at least 1990',
    ],
    [
      { column: 'cp', op: 'range', type: 'text', value: { max: '75999' } },
      'cp is at most "75999" (text order)',
    ],
    [{ column: 'note', op: 'empty' }, 'note is empty'],
    [{ column: 'note', op: 'notEmpty' }, 'note is not empty'],
    [{ column: 'nir', op: 'length', value: { min: 13, max: 15 } }, 'nir has 13 to 15 characters'],
    [{ column: 'nir', op: 'length', value: { min: 15, max: 15 } }, 'nir has 15 characters'],
    [{ column: 'nir', op: 'length', value: { min: 15 } }, 'nir has at least 15 characters'],
    [
      { kind: 'email', op: 'endsWith', value: '@francetravail.fr' },
      'any email address column ends with "@francetravail.fr"',
    ],
    [
      { kind: 'nir', op: 'notEmpty', minConfidence: 0.9 },
      'any French social security number (NIR) column (confidence ≥ 0.9) is not empty',
    ],
    [{ linkage: 'seenIn', dataset: 'kairos' }, 'also seen in dataset "kairos"'],
    [{ linkage: 'duplicate' }, 'in a duplicate group'],
    [
      { linkage: 'matched', minScore: 0.9, dataset: 'x' },
      'matched with score ≥ 0.9 in dataset "x"',
    ],
    [{ linkage: 'clusterSize', min: 3 }, 'in a cluster of at least 3 records'],
    [{ provenance: 'line', min: 10, max: 20 }, 'source line between 10 and 20'],
    [{ provenance: 'ordinal', max: 5 }, 'record number at most 5'],
    [{ provenance: 'nearReject' }, 'within 1 record of a rejected record'],
    [
      {
        and: [
          { column: 'a', op: 'empty' },
          { or: [{ column: 'b', op: 'empty' }, { not: { column: 'c', op: 'empty' } }] },
        ],
      },
      'a is empty AND (b is empty OR NOT (c is empty))',
    ],
  ];
  for (const [f, text] of cases) it(text, () => expect(describeFilter(f)).toBe(text));

  it('cuts long values, shows names for paths, and makes chips', () => {
    expect(describeFilter({ column: 'x', op: 'contains', value: 'a'.repeat(80) })).toBe(
      `x contains "${'a'.repeat(60)}…"`,
    );
    expect(
      describeFilter({ column: 'adr.rue', op: 'empty' }, [{ name: 'rue', path: 'adr.rue' }]),
    ).toBe('rue is empty');
    expect(describeFilter(undefined)).toBe('all records');
    expect(
      filterChips({
        and: [
          { column: 'a', op: 'empty' },
          {
            or: [
              { column: 'b', op: 'empty' },
              { column: 'c', op: 'empty' },
            ],
          },
        ],
      }),
    ).toEqual(['a is empty', 'b is empty OR c is empty']);
    expect(describeQuery({ column: 'a', op: 'empty' }, 'jean "rue x"')).toBe(
      'a is empty AND containing "jean" and "rue x" (any column, ignoring case and accents)',
    );
    expect(describeQuery(undefined, '  ')).toBe('all records');
  });
});
