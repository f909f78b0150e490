/**
 * The grid's column layout (TanStack state: visibility, order, pinning, sizing) to and from a
 * session's column list (src/shared/session.ts ViewColumn: the visible columns in display order
 * with width and pin; null: all columns, in the dataset's order, at the default width).
 *
 * The grid pins to the left only, so a column a session pinned 'right' comes back pinned left
 * rather than vanishing. Pure.
 */
import type { DatasetColumn } from '../../../../shared/api';
import type { ViewColumn } from '../../../../shared/session';
import { defaultLayout, type ColumnLayout } from './grid-features';

/** The session's schema bounds a width to 16–4000 px. */
const clampWidth = (w: number) => Math.min(4000, Math.max(16, Math.round(w)));

/** Visible columns in display order (pinned first), or null when the layout is the default. */
export function toViewColumns(
  layout: ColumnLayout,
  columns: readonly DatasetColumn[],
): ViewColumn[] | null {
  const known = new Set(columns.map((c) => c.name));
  // Before the columns are known (redacted view loading), keep what the layout names.
  const keep = (c: string) => known.size === 0 || known.has(c);
  const pinned = layout.pinning.start.filter(keep);
  const order = [
    ...layout.order.filter(keep),
    ...columns.map((c) => c.name).filter((c) => !layout.order.includes(c)),
  ];
  const display = [...pinned, ...order.filter((c) => !pinned.includes(c))];
  const visible = display.filter((c) => layout.visibility[c] !== false);
  const natural = columns.map((c) => c.name);
  const isDefault =
    pinned.length === 0 &&
    visible.length === display.length &&
    visible.every((c) => layout.sizing[c] === undefined) &&
    (known.size === 0 || visible.join('\u0000') === natural.join('\u0000'));
  if (isDefault) return null;
  return visible.map((c) => {
    const w = layout.sizing[c];
    return {
      column: c,
      width: w === undefined ? null : clampWidth(w),
      pinned: pinned.includes(c) ? 'left' : null,
    };
  });
}

/** The layout a session's column list describes over `columns` (unlisted columns are hidden). */
export function fromViewColumns(
  list: readonly ViewColumn[] | null,
  columns: readonly DatasetColumn[],
): ColumnLayout {
  if (list === null) return defaultLayout(columns);
  const listed = list.map((v) => v.column);
  const hidden = columns.map((c) => c.name).filter((c) => !listed.includes(c));
  const layout: ColumnLayout = {
    visibility: Object.fromEntries(hidden.map((c) => [c, false])),
    order: [...listed, ...hidden],
    pinning: { start: list.filter((v) => v.pinned !== null).map((v) => v.column), end: [] },
    sizing: {},
  };
  for (const v of list) if (v.width !== null) layout.sizing[v.column] = v.width;
  return layout;
}
