/**
 * Whole-profile behaviour without a case file: the accumulator fed with generated records
 * (known kinds), the NIR cross-field consistency share on genuine records (100 %) and on a file
 * whose sex and birth-date columns were shuffled (low), the inventory and the sensitivity.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, generateRows, headerOf, makeStyle, Rng } from '../../fixtures/gen';
import { ProfileAccumulator } from '../../../src/main/engine/profile/profiler';
import { sexOf } from '../../../src/main/engine/profile/consistency';

function profileOf(rows: (string | null)[][], names: readonly string[]) {
  const acc = new ProfileAccumulator(
    names.map((name, i) => ({ idx: i + 1, name, path: name })),
    2000,
  );
  for (const r of rows) acc.row(r);
  return acc.finish(
    { id: 1, name: 'gen' },
    { now: new Date('2025-06-01T00:00:00Z'), started: performance.now() },
  );
}

const N = 3000;
const fields = DEFAULT_FIELDS;
const names = fields.map((f) => headerOf(f, 'fr'));
const style = makeStyle(21, { nirFormat: 'spaced', dateFormat: 'fr' });
const rows = [...generateRows({ seed: 21, rows: N }, style)].map((r) => fields.map((f) => r[f]));

describe('NIR cross-field consistency', () => {
  it('is 100 % on genuine generated records, with the département above chance', () => {
    const p = profileOf(rows, names);
    const c = p.summary.consistency!;
    expect(c.nirColumn).toBe('nir');
    expect(c.verdict).toBe('consistent');
    expect(c.share).toBe(1);
    expect(c.records).toBeGreaterThan(1800);
    const sex = c.checks.find((k) => k.field === 'sex')!;
    expect(sex.share).toBe(1);
    const dept = c.checks.find((k) => k.field === 'department')!;
    expect(dept.share).toBeGreaterThan(3 * dept.chance!);
  });
  it('is low when the sex and date-of-birth columns are shuffled', () => {
    const rng = new Rng(99);
    const sexIdx = fields.indexOf('sex');
    const dobIdx = fields.indexOf('birth_date');
    const shuffled = rows.map((r) => [...r]);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const k = rng.int(i + 1);
      [shuffled[i]![sexIdx], shuffled[j]![sexIdx]] = [shuffled[j]![sexIdx]!, shuffled[i]![sexIdx]!];
      [shuffled[i]![dobIdx], shuffled[k]![dobIdx]] = [shuffled[k]![dobIdx]!, shuffled[i]![dobIdx]!];
    }
    const c = profileOf(shuffled, names).summary.consistency!;
    expect(c.verdict).toBe('inconsistent');
    expect(c.share).toBeLessThan(0.05);
    const sex = c.checks.find((k) => k.field === 'sex')!;
    expect(sex.share).toBeGreaterThan(0.4);
    expect(sex.share).toBeLessThan(0.6);
  });
  it('reads sex codes in French and English', () => {
    expect(['M', 'H', '1', 'Homme', 'M.', 'Mr', 'male'].map(sexOf)).toEqual(Array(7).fill('male'));
    expect(['F', '2', 'Femme', 'Mme', 'Mlle', 'Mrs', 'female'].map(sexOf)).toEqual(
      Array(7).fill('female'),
    );
    expect(sexOf('Dr')).toBeNull();
  });
});

describe('dataset summary', () => {
  const p = profileOf(rows, names);
  it('every generated column gets its kind', () => {
    const expected: Record<string, string> = {
      nom: 'last_name',
      prenom: 'first_name',
      sexe: 'sex',
      date_naissance: 'date_of_birth',
      nir: 'nir',
      identifiant_ft: 'france_travail_id',
      email: 'email',
      telephone: 'phone',
      adresse: 'street_address',
      code_postal: 'postal_code',
      ville: 'city',
      iban: 'iban',
      bic: 'bic',
      siret: 'siret',
      rpps: 'rpps',
      mdp_hash: 'password_hash',
    };
    expect(Object.fromEntries(p.columns.map((c) => [c.name, c.kind]))).toEqual(expected);
  });
  it('inventory counts records per kind, exactly', () => {
    const nir = p.summary.inventory.find((i) => i.kind === 'nir')!;
    expect(nir.records).toBe(rows.filter((r) => r[fields.indexOf('nir')]).length);
    expect(p.summary.inventory.find((i) => i.kind === 'last_name')!.records).toBe(N);
  });
  it('flags social security, health, credentials and financial data: critical', () => {
    const cats = p.summary.sensitivity.specialCategories.map((s) => s.category).sort();
    expect(cats).toEqual(['credentials', 'financial', 'health', 'social_security']);
    expect(p.summary.sensitivity.level).toBe('critical');
    expect(p.summary.sensitivity.highRiskKinds).toEqual(
      expect.arrayContaining(['nir', 'iban', 'password_hash', 'rpps']),
    );
  });
  it('column statistics: counts, exact distinct, shapes, date format', () => {
    const sexe = p.columns.find((c) => c.name === 'sexe')!;
    expect(sexe.nonEmpty + sexe.empty + sexe.nulls).toBe(N);
    expect(sexe.distinctExact).toBe(true);
    expect(sexe.top.reduce((s, t) => s + t.count, 0)).toBe(sexe.nonEmpty);
    const nir = p.columns.find((c) => c.name === 'nir')!;
    expect(nir.shapes[0]!.shape).toBe('9 99 99 99 999 999 99');
    const dob = p.columns.find((c) => c.name === 'date_naissance')!;
    expect([dob.type, dob.dateFormat]).toEqual(['date', 'DD/MM/YYYY']);
  });
});
