/**
 * The `linkage` job (jobs/registry.ts): duplicates, overlap, matches and clusters run in a worker
 * thread on its own connection, because they read whole datasets (and may first extract the
 * identity keys of datasets imported before linkage existed, which writes).
 */
import type {
  ClustersResult,
  DuplicatesResult,
  MatchesResult,
  MethodParsedInput,
  OverlapResult,
} from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { findDataset } from '../import/repo';
import type { JobHooks } from '../jobs/registry';
import type { WritableDB } from '../store/types';
import { buildPeople, storeClusters, summarizePeople } from './cluster';
import { findDuplicates } from './duplicates';
import { ensureKeys } from './keys';
import { runMatches } from './matches';
import { computeOverlap, type DatasetInfo } from './overlap';

export type LinkageJobInput =
  | { op: 'duplicates'; input: MethodParsedInput<'linkage.duplicates'> }
  | { op: 'overlap'; input: MethodParsedInput<'linkage.overlap'> }
  | { op: 'matches'; input: MethodParsedInput<'linkage.matches'> }
  | { op: 'clusters'; input: MethodParsedInput<'linkage.clusters'> };

type Resolved = DatasetInfo & { physical: string };

function resolve(db: WritableDB, ref: string): Resolved {
  const d = findDataset(db, ref);
  if (d.status !== 'ready' && d.status !== 'incomplete') {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `dataset ${d.name} is ${d.status}, not ready for linkage`,
    );
  }
  return { id: d.id, name: d.name, rows: d.rows, physical: d.physical };
}

function usable(db: WritableDB): Resolved[] {
  return db
    .prepare(
      "SELECT id, name, rows, physical FROM datasets WHERE status IN ('ready', 'incomplete') ORDER BY id",
    )
    .all() as Resolved[];
}

function progress(hooks: JobHooks, step: string, done: number, total: number): void {
  hooks.onProgress({
    step,
    bytesDone: done,
    bytesTotal: total,
    records: done,
    rejected: 0,
    rowsPerSecond: 0,
    etaSeconds: null,
  });
}

export function linkageDuplicates(
  db: WritableDB,
  input: MethodParsedInput<'linkage.duplicates'>,
  hooks?: Partial<JobHooks>,
): DuplicatesResult {
  const d = resolve(db, input.dataset);
  ensureKeys(db, [d.id], hooks ?? {});
  return findDuplicates(db, d, {
    limit: input.limit,
    ...(hooks?.signal ? { signal: hooks.signal } : {}),
  });
}

export function linkageOverlap(
  db: WritableDB,
  input: MethodParsedInput<'linkage.overlap'>,
  hooks?: Partial<JobHooks>,
): OverlapResult {
  const a = resolve(db, input.dataset);
  const against = input.against
    ? input.against.map((r) => resolve(db, r))
    : usable(db).filter((d) => d.id < a.id);
  const all = input.upset ? usable(db) : [a, ...against];
  ensureKeys(
    db,
    all.map((d) => d.id),
    hooks ?? {},
  );
  return computeOverlap(db, a, against, {
    upset: input.upset,
    ...(hooks?.signal ? { signal: hooks.signal } : {}),
  });
}

export function linkageMatches(
  db: WritableDB,
  input: MethodParsedInput<'linkage.matches'>,
  hooks?: Partial<JobHooks>,
): MatchesResult {
  const a = resolve(db, input.dataset);
  const b = resolve(db, input.against);
  ensureKeys(db, [a.id, b.id], hooks ?? {});
  return runMatches(db, a, b, {
    fuzzy: input.fuzzy,
    limit: input.limit,
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    ...(hooks?.signal ? { signal: hooks.signal } : {}),
    ...(hooks?.onProgress
      ? {
          onProgress: (step: string, done: number, total: number) =>
            progress(hooks as JobHooks, step, done, total),
        }
      : {}),
  }).result;
}

export function linkageClusters(
  db: WritableDB,
  input: MethodParsedInput<'linkage.clusters'>,
  hooks?: Partial<JobHooks>,
): ClustersResult {
  const t0 = performance.now();
  const chosen = input.datasets ? input.datasets.map((r) => resolve(db, r)) : usable(db);
  ensureKeys(
    db,
    chosen.map((d) => d.id),
    hooks ?? {},
  );
  const build = buildPeople(
    db,
    chosen.map((d) => d.id),
    hooks?.signal,
  );
  const summary = summarizePeople(build);
  const stored = storeClusters(db, build);
  return {
    datasets: chosen.map((d) => d.name),
    records: summary.records,
    people: summary.people,
    upset: summary.upset,
    sizes: summary.sizes,
    largest: summary.largest,
    stored,
    links: { keys: build.links, fuzzy: build.fuzzyLinks },
    sharedValues: summary.hubs,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Job body of kind 'linkage'. */
export async function linkageJob(
  db: WritableDB,
  job: LinkageJobInput,
  hooks: JobHooks,
): Promise<unknown> {
  switch (job.op) {
    case 'duplicates':
      return linkageDuplicates(db, job.input, hooks);
    case 'overlap':
      return linkageOverlap(db, job.input, hooks);
    case 'matches':
      return linkageMatches(db, job.input, hooks);
    case 'clusters':
      return linkageClusters(db, job.input, hooks);
  }
}
