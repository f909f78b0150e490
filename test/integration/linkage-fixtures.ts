/**
 * Shared by the linkage tests and bench/linkage-quality.bench.ts: import files into a case the way
 * the import job does (pipeline + post-import steps, in-process), read ground truth (the
 * generator's derive truth CSV, FEBRL rec_id, Splink cluster), and score predicted record pairs
 * (pairwise precision, recall, F1, and blocking pair completeness).
 */
import { readFileSync } from 'node:fs';
import { runImport } from '../../src/main/engine/import/pipeline';
import { runPostImport } from '../../src/main/engine/jobs/post-import';
import { sqlId } from '../../src/main/engine/store';
import type { ReadableDB, WritableDB } from '../../src/main/engine/store';

export const NO_HOOKS = {
  signal: new AbortController().signal,
  onProgress: () => {},
} as { signal: AbortSignal; onProgress: () => void };

/** Imports a file and runs the post-import steps (profile, identity keys, search index). */
export async function importWithSteps(
  db: WritableDB,
  path: string,
  name?: string,
): Promise<{ id: number; name: string; rows: number }> {
  const r = await runImport(db, {
    path,
    format: 'auto',
    encoding: 'auto',
    ...(name ? { name } : {}),
  });
  await runPostImport(db, r, NO_HOOKS);
  const d = r.datasets[0];
  return { id: d.id, name: d.name, rows: d.rows };
}

/** Unordered pair key of two ordinals (dedupe) or an ordered cross-dataset pair key. */
export function pairKey(a: number, b: number, unordered: boolean): string {
  return unordered && a > b ? `${b}:${a}` : `${a}:${b}`;
}

export interface TruthRow {
  newRow: number;
  earlierRow: number | null;
  duplicateOf: number | null;
  personKey: string;
  variations: string[];
}

export function readDeriveTruth(path: string): TruthRow[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [n, e, d, p, v] = l.split(',');
    return {
      newRow: Number(n),
      earlierRow: e === '' ? null : Number(e),
      duplicateOf: d === '' ? null : Number(d),
      personKey: p,
      variations: v ? v.split('|') : [],
    };
  });
}

/** True pairs (new ordinal : earlier ordinal) of a derived leak against its earlier leak. */
export function deriveTruthPairs(truth: readonly TruthRow[]): Set<string> {
  const out = new Set<string>();
  for (const t of truth) if (t.earlierRow !== null) out.add(pairKey(t.newRow, t.earlierRow, false));
  return out;
}

/** Values of one column of a dataset by ordinal (for label columns: rec_id, cluster). */
export function columnByOrdinal(db: ReadableDB, datasetId: number, column: string): string[] {
  const ds = db.prepare('SELECT physical FROM datasets WHERE id = ?').get(datasetId) as {
    physical: string;
  };
  const idx = (
    db
      .prepare('SELECT idx FROM dataset_columns WHERE dataset_id = ? AND name = ?')
      .get(datasetId, column) as { idx: number }
  ).idx;
  const rows = db
    .prepare(
      `SELECT ordinal, ${sqlId(`c_${idx}`)} AS v FROM ${sqlId(ds.physical)} ORDER BY ordinal`,
    )
    .all() as { ordinal: number; v: string | null }[];
  const out: string[] = [];
  for (const r of rows) out[r.ordinal] = (r.v ?? '').trim();
  return out;
}

/** True pairs from entity labels: within one dataset (a === b) or across two. */
export function labelTruthPairs(
  aLabels: readonly string[],
  bLabels: readonly string[] | null,
): Set<string> {
  const out = new Set<string>();
  if (bLabels === null) {
    const byLabel = new Map<string, number[]>();
    aLabels.forEach((l, i) => {
      const list = byLabel.get(l) ?? [];
      list.push(i);
      byLabel.set(l, list);
    });
    for (const list of byLabel.values())
      for (let x = 0; x < list.length; x++)
        for (let y = x + 1; y < list.length; y++) out.add(pairKey(list[x], list[y], true));
    return out;
  }
  const byLabel = new Map<string, number[]>();
  bLabels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  aLabels.forEach((l, i) => {
    for (const j of byLabel.get(l) ?? []) out.add(pairKey(i, j, false));
  });
  return out;
}

/** Predicted pairs of a matches run, as ordinal pair keys (a side first). */
export function runPairs(db: ReadableDB, runId: number, aId: number, bId: number): Set<string> {
  const ordinals = (id: number) => {
    const ds = db.prepare('SELECT physical FROM datasets WHERE id = ?').get(id) as {
      physical: string;
    };
    const map = new Map<number, number>();
    for (const r of db.prepare(`SELECT id, ordinal FROM ${sqlId(ds.physical)}`).all() as {
      id: number;
      ordinal: number;
    }[])
      map.set(r.id, r.ordinal);
    return map;
  };
  const oa = ordinals(aId);
  const ob = aId === bId ? oa : ordinals(bId);
  const out = new Set<string>();
  const rows = db
    .prepare('SELECT a_dataset, a_row, b_dataset, b_row FROM match_pairs WHERE run_id = ?')
    .all(runId) as { a_dataset: number; a_row: number; b_dataset: number; b_row: number }[];
  for (const r of rows) {
    // Stored canonically (lower dataset id first): put the asked dataset first again.
    const [ar, br] = r.a_dataset === aId ? [r.a_row, r.b_row] : [r.b_row, r.a_row];
    out.add(pairKey(oa.get(ar)!, ob.get(br)!, aId === bId));
  }
  return out;
}

export interface Scores {
  predicted: number;
  truth: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function score(predicted: ReadonlySet<string>, truth: ReadonlySet<string>): Scores {
  let tp = 0;
  for (const p of predicted) if (truth.has(p)) tp++;
  const precision = predicted.size ? tp / predicted.size : 1;
  const recall = truth.size ? tp / truth.size : 1;
  return {
    predicted: predicted.size,
    truth: truth.size,
    truePositives: tp,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}
