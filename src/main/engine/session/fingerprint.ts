/**
 * Result fingerprints: what a session's view matched when it was saved, recomputed on reopening,
 * and the difference explained in plain words.
 *
 * The fingerprint is the number of matching records and SHA-256 over their ordinals in ascending
 * order, each as decimal text followed by "\n" (`sha256-ordinals-v1`). Ordinals, not row ids:
 * an ordinal is the record's position in its source table, fixed by the file, so the same
 * evidence imported into a colleague's case gives the same ordinals and the same hash; a row id
 * is the rowid of the case's `ds_<id>` table, an artefact of one import. (Today both follow
 * insertion order, but nothing promises that, while ordinals are promised by DESIGN.md.) The
 * sort of the view is left out on purpose: it orders the same set.
 *
 * Alongside, the fingerprint keeps the dataset's row count then and a digest of the tags and
 * notes the filter reads, so that a change can be attributed: the dataset was re-imported or
 * completed, another import changed what linkage filters see, the tags changed, or (when nothing
 * around the data changed) the evaluation of the filter did.
 */
import { createHash } from 'node:crypto';
import type { DatasetSummary } from '../../../shared/api';
import type { CheckStatus, DatasetMatch, ViewCheck } from '../../../shared/contract/session';
import type { FilterNode } from '../../../shared/filter';
import {
  FINGERPRINT_ALGORITHM,
  type Fingerprint,
  type SessionDocument,
  type SessionView,
} from '../../../shared/session';
import type { ReadableDB } from '../store/types';
import { flagsDigest, type DatasetTable } from './flags';

/** Hashes ascending ordinals as they stream; `null` when they turn out not to be ascending. */
function hashStream(ordinals: Iterable<number>): { rows: number; sha256: string } | null {
  const h = createHash('sha256');
  let rows = 0;
  let last = -1;
  let buf = '';
  for (const o of ordinals) {
    if (o <= last) return null;
    last = o;
    rows++;
    buf += `${o}\n`;
    // Fewer, larger updates: hashing 10 M short strings one by one costs more than the query.
    if (buf.length > 65_536) {
      h.update(buf);
      buf = '';
    }
  }
  h.update(buf);
  return { rows, sha256: h.digest('hex') };
}

/**
 * Fingerprint of a set of ordinals. `ordinals()` is called once, or twice when the first pass
 * finds them out of order (then they are collected and sorted: memory grows with the result).
 * Rows come in row-id order, which follows ordinal order in every import so far, so the second
 * pass is a safeguard, not the usual path.
 */
export function hashOrdinals(ordinals: () => Iterable<number>): { rows: number; sha256: string } {
  const streamed = hashStream(ordinals());
  if (streamed) return streamed;
  let all = new Float64Array(1024);
  let n = 0;
  for (const o of ordinals()) {
    if (n === all.length) {
      const bigger = new Float64Array(all.length * 2);
      bigger.set(all);
      all = bigger;
    }
    all[n++] = o;
  }
  const sorted = all.subarray(0, n).sort();
  // Duplicate ordinals cannot occur within one dataset; a duplicate would be hashed twice.
  return hashStream(sorted) ?? hashDuplicates(sorted);
}

function hashDuplicates(sorted: Float64Array): { rows: number; sha256: string } {
  const h = createHash('sha256');
  for (const o of sorted) h.update(`${o}\n`);
  return { rows: sorted.length, sha256: h.digest('hex') };
}

/** Tags and note presence a filter reads ({tag} and {hasNote} nodes), found by walking it. */
export function flagDependencies(filter: FilterNode | null): { tags: string[]; notes: boolean } {
  const tags = new Set<string>();
  let notes = false;
  const walk = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.tag === 'string') tags.add(o.tag);
    if ('hasNote' in o) notes = true;
    if (Array.isArray(o.and)) o.and.forEach(walk);
    if (Array.isArray(o.or)) o.or.forEach(walk);
    if (o.not) walk(o.not);
  };
  walk(filter);
  return { tags: [...tags].sort(), notes };
}

/** Whether the filter reads other datasets (linkage nodes), which new imports can change. */
export function usesLinkage(filter: FilterNode | null): boolean {
  let found = false;
  const walk = (n: unknown): void => {
    if (found || n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ('linkage' in o) found = true;
    if (Array.isArray(o.and)) o.and.forEach(walk);
    if (Array.isArray(o.or)) o.or.forEach(walk);
    if (o.not) walk(o.not);
  };
  walk(filter);
  return found;
}

/** Ordinals of the records a view matches, in row-id order (see query-bridge.ts). */
export type OrdinalSource = (
  db: ReadableDB,
  ds: DatasetTable,
  view: Pick<SessionView, 'filter' | 'search'>,
) => Iterable<number>;

export function computeFingerprint(
  db: ReadableDB,
  ds: DatasetTable & { rows: number },
  view: Pick<SessionView, 'filter' | 'search'>,
  source: OrdinalSource,
  now: Date,
): Fingerprint {
  const { rows, sha256 } = hashOrdinals(() => source(db, ds, view));
  const deps = flagDependencies(view.filter);
  return {
    algorithm: FINGERPRINT_ALGORITHM,
    rows,
    sha256,
    datasetRows: ds.rows,
    flags: deps.tags.length || deps.notes ? flagsDigest(db, ds, deps.tags, deps.notes) : null,
    at: now.toISOString(),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface CheckContext {
  doc: SessionDocument;
  /** Id of the case running the check. */
  caseId: string;
  appVersion: string;
  /** Every dataset of this case (to name imports made since the session was saved). */
  all: readonly DatasetSummary[];
}

/**
 * Compares one view's saved fingerprint with the one recomputed now, and says why it differs.
 * `now` is null when the dataset is missing here.
 */
export function checkView(
  index: number,
  view: SessionView,
  match: DatasetMatch,
  now: Fingerprint | null,
  ctx: CheckContext,
): ViewCheck {
  const saved = view.fingerprint;
  const base = {
    view: index,
    dataset: match.saved.name,
    local: match.local?.name ?? null,
    saved: saved ? { rows: saved.rows, sha256: saved.sha256 } : null,
    now: now ? { rows: now.rows, sha256: now.sha256 } : null,
    delta: saved && now ? now.rows - saved.rows : null,
  };
  const result = (status: CheckStatus, reasons: string[]): ViewCheck => ({
    ...base,
    status,
    reasons,
  });
  if (!match.local || !now) return result('missing', [match.warning ?? 'dataset missing']);
  if (!saved) {
    return result('unverified', [
      'no fingerprint was saved with this view (autosave): nothing to compare with',
    ]);
  }
  if (saved.algorithm === 'count-only') {
    if (saved.rows === now.rows) {
      return result('unverified', [
        `same number of records (${now.rows}), but the session (saved by an older Leakscope) holds no hash to tell whether they are the same records`,
      ]);
    }
  } else if (saved.sha256 === now.sha256 && saved.rows === now.rows) {
    return result('identical', []);
  }

  const reasons: string[] = [];
  const d = now.rows - saved.rows;
  reasons.push(
    d > 0
      ? `${plural(d, 'more record')} than when saved (${saved.rows} → ${now.rows})`
      : d < 0
        ? `${plural(-d, 'fewer record')} than when saved (${saved.rows} → ${now.rows})`
        : `the same number of records (${now.rows}), but not the same records`,
  );
  const name = JSON.stringify(match.local.name);
  let explained = false;
  if (
    ctx.doc.caseId === ctx.caseId &&
    match.saved.id !== null &&
    match.saved.id !== match.local.id
  ) {
    reasons.push(
      `dataset ${JSON.stringify(match.saved.name)} was re-imported since (now dataset ${name}, id ${match.local.id})`,
    );
    explained = true;
  }
  if (
    saved.datasetRows !== null &&
    saved.datasetRows !== now.datasetRows &&
    now.datasetRows !== null
  ) {
    reasons.push(
      `dataset ${name} holds ${now.datasetRows} rows, against ${saved.datasetRows} when saved${match.local.complete ? '' : ' (its import is not complete)'}`,
    );
    explained = true;
  }
  if (saved.flags !== now.flags) {
    reasons.push('the record tags or notes this filter reads have changed since');
    explained = true;
  }
  if (usesLinkage(view.filter)) {
    const since = ctx.all.filter((x) => x.source.startedAt > saved.at && x.id !== match.local!.id);
    if (since.length) {
      reasons.push(
        `${plural(since.length, 'dataset')} imported since (${since
          .slice(0, 5)
          .map((x) => JSON.stringify(x.name))
          .join(
            ', ',
          )}${since.length > 5 ? ', …' : ''}) can change what the linkage conditions of this filter match`,
      );
      explained = true;
    }
  }
  if (!explained) {
    reasons.push(
      `dataset ${name} and its source are unchanged, so the difference comes from how the filter or search is evaluated${ctx.doc.app && ctx.doc.app !== ctx.appVersion ? ` (saved with Leakscope ${ctx.doc.app}, checked with ${ctx.appVersion})` : ''}`,
    );
  }
  return result('changed', reasons);
}

/** The session-level verdict and one message for the investigator. */
export function summarizeChecks(views: readonly ViewCheck[]): {
  status: CheckStatus;
  message: string;
} {
  if (views.length === 0) return { status: 'unverified', message: 'the session has no view' };
  const worst: CheckStatus = views.some((v) => v.status === 'missing')
    ? 'missing'
    : views.some((v) => v.status === 'changed')
      ? 'changed'
      : views.some((v) => v.status === 'unverified')
        ? 'unverified'
        : 'identical';
  const lines = views.map((v) => {
    const label = views.length > 1 ? `view ${v.view + 1} (${v.dataset})` : v.dataset;
    if (v.status === 'identical') return `${label}: identical (${plural(v.now!.rows, 'record')})`;
    return `${label}: ${v.status}: ${v.reasons.join('; ')}`;
  });
  const head =
    worst === 'identical'
      ? 'the session gives the same records as when it was saved'
      : worst === 'changed'
        ? 'the session no longer gives the same records as when it was saved'
        : worst === 'missing'
          ? 'some datasets of the session are missing from this case'
          : 'the session could not be verified';
  return { status: worst, message: [head, ...lines].join('\n') };
}
