/**
 * Export verification (src/main/engine/export/verify.ts) on hand-made plans and records: what is
 * a leak (an original value of a redacted column anywhere it should not be, a NIR / e-mail /
 * phone in a kept column when the policy forbids it) and what is not (a first name equal to a
 * city, a format-preserving NIR equal to someone else's, a value equal to its own partial form,
 * Bloom filter false positives).
 */
import { describe, expect, it } from 'vitest';
import { restorePolicy } from '../../../src/shared/redaction';
import {
  hashForm,
  outputTokens,
  qualifies,
  rawForms,
  RawIndex,
  VerificationFailed,
  Verifier,
  type SourceRow,
} from '../../../src/main/engine/export/verify';
import {
  planRedaction,
  rowTransformer,
  type RedactionPlan,
} from '../../../src/main/engine/redact/apply';
import { RedactionKeys } from '../../../src/main/engine/redact/keys';
import type { ColumnKind } from '../../../src/main/engine/redact/kinds';
import { buildNir } from '../../../src/main/engine/profile/validators';

const NOW = new Date('2025-01-01T00:00:00Z');
const keys = new RedactionKeys(Buffer.alloc(32, 9));
const kinds: ColumnKind[] = [
  { idx: 1, name: 'prenom', path: 'prenom', kind: 'first_name', confidence: 1, source: 'profile' },
  { idx: 2, name: 'email', path: 'email', kind: 'email', confidence: 1, source: 'profile' },
  { idx: 3, name: 'nir', path: 'nir', kind: 'nir', confidence: 1, source: 'profile' },
  { idx: 4, name: 'ville', path: 'ville', kind: 'city', confidence: 1, source: 'profile' },
  { idx: 5, name: 'notes', path: 'notes', kind: 'free_text', confidence: 1, source: 'profile' },
  {
    idx: 6,
    name: 'adresse',
    path: 'adresse',
    kind: 'street_address',
    confidence: 1,
    source: 'profile',
  },
];
const NIRS = [1, 2, 3].map((o) =>
  buildNir({ sexDigit: '1', year: 80, month: 1, place: '75056', order: o }),
);
const ROWS: SourceRow[] = [
  {
    ordinal: 0,
    values: ['Nancy', 'nancy.martin@orange.fr', NIRS[0]!, 'Lyon', 'ok', '75002 Paris'],
  },
  {
    ordinal: 1,
    values: ['Denis', 'denis@free.fr', NIRS[1]!, 'Nancy', 'rien', '3 rue X, 69001 Lyon'],
  },
  { ordinal: 2, values: ['Paul', 'paul@free.fr', NIRS[2]!, 'Paris', 'vu', 'BP 4'] },
];

function plan(extra: object = {}): RedactionPlan {
  return planRedaction(
    restorePolicy({
      version: 1,
      name: 'v',
      kinds: {
        first_name: { op: 'pseudonym' },
        email: { op: 'partial' },
        nir: { op: 'fpe' },
        city: { op: 'keep' },
        free_text: { op: 'keep' },
        street_address: { op: 'partial' },
      },
      mustRedact: ['nir', 'email', 'phone'],
      ...extra,
    }),
    kinds,
  );
}

/** Writes (indexes) and re-reads the rows, with `tamper` applied to the output. */
function verify(
  p: RedactionPlan,
  tamper: (out: (string | null)[][]) => void = () => {},
  narrative: string[] = [],
): { records: number } {
  const index = new RawIndex(100);
  const v = new Verifier(p, index, NOW);
  const t = rowTransformer(p, keys, NOW);
  const outs = ROWS.map((r) => t(r.values));
  ROWS.forEach((r) => v.indexRow(r.values));
  tamper(outs);
  outs.forEach((o, i) =>
    v.record(
      o.map((text, k) => ({ text, column: p.outputColumns[k]! })),
      ROWS[i]!,
      `line ${i + 2}`,
    ),
  );
  for (const n of narrative) v.text(n, 'the report text');
  if (v.needsConfirmation) ROWS.forEach((r) => v.confirm(r));
  return v.finish();
}

function reasons(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof VerificationFailed) return e.findings.map((f) => f.reason);
    throw e;
  }
  return [];
}

describe('forms and tokens', () => {
  it('skips what is too short to identify anyone', () => {
    expect(qualifies('abc')).toBe(false);
    expect(qualifies('75011')).toBe(false);
    expect(qualifies('750110')).toBe(true);
    expect(qualifies('Jean')).toBe(true);
    expect(rawForms(' 06 12 34 56 78 ')).toEqual(['06 12 34 56 78', '0612345678']);
  });
  it('tokenises cells into words, word runs and digit runs', () => {
    const t = outputTokens('Appeler Jean Dupont au 06.12.34.56.78, merci.');
    expect(t).toContain('jean dupont');
    expect(t).toContain('0612345678');
    expect(t).toContain('merci');
  });
  it('never forgets what it indexed (Bloom filter: no false negatives)', () => {
    const idx = new RawIndex(10_000);
    const forms = Array.from({ length: 10_000 }, (_, i) => `value-${i}@x.fr`);
    for (const f of forms) idx.add(hashForm(f), 3);
    expect(forms.every((f) => idx.has(hashForm(f), 3))).toBe(true);
    const fp = forms.filter((f) => idx.has(hashForm(`${f}!`), 3)).length;
    expect(fp).toBeLessThan(20);
  });
});

describe('Verifier', () => {
  it('passes a correct redaction, with a first name equal to a city and an address equal to its partial form', () => {
    expect(verify(plan())).toMatchObject({ records: 3 });
  });
  it('refuses an original value left in its own column', () => {
    const r = reasons(() => verify(plan({ mustRedact: [] }), (o) => (o[1]![1] = 'denis@free.fr')));
    expect(r).toEqual([
      'an original value of column "email" (email address) appears in column "email" (record 1, line 3)',
    ]);
    // With e-mails forbidden outright, the value is also reported as a forbidden kind.
    expect(reasons(() => verify(plan(), (o) => (o[1]![1] = 'denis@free.fr')))).toHaveLength(2);
  });
  it('refuses an original value of another record, in another column (confirmed exactly)', () => {
    const r = reasons(() =>
      verify(plan({ mustRedact: [] }), (o) => (o[0]![4] = 'voir aussi paul@free.fr')),
    );
    expect(r).toContain(
      'an original value of column "email" (email address) (record 2) appears in column "notes", line 2',
    );
  });
  it('refuses forbidden kinds in kept free text, and in the narrative', () => {
    const r = reasons(() => verify(plan(), (o) => (o[2]![4] = `NIR ${NIRS[0]}`)));
    expect(
      r.some((x) =>
        /validates as French social security number \(NIR\) appears in column "notes" \(record 2/.test(
          x,
        ),
      ),
    ).toBe(true);
    const n = reasons(() => verify(plan(), undefined, ['contact: jean@exemple.fr']));
    expect(n).toEqual([
      'a value that validates as email address appears in the report text, which the policy says must never appear in clear',
    ]);
    const known = reasons(() =>
      verify(plan({ mustRedact: [] }), undefined, ['filter: email is "denis@free.fr"']),
    );
    expect(known).toEqual([
      'an original value of column "email" (email address) (record 1) appears in the report text',
    ]);
  });
  it('refuses a kept column of a must-redact kind', () => {
    const p = plan({ columns: [{ column: 'email', rule: { op: 'keep' } }] });
    const r = reasons(() => verify(p));
    expect(r[0]).toMatch(
      /^column "email" \(email address\) is kept although the policy says this kind of data must never appear in clear \(record 0, line 2\)$/,
    );
  });
  it('lets a format-preserving NIR equal someone else’s NIR, but not its own', () => {
    expect(verify(plan(), (o) => (o[0]![2] = NIRS[1]!))).toMatchObject({ records: 3 });
    const r = reasons(() => verify(plan(), (o) => (o[0]![2] = NIRS[0]!)));
    expect(r[0]).toMatch(/original value of column "nir" .* appears in column "nir" \(record 0/);
  });
  it('settles candidates in interim source passes instead of refusing when they fill up', () => {
    // A Bloom filter that answers "maybe" to everything: every output token is a candidate.
    class SaturatedIndex extends RawIndex {
      override has(): boolean {
        return true;
      }
    }
    const p = plan({ mustRedact: [] });
    const t = rowTransformer(p, keys, NOW);
    const run = (tamper: (out: (string | null)[][]) => void, withSource: boolean) => {
      const v = new Verifier(
        p,
        new SaturatedIndex(100),
        NOW,
        withSource ? () => ROWS : undefined,
        2,
      );
      const outs = ROWS.map((r) => t(r.values));
      ROWS.forEach((r, i) => v.indexRow(r.values, outs[i]));
      tamper(outs);
      outs.forEach((o, i) =>
        v.record(
          o.map((text, k) => ({ text, column: p.outputColumns[k]! })),
          ROWS[i]!,
          `line ${i + 2}`,
        ),
      );
      if (v.needsConfirmation) ROWS.forEach((r) => v.confirm(r));
      return { v, result: () => v.finish() };
    };
    // Clean output: many false candidates, settled in several rounds, and the export passes.
    const clean = run(() => {}, true);
    expect(clean.result()).toMatchObject({ records: 3 });
    expect(clean.v.interimConfirmations).toBeGreaterThan(1);
    // A leak among them is still found, whichever round settles it.
    const leaky = run((o) => (o[0]![4] = 'voir paul@free.fr et denis@free.fr'), true);
    const r = reasons(leaky.result);
    expect(r).toContain(
      'an original value of column "email" (email address) (record 2) appears in column "notes", line 2',
    );
    expect(r).toContain(
      'an original value of column "email" (email address) (record 1) appears in column "notes", line 2',
    );
    // Without a source to re-read, reaching the bound refuses the export as unverifiable.
    expect(reasons(() => run(() => {}, false).result())).toContain(
      'verification could not complete: too many candidate matches to confirm',
    );
  });
  it('does not stop on Bloom false positives', () => {
    const noise = Array.from({ length: 2000 }, (_, i) => `token${i} autre${i * 7} mot${i}@a.b`);
    expect(verify(plan({ mustRedact: [] }), undefined, noise)).toMatchObject({ records: 3 });
  });
  it('reads a source record only when one of its tokens hits, and stops after five findings', () => {
    const p = plan({ mustRedact: [] });
    const v = new Verifier(p, new RawIndex(100), NOW);
    const t = rowTransformer(p, keys, NOW);
    ROWS.forEach((r) => v.indexRow(r.values, t(r.values)));
    const fetched: number[] = [];
    const lazy = (i: number) => () => {
      fetched.push(i);
      return ROWS[i]!;
    };
    // Clean rows, as re-read from a file (provenance first): no source read at all.
    ROWS.forEach((r, i) => v.recordRow([r.ordinal, null, ...t(r.values)], 2, lazy(i), 'x'));
    expect(fetched).toEqual([]);
    // A leak: the record is fetched once, however many of its cells hit.
    const leaky = [1, null, ...t(ROWS[1]!.values)];
    leaky[3] = 'denis@free.fr';
    leaky[6] = 'denis@free.fr';
    const r = reasons(() => v.recordRow(leaky, 2, lazy(1), () => 'line 3'));
    expect(r).toEqual([]);
    expect(fetched).toEqual([1]);
    expect(() => v.finish()).toThrow(VerificationFailed);
    // A flood of leaks is refused at the fifth finding, without reading further.
    const w = new Verifier(p, new RawIndex(100), NOW);
    ROWS.forEach((x) => w.indexRow(x.values));
    let n = 0;
    const flood = () => {
      for (; n < 100; n++) w.recordRow([1, null, null, 'denis@free.fr'], 2, ROWS[1]!, 'x');
    };
    expect(reasons(flood)).toHaveLength(5);
    expect(n).toBe(4);
  });
});
