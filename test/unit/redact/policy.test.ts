/**
 * The policy document (src/shared/redaction.ts) and its application to a dataset's columns
 * (src/main/engine/redact/apply.ts): schema defaults and refusals, built-in policies, plain
 * language, rule resolution (column override > kind > default), dropped columns, warnings, what
 * verification is told to check, and the row transformer.
 */
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_POLICIES,
  describePolicy,
  describeRule,
  MASK,
  RedactionPolicy,
  restorePolicy,
} from '../../../src/shared/redaction';
import { planRedaction, rowTransformer } from '../../../src/main/engine/redact/apply';
import { RedactionKeys } from '../../../src/main/engine/redact/keys';
import type { ColumnKind } from '../../../src/main/engine/redact/kinds';
import { pseudonymOf } from '../../../src/main/engine/redact/rules';

const keys = new RedactionKeys(Buffer.alloc(32, 3));
const NOW = new Date('2025-01-01T00:00:00Z');

function col(idx: number, name: string, kind: ColumnKind['kind'], path = name): ColumnKind {
  return { idx, name, path, kind, confidence: 0.9, source: 'profile' };
}
const COLUMNS: ColumnKind[] = [
  col(1, 'nom', 'last_name'),
  col(2, 'email', 'email', 'contact.email'),
  col(3, 'nir', 'nir'),
  col(4, 'notes', 'free_text'),
  col(5, 'ville', 'city'),
  col(6, 'mdp', 'password'),
  col(7, 'email', 'email'),
];

describe('policy schema', () => {
  it('fills defaults and keeps the version', () => {
    const p = RedactionPolicy.parse({ version: 1, name: 'mine' });
    expect(p).toMatchObject({
      format: 'leakscope.redaction-policy',
      output: 'records',
      kinds: {},
      columns: [],
      defaultRule: { op: 'keep' },
      mustRedact: [],
      aggregates: { minCount: 10, maxCategories: 50 },
    });
    expect(
      RedactionPolicy.parse({ version: 1, name: 'm', kinds: { email: { op: 'mask' } } }).kinds
        .email,
    ).toEqual({
      op: 'mask',
      keepFirst: 0,
      keepLast: 0,
    });
  });
  it('refuses a generalisation a kind does not have, two overrides of one column, a newer version', () => {
    expect(() =>
      restorePolicy({ version: 1, name: 'x', kinds: { city: { op: 'generalise' } } }),
    ).toThrow(/city has no generalised form/);
    expect(() =>
      restorePolicy({
        version: 1,
        name: 'x',
        columns: [
          { column: 'a', rule: { op: 'keep' } },
          { column: 'a', rule: { op: 'drop' } },
        ],
      }),
    ).toThrow(/two overrides/);
    expect(() => restorePolicy({ version: 2, name: 'x' })).toThrow(/newer Leakscope/);
    expect(() => restorePolicy({ version: 1, name: '' })).toThrow(/must not be empty/);
    expect(() => restorePolicy({ version: 1, name: 'x', columns: [{ column: 'a' }] })).toThrow(
      /give a rule, a kind or both/,
    );
  });
  it('ships three built-in policies that validate', () => {
    expect(Object.keys(BUILTIN_POLICIES).sort()).toEqual([
      'internal',
      'publish-statistics',
      'share-with-authority',
    ]);
    for (const p of Object.values(BUILTIN_POLICIES))
      expect(restorePolicy(JSON.parse(JSON.stringify(p)))).toEqual(p);
    const share = BUILTIN_POLICIES['share-with-authority']!;
    expect(share.kinds.nir).toEqual({ op: 'pseudonym', hex: 12 });
    expect(share.kinds.email).toEqual({ op: 'partial', dateOfBirth: 'year' });
    expect(share.mustRedact).toContain('nir');
    expect(BUILTIN_POLICIES['publish-statistics']!.output).toBe('aggregates');
    expect(BUILTIN_POLICIES.internal!.defaultRule).toEqual({ op: 'keep' });
  });
  it('describes itself in plain language', () => {
    const text = describePolicy(BUILTIN_POLICIES['share-with-authority']!);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Policy "share-with-authority" (built-in).');
    expect(lines).toContain(
      '- email address: partly hidden: first character of the name and the domain kept (j•••@example.fr).',
    );
    expect(lines).toContain('- plaintext password: left out of the export.');
    expect(text).not.toMatch(/any other kind/);
    expect(
      describePolicy(
        restorePolicy({
          version: 1,
          name: 'd',
          kinds: { nir: { op: 'drop' } },
          defaultRule: { op: 'mask' },
        }),
      ),
    ).toBe(
      'Policy "d".\n- French social security number (NIR): left out of the export.\n- any other kind: masked entirely (•••).\nEvery export is re-read before it is kept and refused if any original value of a redacted column appears in it.',
    );
    expect(text).toMatch(/Never in clear: French social security number \(NIR\)/);
    expect(describePolicy(BUILTIN_POLICIES['publish-statistics']!)).toMatch(
      /Aggregates only: the export holds counts, never a record; categories with fewer than 10 records/,
    );
    expect(describeRule({ op: 'fpe' }, 'nir')).toMatch(/another valid NIR/);
    expect(describeRule({ op: 'mask', keepFirst: 2, keepLast: 0 }, 'phone')).toBe(
      'masked except the first 2 characters',
    );
    expect(describeRule({ op: 'partial', dateOfBirth: 'age_band' }, 'date_of_birth')).toMatch(
      /age band/,
    );
  });
});

describe('planRedaction', () => {
  const policy = restorePolicy({
    version: 1,
    name: 'p',
    kinds: { email: { op: 'partial' }, nir: { op: 'pseudonym' }, password: { op: 'drop' } },
    columns: [
      { column: 'notes', rule: { op: 'keep' } },
      { column: 'ville', kind: 'free_text' },
      { column: 'missing', rule: { op: 'drop' } },
    ],
    defaultRule: { op: 'mask' },
    mustRedact: ['nir', 'email', 'free_text'],
  });
  const plan = planRedaction(policy, COLUMNS);

  it('takes the column override, else the kind rule, else the default', () => {
    expect(plan.columns.map((c) => [c.name, c.rule.op, c.ruleSource])).toEqual([
      ['nom', 'mask', 'default'],
      ['email', 'partial', 'kind'],
      ['nir', 'pseudonym', 'kind'],
      ['notes', 'keep', 'column'],
      ['ville', 'mask', 'default'],
      ['mdp', 'drop', 'kind'],
      ['email', 'partial', 'kind'],
    ]);
    expect(plan.columns[4]).toMatchObject({ kind: 'free_text', kindFromPolicy: true });
  });
  it('drops columns from the output and keeps output names distinct', () => {
    expect(plan.outputColumns.map((c) => c.output)).toEqual([
      'nom',
      'email',
      'nir',
      'notes',
      'ville',
      'email (2)',
    ]);
  });
  it('tells verification what to check', () => {
    expect(plan.columns.filter((c) => c.scanRaw).map((c) => c.name)).toEqual([
      'nom',
      'email',
      'nir',
      'notes',
      'ville',
      'mdp',
      'email',
    ]);
    expect(plan.columns.find((c) => c.name === 'notes')).toMatchObject({
      mustRedact: true,
      scanRaw: true,
    });
    expect([...plan.tokenKinds].sort()).toEqual(['email', 'nir']);
    expect(plan.needsKeys).toBe(true);
    expect(plan.warnings).toEqual([
      'the policy names column "missing", which this dataset does not have',
    ]);
  });
  it('matches overrides by dotted path, masks an impossible generalisation, honours visible columns', () => {
    const p = restorePolicy({
      version: 1,
      name: 'q',
      columns: [{ column: 'contact.email', rule: { op: 'generalise' } }],
    });
    const pl = planRedaction(p, COLUMNS);
    expect(pl.columns[1]!.rule).toEqual({ op: 'mask', keepFirst: 0, keepLast: 0 });
    expect(pl.warnings[0]).toMatch(/"email" \(email address\) has no generalised form/);
    const vis = planRedaction(BUILTIN_POLICIES.internal!, COLUMNS, new Set(['nom', 'nir']));
    expect(vis.outputColumns.map((c) => c.name)).toEqual(['nom', 'nir']);
    expect(vis.columns[1]!.description).toBe('left out (not shown in the saved session)');
  });
});

describe('rowTransformer', () => {
  it('redacts positional values into the output columns; null stays null', () => {
    const policy = restorePolicy({
      version: 1,
      name: 't',
      kinds: {
        email: { op: 'partial' },
        nir: { op: 'pseudonym', hex: 8 },
        password: { op: 'drop' },
      },
      defaultRule: { op: 'keep' },
    });
    const plan = planRedaction(policy, COLUMNS);
    const t = rowTransformer(plan, keys, NOW);
    const out = t(['Dupont', 'jean@x.fr', '1850575056123', 'note', 'Paris', 'secret', null]);
    expect(out).toEqual([
      'Dupont',
      `j${MASK}${MASK}${MASK}@x.fr`,
      pseudonymOf(keys, 'nir', '1850575056123', 8),
      'note',
      'Paris',
      null,
    ]);
    expect(() => rowTransformer(plan, null, NOW)).toThrow(/needs the case keys/);
  });
});
