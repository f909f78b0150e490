/**
 * Scroll geometry of the records grid: millions of rows in a scroll box browsers can draw.
 *
 * Chromium caps an element's height near 33.5 million px and Firefox near 17.9 million; 10M rows
 * of 28 px need 280 million. Above `MAX_SCROLL_PX` the scrollbar is *scaled*: its position maps
 * linearly onto the first visible row (dragging the thumb to the bottom shows the last rows), and
 * the wheel and keys move by rows, not by scaled pixels (one wheel notch is still three rows).
 *
 * The row virtualizer (@tanstack/react-virtual) then works on a local window of rows around that
 * position (`LOCAL_ROWS`), so its per-item bookkeeping stays small whatever the total (measured:
 * 0.8 s and 215 MB for a 10M-item virtualizer, against a few ms here).
 *
 * Pure: no DOM.
 */

export const ROW_HEIGHT = 28;
export const MAX_SCROLL_PX = 8_000_000;
export const LOCAL_ROWS = 10_000;

export interface Geometry {
  total: number;
  rowHeight: number;
  /** Height of the rows' viewport (px). */
  viewport: number;
  /** Height of the scroll content (px), capped. */
  height: number;
  scaled: boolean;
  /** Highest first-visible row. */
  maxTop: number;
}

export function geometry(total: number, viewport: number, rowHeight = ROW_HEIGHT): Geometry {
  const real = total * rowHeight;
  const height = Math.min(real, MAX_SCROLL_PX);
  return {
    total,
    rowHeight,
    viewport,
    height,
    scaled: real > MAX_SCROLL_PX,
    maxTop: Math.max(0, total - viewport / rowHeight),
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** First visible row (fractional) for a scrollTop. */
export function topRowAt(g: Geometry, scrollTop: number): number {
  if (!g.scaled) return clamp(scrollTop / g.rowHeight, 0, g.maxTop);
  const maxScroll = Math.max(1, g.height - g.viewport);
  return clamp((scrollTop / maxScroll) * g.maxTop, 0, g.maxTop);
}

/** scrollTop that shows `topRow` first. */
export function scrollTopFor(g: Geometry, topRow: number): number {
  const row = clamp(topRow, 0, g.maxTop);
  if (!g.scaled) return row * g.rowHeight;
  const maxScroll = Math.max(1, g.height - g.viewport);
  return g.maxTop === 0 ? 0 : (row / g.maxTop) * maxScroll;
}

/** First row of the virtualizer's local window around `topRow`. */
export function localBase(total: number, topRow: number): number {
  if (total <= LOCAL_ROWS) return 0;
  const want = Math.floor(topRow) - LOCAL_ROWS / 2;
  return clamp(want, 0, total - LOCAL_ROWS);
}

/** Whether `topRow` is far enough from the middle of the window at `base` to move it. */
export function needsRebase(total: number, base: number, topRow: number): boolean {
  if (total <= LOCAL_ROWS) return base !== 0;
  const rel = topRow - base;
  const edge = LOCAL_ROWS / 4;
  return (rel < edge && base > 0) || (rel > LOCAL_ROWS - edge && base < total - LOCAL_ROWS);
}

/** Rows a wheel event moves (line and page modes converted; pixels to rows). */
export function wheelRows(deltaY: number, deltaMode: number, viewportRows: number): number {
  if (deltaMode === 1) return deltaY; // lines
  if (deltaMode === 2) return deltaY * viewportRows; // pages
  return deltaY / ROW_HEIGHT;
}
