/**
 * Query-test fixtures: a fresh encrypted case, datasets imported through the real pipeline (from a
 * CSV written here or from the seeded generator), their search index, and a small JS oracle that
 * reads every record back so expected row sets can be computed independently of the SQL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '../../../src/main/engine/import/pipeline';
import type { JobHooks } from '../../../src/main/engine/jobs/registry';
import { buildSearchIndex } from '../../../src/main/engine/query/search';
import { runRowsQuery } from '../../../src/main/engine/query/page';
import { registerQueryFunctions } from '../../../src/main/engine/query/functions';
import type { WritableCase, WritableDB } from '../../../src/main/engine/store';
import type { RowRecord, RowsQueryInput, RowsQueryResult } from '../../../src/shared/api';
import { RowsQueryInput as RowsQuerySchema } from '../../../src/shared/api';
import { generateFile } from '../../fixtures/gen';
import { createTestCase } from '../../helpers/case';

export const noHooks: JobHooks = { signal: new AbortController().signal, onProgress: () => {} };

export function csvText(header: string[], rows: (string | null)[][]): string {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (
    [
      header.map(q).join(','),
      ...rows.map((r) => r.map((v) => (v === null ? '' : q(v))).join(',')),
    ].join('\n') + '\n'
  );
}

/** Imports a CSV text as dataset `name` (optionally with its search index); returns its id. */
export async function importCsv(
  db: WritableDB,
  dir: string,
  name: string,
  text: string,
  opts: { search?: boolean } = {},
): Promise<number> {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, text);
  const r = await runImport(db, { path: file, name, format: 'csv', encoding: 'auto' });
  const id = r.datasets[0]!.id;
  if (opts.search !== false) await buildSearchIndex(db, id, noHooks);
  return id;
}

/** Imports `rows` generated people (seeded) as dataset `name`. */
export async function importGenerated(
  db: WritableDB,
  dir: string,
  name: string,
  rows: number,
  seed = 42,
): Promise<number> {
  const file = join(dir, `${name}.csv`);
  await generateFile({ format: 'csv', seed, rows, out: file });
  const r = await runImport(db, { path: file, name, format: 'csv', encoding: 'auto' });
  const id = r.datasets[0]!.id;
  await buildSearchIndex(db, id, noHooks);
  return id;
}

export function testCase(dir: string): WritableCase {
  const c = createTestCase(dir);
  registerQueryFunctions(c.db);
  return c;
}

/** Runs rows.query in-process with the contract's defaults applied. */
export function query(db: WritableDB, input: RowsQueryInput): Promise<RowsQueryResult> {
  return runRowsQuery(db, RowsQuerySchema.parse(input));
}

/** Every record of a dataset, walking all pages (checks the cursor chain as it goes). */
export async function allRows(db: WritableDB, input: RowsQueryInput): Promise<RowRecord[]> {
  const out: RowRecord[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = await query(db, { ...input, ...(cursor ? { cursor } : {}), countMode: 'none' });
    out.push(...page.rows);
    if (!page.cursor) return out;
    cursor = page.cursor;
  }
  throw new Error('cursor chain does not end');
}

/** Ids of a query's full result (all pages). */
export async function ids(db: WritableDB, input: RowsQueryInput): Promise<number[]> {
  return (await allRows(db, { limit: 1000, ...input })).map((r) => r.id);
}
