/**
 * Text filters answered through the full-text index: a `contains` (or `startsWith`, `endsWith`,
 * and `equals` on a column without a kept index) of 3+ characters implies that the record's
 * search document (every column, folded by the trigram tokenizer) holds the value's trigrams. The
 * filter tree is turned into a necessary condition in FTS5 syntax, which drives the query (the
 * index yields candidate records in rowid order); the compiled filter stays in the WHERE clause
 * as the exact re-check, so results are exactly those of a scan, only reached without reading
 * every record.
 *
 * - `and`: the conditions of its children that have one, ANDed (a child without one, e.g. a
 *   regex, narrows nothing but is still checked exactly); `or`: only if every branch has one;
 *   `not` and non-text leaves: none.
 * - Only values whose folded form is ASCII use the index: the trigram tokenizer
 *   (`remove_diacritics 1`) and `fold()` agree on ASCII, accented Latin letters and combining
 *   marks (tested), but not on every script (Greek final sigma folds differently), and a missed
 *   candidate would be a missed record. Other values are scanned, as before.
 * - A top-level equality, `in` or case-sensitive prefix on a column with a kept index keeps the
 *   plan on that index (it is more selective than any trigram list).
 */
import {
  isCaseSensitive,
  MIN_INDEXED_TERM,
  type ColumnOp,
  type FilterNode,
} from '../../../shared/filter';
import { resolveColumn, type QueryDataset } from './dataset';
import { fold } from './functions';
import { trigramQuery } from './search';

const ASCII = /^\p{ASCII}*$/u;
const TEXT_OPS = new Set<ColumnOp['op']>(['contains', 'startsWith', 'endsWith', 'equals']);

export interface FtsFilterContext {
  ds: QueryDataset;
  /** Indices of the dataset's columns that have a kept index (column_indexes). */
  indexed: ReadonlySet<number>;
  /** Kind leaf → the column indices it covers (null: not resolvable here, no index use). */
  kindColumns: (kind: string, minConfidence: number | undefined) => number[] | null;
}

function leafColumns(n: FilterNode, ctx: FtsFilterContext): number[] | null {
  if ('column' in n) {
    try {
      return [resolveColumn(ctx.ds, n.column).idx];
    } catch {
      return null;
    }
  }
  if ('kind' in n) return ctx.kindColumns(n.kind, n.minConfidence);
  return null;
}

/** The trigram condition of one text leaf, or null when it cannot use the index. */
function leafMatch(n: FilterNode, ctx: FtsFilterContext): string | null {
  if (!('column' in n) && !('kind' in n)) return null;
  const op = n as ColumnOp;
  if (!TEXT_OPS.has(op.op)) return null;
  const cols = leafColumns(n, ctx);
  if (!cols || cols.length === 0) return null;
  // An equality on an indexed column is answered by that index, not by trigrams.
  if (op.op === 'equals' && cols.some((c) => ctx.indexed.has(c))) return null;
  const value = (op as { value: string | number }).value;
  const needle = fold(typeof value === 'number' ? String(value) : value);
  if (!ASCII.test(needle) || needle.length < MIN_INDEXED_TERM) return null;
  return trigramQuery(needle);
}

function nodeMatch(n: FilterNode, ctx: FtsFilterContext): string | null {
  if ('and' in n) {
    const parts = n.and.map((c) => nodeMatch(c, ctx)).filter((p): p is string => p !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' AND ');
  }
  if ('or' in n) {
    const parts = n.or.map((c) => nodeMatch(c, ctx));
    if (parts.some((p) => p === null)) return null;
    return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' OR ');
  }
  if ('not' in n) return null;
  return leafMatch(n, ctx);
}

/** Whether a top-level conjunct is better answered by a kept column index. */
function indexedConjunct(n: FilterNode, ctx: FtsFilterContext): boolean {
  const conjuncts = 'and' in n ? n.and : [n];
  return conjuncts.some((c) => {
    if (!('column' in c)) return false;
    const op = c as ColumnOp;
    const usesIndex =
      ((op.op === 'equals' || op.op === 'in') && isCaseSensitive(op)) ||
      (op.op === 'startsWith' && isCaseSensitive(op));
    if (!usesIndex) return false;
    const cols = leafColumns(c, ctx);
    return cols !== null && cols.some((i) => ctx.indexed.has(i));
  });
}

/**
 * The FTS5 condition every record matching `filter` satisfies, or null when the index cannot
 * narrow it (or a column index does better).
 */
export function filterFtsMatch(
  filter: FilterNode | undefined,
  ctx: FtsFilterContext,
): string | null {
  if (!filter || indexedConjunct(filter, ctx)) return null;
  return nodeMatch(filter, ctx);
}
