/**
 * The overlap matrix built from one `linkage.overlap` answer per dataset (each against the
 * datasets imported before it): pair (a, b) gives both directions, records of a found in b
 * (`records`) and records of b found in a (`bRecords`). Pure; no React, no DOM.
 */
import type { OverlapResult, RehashVerdict } from '../../../../shared/api';

export interface MatrixDataset {
  name: string;
  rows: number;
}

export interface MatrixCell {
  /** Records of `from`... */
  from: string;
  /** ...found in `to` by a strong key. */
  to: string;
  records: number;
  /** records / rows of `from`. */
  share: number;
  /** Key kinds that matched (a record may count under several). */
  keys: string[];
  /** Records of `from` by key kind, when the engine counted them from this side. */
  byKey: Record<string, number> | null;
}

export interface OverlapModel {
  datasets: MatrixDataset[];
  cells: Map<string, MatrixCell>;
  verdicts: RehashVerdict[];
  upset: { datasets: string[]; people: number }[] | null;
  keysUsed: string[];
}

export const cellKey = (from: string, to: string) => `${from}\u0000${to}`;

export function buildModel(
  datasets: readonly MatrixDataset[],
  results: readonly OverlapResult[],
): OverlapModel {
  const rows = new Map(datasets.map((d) => [d.name, d.rows]));
  const cells = new Map<string, MatrixCell>();
  const verdicts: RehashVerdict[] = [];
  let upset: OverlapModel['upset'] = null;
  const keysUsed = new Set<string>();
  for (const r of results) {
    r.keysUsed.forEach((k) => keysUsed.add(k));
    verdicts.push(...r.verdicts);
    if (r.upset) upset = r.upset;
    for (const p of r.pairs) {
      const keys = Object.entries(p.byKey)
        .filter(([, n]) => n > 0)
        .map(([k]) => k);
      cells.set(cellKey(p.a, p.b), {
        from: p.a,
        to: p.b,
        records: p.records,
        share: p.share,
        keys,
        byKey: p.byKey,
      });
      const bRows = rows.get(p.b) ?? 0;
      cells.set(cellKey(p.b, p.a), {
        from: p.b,
        to: p.a,
        records: p.bRecords,
        share: bRows > 0 ? p.bRecords / bRows : 0,
        keys,
        byKey: null,
      });
    }
  }
  return { datasets: [...datasets], cells, verdicts, upset, keysUsed: [...keysUsed] };
}

/** "12.5%": one decimal under 10%, none above; exact 0 and 100. */
export function percent(share: number): string {
  const v = share * 100;
  if (v === 0 || v === 100) return `${v.toFixed(0)}%`;
  if (v < 0.1) return '<0.1%';
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en');
}

/** Key kind as investigators say it. */
export const KEY_LABELS: Record<string, string> = {
  nir: 'NIR',
  email: 'email',
  phone: 'phone',
  france_travail_id: 'France Travail id',
  iban: 'IBAN',
  national_id: 'national id',
  name_dob: 'name + date of birth',
  name_postal: 'name + postal code',
  record: 'identical record',
};

export function keyLabel(kind: string): string {
  return KEY_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

export const VERDICT_LABELS: Record<RehashVerdict['verdict'], string> = {
  new: 'New data',
  repackaged: 'Repackaged',
  partial_overlap: 'Partial overlap',
  likely_fabricated: 'Likely fabricated',
};
