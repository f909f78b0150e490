/**
 * The records grid's TanStack Table (v9) setup, declared once (STYLE.md rule 12): the features it
 * uses (column visibility, order, pinning, sizing, resizing, sorting) in manual mode — the query
 * engine sorts, pages and filters; the table owns column state and header models only — and the
 * column layout state the view keeps per dataset.
 *
 * Pure: no React rendering here.
 */
import {
  columnOrderingFeature,
  columnPinningFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  type ColumnOrderState,
  type ColumnPinningState,
  type ColumnSizingState,
  type ColumnVisibilityState,
  type SortingState,
} from '@tanstack/react-table';
import type { DatasetColumn, RowRecord, SortKey } from '../../../../shared/api';

export const gridFeatures = tableFeatures({
  columnVisibilityFeature,
  columnOrderingFeature,
  columnPinningFeature,
  columnSizingFeature,
  columnResizingFeature,
  rowSortingFeature,
});
export type GridFeatures = typeof gridFeatures;

/** One rendered row: its position in the result and the record once loaded. */
export interface GridRow {
  index: number;
  record: RowRecord | undefined;
}

const helper = createColumnHelper<GridFeatures, GridRow>();

export const DEFAULT_WIDTH = 170;

export function gridColumns(columns: readonly DatasetColumn[]) {
  return helper.columns(
    columns.map((c) =>
      helper.accessor((r: GridRow) => r.record?.values[c.name] ?? null, {
        id: c.name,
        header: c.name,
        size: DEFAULT_WIDTH,
        minSize: 60,
        maxSize: 900,
      }),
    ),
  );
}

/** Column layout of one dataset's grid (kept while the view is open). */
export interface ColumnLayout {
  visibility: ColumnVisibilityState;
  order: ColumnOrderState;
  pinning: ColumnPinningState;
  sizing: ColumnSizingState;
}

export function defaultLayout(columns: readonly DatasetColumn[]): ColumnLayout {
  return {
    visibility: {},
    order: columns.map((c) => c.name),
    pinning: { start: [], end: [] },
    sizing: {},
  };
}

/** Moves a column one place left (-1) or right (+1) in the order. */
export function moveColumn(order: ColumnOrderState, id: string, by: -1 | 1): ColumnOrderState {
  const i = order.indexOf(id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return order;
  const next = order.slice();
  next[i] = order[j]!;
  next[j] = id;
  return next;
}

export function togglePin(pinning: ColumnPinningState, id: string): ColumnPinningState {
  const pinned = pinning.start.includes(id);
  return {
    start: pinned ? pinning.start.filter((c) => c !== id) : [...pinning.start, id],
    end: pinning.end.filter((c) => c !== id),
  };
}

export const toSorting = (sort: readonly SortKey[]): SortingState =>
  sort.map((s) => ({ id: s.column, desc: s.desc }));

export const fromSorting = (sorting: SortingState): SortKey[] =>
  sorting.slice(0, 3).map((s) => ({ column: s.id, desc: s.desc }));
