/**
 * The kind of personal data each column holds, as a redaction policy needs it: the stored
 * profile's best kind (profile.run, migration 0040) when the dataset has been profiled; otherwise
 * a quick reading of its own (header hint, then a sample of values checked as NIR, e-mail and
 * phone), flagged as such so the report says the profile was missing.
 *
 * A wrong kind cannot leak by itself: the rule of the wrong kind still redacts or keeps, and
 * verification (export/verify.ts) searches kept columns for NIR / e-mail / phone values the
 * policy forbids, so a NIR column read as "none" makes the export fail rather than pass.
 */
import type { PiiKind } from '../../../shared/pii';
import { headerHint } from '../profile/detect/headers';
import { loadProfile } from '../profile/store';
import { isValidNir } from '../profile/validators';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { isEmailToken, isPhoneToken } from './tokens';

export interface ColumnKind {
  idx: number;
  name: string;
  path: string;
  kind: PiiKind;
  /** Profile confidence, or null for the quick reading. */
  confidence: number | null;
  source: 'profile' | 'header' | 'values' | 'none';
}

function hasTable(db: ReadableDB, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

const SAMPLE = 300;

/** Kinds of every column of a dataset, in column order. */
export function columnKinds(
  db: ReadableDB,
  dataset: { id: number; physical: string },
): { columns: ColumnKind[]; profiled: boolean } {
  const cols = db
    .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
    .all(dataset.id) as { idx: number; name: string; path: string }[];
  const profile = hasTable(db, 'profiles') ? loadProfile(db, dataset.id) : null;
  if (profile) {
    const byIdx = new Map(profile.columns.map((c) => [c.index, c]));
    return {
      profiled: true,
      columns: cols.map((c) => {
        const p = byIdx.get(c.idx);
        const best = p?.pii.find((f) => f.kind === p.kind);
        return {
          ...c,
          kind: p?.kind ?? 'none',
          confidence: best?.confidence ?? null,
          source: p ? 'profile' : 'none',
        };
      }),
    };
  }
  return { profiled: false, columns: cols.map((c) => quickKind(db, dataset.physical, c)) };
}

/** Header hint, overruled by values when most of a sample validate as NIR, e-mail or phone. */
function quickKind(
  db: ReadableDB,
  physical: string,
  c: { idx: number; name: string; path: string },
): ColumnKind {
  const values = (
    db
      .prepare(
        `SELECT ${sqlId(`c_${c.idx}`)} AS v FROM ${sqlId(physical)} WHERE ${sqlId(`c_${c.idx}`)} <> '' LIMIT ?`,
      )
      .all(SAMPLE) as { v: string }[]
  ).map((r) => r.v.trim());
  if (values.length) {
    const share = (test: (v: string) => boolean) => values.filter(test).length / values.length;
    const checks: [PiiKind, (v: string) => boolean][] = [
      ['nir', isValidNir],
      ['email', isEmailToken],
      ['phone', isPhoneToken],
    ];
    for (const [kind, test] of checks) {
      if (share(test) >= 0.6) return { ...c, kind, confidence: null, source: 'values' };
    }
  }
  const hint = headerHint(c.name, c.path);
  if (hint && hint.kinds.length) {
    return { ...c, kind: hint.kinds[0]!, confidence: null, source: 'header' };
  }
  return { ...c, kind: 'none', confidence: null, source: 'none' };
}
