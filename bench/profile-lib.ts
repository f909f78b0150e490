/**
 * Shared by the profiling benchmarks and tests: the mapping from the corpus manifest's kind
 * vocabulary to ours, and the comparison of a profile with expected kinds.
 *
 * Manifest → ours (shared/corpus/real/manifest.json was labelled independently of this project):
 *   person_name        → full_name
 *   password_plaintext → password
 *   null               → a column without personal data: none, or a non-personal kind we also
 *                        name (id, date, free_text, country, url)
 *   id                 → id (the manifest marks keys of people's records: customer_id, staff_id)
 *   other              → personal but outside the vocabulary (company, job title, state,
 *                        coordinates, salt...): anything but an identifying kind is right
 *   every other kind   → the same name (email, phone, first_name, city, sex, national_id...)
 * Columns with no non-empty value (Sakila's address2) cannot be judged and are left out.
 */
import type { DatasetProfile } from '../src/shared/api';
import type { PiiKind } from '../src/shared/pii';

const NON_PERSONAL: readonly PiiKind[] = ['none', 'id', 'date', 'free_text', 'country', 'url'];
const IDENTIFYING: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'nir',
  'email',
  'phone',
  'iban',
  'credit_card',
  'password',
  'password_hash',
  'france_travail_id',
  'rpps',
  'siret',
  'siren',
  'finess',
  'national_id',
  'date_of_birth',
  'first_name',
  'last_name',
  'full_name',
  'username',
  'street_address',
  'postal_code',
  'ip_address',
  'bic',
]);

export function acceptedKinds(manifestKind: string | null): (k: PiiKind) => boolean {
  if (manifestKind === null) return (k) => NON_PERSONAL.includes(k);
  if (manifestKind === 'other') return (k) => !IDENTIFYING.has(k);
  if (manifestKind === 'person_name') return (k) => k === 'full_name';
  if (manifestKind === 'password_plaintext') return (k) => k === 'password';
  if (manifestKind === 'id') return (k) => k === 'id';
  return (k) => k === manifestKind;
}

export interface ColumnVerdict {
  dataset: string;
  column: string;
  expected: string;
  got: PiiKind;
  ok: boolean;
}

/** Compares a profile with the manifest's columns (by name); empty columns are skipped. */
export function judge(
  p: DatasetProfile,
  expected: readonly { name: string; pii_kind: string | null }[],
): ColumnVerdict[] {
  const out: ColumnVerdict[] = [];
  for (const e of expected) {
    const c = p.columns.find((x) => x.name === e.name);
    if (!c || c.nonEmpty === 0) continue;
    out.push({
      dataset: p.dataset,
      column: e.name,
      expected: e.pii_kind ?? 'null',
      got: c.kind,
      ok: acceptedKinds(e.pii_kind)(c.kind),
    });
  }
  return out;
}

/** Confusion matrix rows: expected → (got → count). */
export function confusion(
  verdicts: readonly { expected: string; got: string }[],
): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const v of verdicts) {
    let row = m.get(v.expected);
    if (!row) m.set(v.expected, (row = new Map()));
    row.set(v.got, (row.get(v.got) ?? 0) + 1);
  }
  return m;
}

export function printConfusion(
  title: string,
  verdicts: readonly { expected: string; got: string }[],
): string {
  const m = confusion(verdicts);
  const gots = [...new Set(verdicts.map((v) => v.got))].sort();
  const lines = [
    `${title}`,
    '',
    `| expected \\ got | ${gots.join(' | ')} |`,
    `|---|${gots.map(() => '---:').join('|')}|`,
  ];
  for (const [exp, row] of [...m.entries()].sort()) {
    lines.push(
      `| ${exp} | ${gots.map((g) => (row.get(g) ? String(row.get(g)) : '')).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
