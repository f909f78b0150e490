/**
 * Cross-field consistency of NIR columns: per sampled record, the NIR's sex digit, year and
 * month of birth and département of birth against the sex, date-of-birth and postal-code columns
 * of the same record. Genuine records agree (INSEE derived the NIR from the civil record);
 * fabricated leaks and files whose columns were shuffled or joined on the wrong key do not,
 * which makes the share of consistent records an authenticity signal.
 *
 * Sex, year and month must agree for a record to count as consistent. The département is
 * reported separately with the agreement expected by chance (Σ over départements of the product
 * of the two columns' frequencies): people often live far from where they were born, so
 * agreement well above chance supports authenticity but disagreement is no fault.
 */
import type { Consistency, ConsistencyCheck } from '../../../shared/api';
import { postalDepartment } from './reference/places';
import { asMonthFirst, parseDate } from './stats/dates';
import { parseNir } from './validators';

export interface ConsistencyColumns {
  nir: { index: number; name: string };
  sex: { index: number; name: string } | null;
  dob: { index: number; name: string; monthFirst: boolean } | null;
  postal: { index: number; name: string } | null;
}

const MALE = new Set([
  'm',
  'h',
  '1',
  'homme',
  'masculin',
  'male',
  'man',
  'mr',
  'mr.',
  'm.',
  'monsieur',
  'masc',
  'garcon',
]);
const FEMALE = new Set([
  'f',
  '2',
  'femme',
  'feminin',
  'female',
  'woman',
  'mme',
  'mme.',
  'mrs',
  'mrs.',
  'ms',
  'ms.',
  'miss',
  'mlle',
  'mlle.',
  'madame',
  'mademoiselle',
  'fem',
  'fille',
]);

export function sexOf(value: string): 'male' | 'female' | null {
  const k = value
    .trim()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (MALE.has(k)) return 'male';
  if (FEMALE.has(k)) return 'female';
  return null;
}

/** NIR birth département in the postal-code convention (Corsica 2A/2B/20 → 20). */
function nirDepartment(dept: string | null): string | null {
  if (!dept || dept === '99') return null;
  if (dept === '2A' || dept === '2B') return '20';
  return dept;
}

interface Counter {
  checked: number;
  agree: number;
}

export function checkConsistency(
  rows: readonly (readonly (string | null)[])[],
  cols: ConsistencyColumns,
): Consistency {
  const sex: Counter = { checked: 0, agree: 0 };
  const year: Counter = { checked: 0, agree: 0 };
  const month: Counter = { checked: 0, agree: 0 };
  const dept: Counter = { checked: 0, agree: 0 };
  const nirDepts = new Map<string, number>();
  const postalDepts = new Map<string, number>();
  let records = 0;
  let consistent = 0;
  for (const row of rows) {
    const raw = row[cols.nir.index - 1];
    if (!raw) continue;
    const nir = parseNir(raw);
    if (!nir.valid) continue;
    let checkedAny = false;
    let ok = true;
    if (cols.sex) {
      const s = row[cols.sex.index - 1];
      const v = s ? sexOf(s) : null;
      if (v && nir.sex) {
        sex.checked++;
        checkedAny = true;
        if (v === nir.sex) sex.agree++;
        else ok = false;
      }
    }
    if (cols.dob) {
      const s = row[cols.dob.index - 1];
      let d = s ? parseDate(s) : null;
      if (d && cols.dob.monthFirst) d = asMonthFirst(d);
      if (d && nir.year !== null) {
        year.checked++;
        checkedAny = true;
        if (String(d.y % 100).padStart(2, '0') === nir.year) year.agree++;
        else ok = false;
        if (nir.birthMonth !== null) {
          month.checked++;
          if (d.m === nir.birthMonth) month.agree++;
          else ok = false;
        }
      }
    }
    if (cols.postal) {
      const s = row[cols.postal.index - 1];
      const p = s ? postalDepartment(s.trim()) : null;
      const n = nirDepartment(nir.department);
      if (p && n) {
        const pd = p.startsWith('20') ? '20' : p;
        dept.checked++;
        if (pd === n) dept.agree++;
        nirDepts.set(n, (nirDepts.get(n) ?? 0) + 1);
        postalDepts.set(pd, (postalDepts.get(pd) ?? 0) + 1);
      }
    }
    if (checkedAny) {
      records++;
      if (ok) consistent++;
    }
  }
  const checks: ConsistencyCheck[] = [];
  const share = (c: Counter) => (c.checked ? Math.round((c.agree / c.checked) * 1000) / 1000 : 0);
  if (cols.sex && sex.checked) {
    checks.push({ field: 'sex', column: cols.sex.name, ...sex, share: share(sex), chance: 0.5 });
  }
  if (cols.dob && year.checked) {
    checks.push({
      field: 'birth_year',
      column: cols.dob.name,
      ...year,
      share: share(year),
      chance: null,
    });
    checks.push({
      field: 'birth_month',
      column: cols.dob.name,
      ...month,
      share: share(month),
      chance: 1 / 12,
    });
  }
  if (cols.postal && dept.checked) {
    let chance = 0;
    for (const [d, c] of nirDepts)
      chance += (c / dept.checked) * ((postalDepts.get(d) ?? 0) / dept.checked);
    checks.push({
      field: 'department',
      column: cols.postal.name,
      ...dept,
      share: share(dept),
      chance: Math.round(chance * 1000) / 1000,
    });
  }
  const s = records ? Math.round((consistent / records) * 1000) / 1000 : 0;
  const verdict =
    records < 30
      ? 'not_enough_data'
      : s >= 0.95
        ? 'consistent'
        : s >= 0.8
          ? 'mostly_consistent'
          : 'inconsistent';
  const fields = checks
    .filter((c) => c.field !== 'department')
    .map((c) => c.field.replace('_', ' '));
  const note =
    records === 0
      ? 'no record with a valid NIR and a readable sex or date of birth'
      : `${consistent} of ${records} sampled records with a valid NIR agree on ${fields.join(', ')}` +
        (verdict === 'inconsistent'
          ? ': columns that do not describe the same person (fabricated, shuffled or mis-joined data)'
          : '');
  return {
    nirColumn: cols.nir.name,
    checks,
    records,
    consistent,
    share: s,
    sampledRecords: rows.length,
    verdict,
    note,
  };
}
