/**
 * `derive`: the later leak holds exactly the requested share of the earlier people, duplicates
 * point at rows holding the same person, variations are what the ground truth says, and the
 * files written by deriveFile agree with the truth CSV.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deriveFile,
  derivePlan,
  deriveRecords,
  generateRows,
  IndexPermutation,
  makePerson,
  stripAccents,
  TRUTH_HEADER,
  type DeriveOptions,
  type DerivedRecord,
} from '../../fixtures/gen';
import { tempDir } from './util';

const tmp = tempDir('derive');
afterAll(() => tmp.cleanup());

const OPTIONS: DeriveOptions = {
  seed: 42,
  fromRows: 4000,
  rows: 5000,
  overlap: 0.3,
  duplicates: 0.02,
};
const records: DerivedRecord[] = [...deriveRecords(OPTIONS)];

describe('IndexPermutation', () => {
  it.each([1, 2, 3, 17, 1000, 4099])('is a bijection of [0, %i) with an inverse', (n) => {
    const p = new IndexPermutation(n, 12345);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const x = p.apply(i);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(n);
      expect(p.invert(x)).toBe(i);
      seen.add(x);
    }
    expect(seen.size).toBe(n);
  });
});

describe('deriveRecords', () => {
  const plan = derivePlan(OPTIONS);

  it('plans the requested overlap exactly', () => {
    expect(plan).toMatchObject({
      rows: 5000,
      fromRows: 4000,
      overlapRows: 1200,
      duplicateRows: 100,
      newPeople: 3700,
    });
    expect(plan.overlapShareOfEarlier).toBeCloseTo(0.3, 10);
    expect(records).toHaveLength(5000);
    records.forEach((r, j) => expect(r.truth.newRowIndex).toBe(j));
  });

  it('re-uses K distinct earlier people, plus duplicates and new people', () => {
    const originals = records.filter((r) => r.truth.duplicateOf === null);
    const dups = records.filter((r) => r.truth.duplicateOf !== null);
    expect(dups).toHaveLength(100);
    const earlier = originals
      .filter((r) => r.truth.earlierRowIndex !== null)
      .map((r) => r.truth.earlierRowIndex as number);
    expect(earlier).toHaveLength(1200);
    expect(new Set(earlier).size).toBe(1200);
    for (const e of earlier) expect(e).toBeLessThan(4000);
    const fresh = originals.filter((r) => r.truth.earlierRowIndex === null);
    expect(fresh).toHaveLength(3700);
    expect(new Set(fresh.map((r) => r.truth.personKey)).size).toBe(3700);
    // Re-appearances are spread over the file, not bunched at the start.
    const firstHalf = originals
      .slice(0, 2500)
      .filter((r) => r.truth.earlierRowIndex !== null).length;
    expect(firstHalf).toBeGreaterThan(450);
    expect(firstHalf).toBeLessThan(750);
  });

  it('duplicates point at a row holding the same person', () => {
    for (const r of records.filter((x) => x.truth.duplicateOf !== null)) {
      const target = records[r.truth.duplicateOf as number];
      expect(target.truth.personKey).toBe(r.truth.personKey);
      expect(target.truth.duplicateOf).toBeNull();
      expect(r.truth.earlierRowIndex).toBe(target.truth.earlierRowIndex);
    }
  });

  it('re-appearing rows carry the earlier person (IBAN, NIR digits)', () => {
    for (const r of records) {
      const e = r.truth.earlierRowIndex;
      if (e === null) continue;
      const p = makePerson(42, e);
      expect(r.truth.personKey).toBe(`a:${e}`);
      if (r.row.iban !== null) expect(r.row.iban).toBe(p.iban);
      if (r.row.nir !== null) expect(p.nir.startsWith(r.row.nir.replace(/ /g, ''))).toBe(true);
      if (r.row.siret !== null) expect(r.row.siret).toBe(p.siret);
    }
  });

  it('applies realistic variations, as listed in the ground truth', () => {
    const counts = new Map<string, number>();
    let exact = 0;
    const overlap = records.filter(
      (r) => r.truth.earlierRowIndex !== null && r.truth.duplicateOf === null,
    );
    for (const r of overlap) {
      const applied = r.truth.variations.filter((v) => !v.startsWith('format:'));
      if (applied.length === 0) exact++;
      for (const v of applied) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(exact / overlap.length).toBeGreaterThan(0.2);
    expect(exact / overlap.length).toBeLessThan(0.4);
    for (const v of [
      'name_case',
      'no_accents',
      'swap_names',
      'typo_last_name',
      'phone_reformat',
      'email_changed',
      'street_abbrev',
    ]) {
      expect(counts.get(v) ?? 0, v).toBeGreaterThan(10);
    }
    // The later file has its own style: fields written differently are reported as format:*.
    expect(overlap.some((r) => r.truth.variations.some((v) => v.startsWith('format:')))).toBe(true);
  });

  it('with the earlier style, rows without variation equal the earlier rows exactly', () => {
    const same = [...deriveRecords({ ...OPTIONS, sameStyle: true })];
    const earlierRows = [...generateRows({ seed: 42, rows: 4000 })];
    let checked = 0;
    for (const r of same) {
      const e = r.truth.earlierRowIndex;
      if (e === null) continue;
      const variations = r.truth.variations;
      expect(variations.some((v) => v.startsWith('format:'))).toBe(false);
      if (variations.length === 0) {
        expect(r.row).toEqual(earlierRows[e]);
        checked++;
      } else if (variations.length === 1 && variations[0] === 'swap_names') {
        expect(r.row.first_name).toBe(earlierRows[e].last_name);
        expect(r.row.last_name).toBe(earlierRows[e].first_name);
      } else if (variations.length === 1 && variations[0] === 'no_accents') {
        expect(r.row.last_name).toBe(stripAccents(earlierRows[e].last_name ?? ''));
        expect(r.row).not.toEqual(earlierRows[e]);
      } else if (variations.length === 1 && variations[0] === 'phone_reformat') {
        const digits = (s: string | null) =>
          (s ?? '')
            .replace(/\D/g, '')
            .replace(/^(?:0033|33|262|590|594|596)/, '0')
            .replace(/^00/, '0');
        expect(r.row.phone).not.toBe(earlierRows[e].phone);
        expect(digits(r.row.phone).slice(-9)).toBe(digits(earlierRows[e].phone).slice(-9));
      } else if (variations.length === 1 && variations[0] === 'street_abbrev') {
        expect(r.row.address).not.toBe(earlierRows[e].address);
        expect((r.row.address ?? '').length).toBeLessThan((earlierRows[e].address ?? '').length);
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('is deterministic and differs by variant', () => {
    const again = [...deriveRecords(OPTIONS)];
    expect(again).toEqual(records);
    const other = [...deriveRecords({ ...OPTIONS, variant: 2 })];
    expect(other.map((r) => r.truth.personKey)).not.toEqual(records.map((r) => r.truth.personKey));
  });
});

describe('deriveFile', () => {
  it('writes the later leak and a ground truth that agrees with it', async () => {
    const out = tmp.path('later.csv');
    const truth = tmp.path('truth.csv');
    const result = await deriveFile({ ...OPTIONS, format: 'csv', delimiter: ';', out, truth });
    expect(result.rows).toBe(5000);
    expect(result.plan.overlapRows).toBe(1200);
    const rows = parse(readFileSync(out, 'utf8'), { delimiter: ';', columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(5000);
    const truthText = readFileSync(truth, 'utf8');
    expect(truthText.split('\n')[0]).toBe(TRUTH_HEADER);
    const t = parse(truthText, { columns: true }) as Record<string, string>[];
    expect(t).toHaveLength(5000);
    expect(t.filter((x) => x.earlier_row_index !== '' && x.duplicate_of === '')).toHaveLength(1200);
    t.forEach((x, j) => {
      expect(x.new_row_index).toBe(String(j));
      expect(x.variations).toBe(records[j].truth.variations.join('|'));
      expect(rows[j].iban).toBe(records[j].row.iban ?? '');
    });
  });
});
