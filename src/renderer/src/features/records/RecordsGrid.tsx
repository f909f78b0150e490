/**
 * The records grid (issue 9): TanStack Table v9 for the column model (order, visibility, pinning,
 * sizing, resizing, sort state — manual mode, the engine sorts) and TanStack Virtual for the rows,
 * over a RowSource that pages from the query engine. Only the rows in view (plus a small overscan)
 * are in the DOM, whatever the total; the scrollbar is scaled above a few hundred thousand rows
 * (scroll-geometry.ts) so dragging it to the bottom shows the last records.
 *
 * Keyboard (ARIA grid pattern): arrows move the active cell, PageUp/PageDown by a screen, Home/End
 * to the first/last column, Ctrl+Home/Ctrl+End to the first/last record, Enter opens the record,
 * Escape closes it. Focus stays on the grid (aria-activedescendant), so rows can come and go.
 *
 * A new source starts at `startRow` (a restored session's first row shown, else 0), once its total
 * is known: the position is exact for a whole dataset in import order, an estimate otherwise.
 */
import { useTable, type SortingState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { flushSync } from 'react-dom';
import type { DatasetColumn } from '../../../../shared/api';
import {
  gridColumns,
  gridFeatures,
  type ColumnLayout,
  type GridFeatures,
  type GridRow,
} from './grid-features';
import type { RowSource } from './row-source';
import {
  geometry,
  LOCAL_ROWS,
  localBase,
  needsRebase,
  ROW_HEIGHT,
  scrollTopFor,
  topRowAt,
  wheelRows,
} from './scroll-geometry';

export const HEADER_HEIGHT = 34;
/** Viewport used before layout (and in DOM-less tests): about 20 rows. */
const FALLBACK_VIEWPORT = 20 * ROW_HEIGHT;

export interface ActiveCell {
  row: number;
  col: number;
}

export interface RecordsGridProps {
  source: RowSource;
  columns: readonly DatasetColumn[];
  layout: ColumnLayout;
  onLayout(update: (l: ColumnLayout) => ColumnLayout): void;
  sorting: SortingState;
  onSortRequest(next: SortingState): void;
  active: ActiveCell;
  onActive(a: ActiveCell): void;
  onOpen(row: number): void;
  onEscape(): void;
  /** Row id of the record shown in the detail pane (highlighted). */
  openRowId: number | null;
  redacted: boolean;
  label: string;
  /** Tells the view which rows are on screen (status line, sessions). */
  onViewport?(first: number, last: number): void;
  /**
   * First row to show when `source` changes (read then only; later changes wait for the next
   * source). Clamped to the rows there are.
   */
  startRow?: number;
  /** Horizontal scroll to restore with `startRow` (a restored session's); 0 keeps the current. */
  startLeft?: number;
  /** The horizontal scroll changed (published with the first row, for sessions). */
  onScrollLeft?(left: number): void;
  gridRef?: React.RefObject<HTMLDivElement | null>;
}

function apply<T>(u: Updater<T>, old: T): T {
  return typeof u === 'function' ? (u as (o: T) => T)(old) : u;
}

export function RecordsGrid(props: RecordsGridProps) {
  const { source, layout, onLayout, active } = props;
  const version = useSyncExternalStore(source.subscribe, source.getVersion);
  const total = source.status.total ?? 0;
  const ownRef = useRef<HTMLDivElement>(null);
  const scrollRef = props.gridRef ?? ownRef;
  const gridId = useId().replace(/[^a-zA-Z0-9_-]/g, '');

  // Viewport height, from layout (ResizeObserver) or the fallback.
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      const h = el.clientHeight - HEADER_HEIGHT;
      setViewport(h > ROW_HEIGHT ? h : FALLBACK_VIEWPORT);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef]);

  const g = useMemo(() => geometry(total, viewport), [total, viewport]);
  const gRef = useRef(g);
  gRef.current = g;
  const visibleRows = Math.max(1, Math.floor(viewport / ROW_HEIGHT));

  // The first visible row (fractional) is the truth; scrollTop follows it when scaled.
  const [topRow, setTopRowState] = useState(0);
  const topRef = useRef(0);
  const programmatic = useRef<number | null>(null);
  const [base, setBase] = useState(0);

  const setTopRow = useCallback(
    (row: number, syncScroll: boolean) => {
      const geo = gRef.current;
      const t = Math.min(Math.max(0, row), geo.maxTop);
      topRef.current = t;
      setTopRowState(t);
      setBase((b) => (needsRebase(geo.total, b, t) ? localBase(geo.total, t) : b));
      const el = scrollRef.current;
      if (syncScroll && el) {
        el.scrollTop = scrollTopFor(geo, t);
        programmatic.current = el.scrollTop;
      }
    },
    [scrollRef],
  );

  // A new query (source) starts at the top, or at its start row once its total is known.
  const startRef = useRef({ row: 0, left: 0 });
  startRef.current = { row: props.startRow ?? 0, left: props.startLeft ?? 0 };
  const pendingStart = useRef<number | null>(null);
  const pendingLeft = useRef(0);
  /** The horizontal scroll last seen, and who is told when it changes. */
  const lastLeft = useRef(0);
  const onScrollLeft = useRef(props.onScrollLeft);
  onScrollLeft.current = props.onScrollLeft;
  useLayoutEffect(() => {
    topRef.current = 0;
    setTopRowState(0);
    setBase(0);
    const el = scrollRef.current;
    if (el) el.scrollTop = 0;
    pendingStart.current = startRef.current.row > 0 ? startRef.current.row : null;
    pendingLeft.current = startRef.current.left;
  }, [source, scrollRef]);
  const totalKnown = source.status.total !== null;
  useLayoutEffect(() => {
    if (!totalKnown) return;
    // The columns are laid out once rows arrive (the redacted view's come with the first page).
    const el = scrollRef.current;
    if (pendingLeft.current > 0 && el) {
      el.scrollLeft = pendingLeft.current;
      lastLeft.current = el.scrollLeft;
      pendingLeft.current = 0;
    }
    const row = pendingStart.current;
    if (row === null) return;
    pendingStart.current = null;
    setTopRow(row, true);
  }, [source, totalKnown, setTopRow, scrollRef]);

  // Total changed (estimate refined): keep the first row inside the new range.
  useLayoutEffect(() => {
    if (topRef.current > g.maxTop) setTopRow(g.maxTop, true);
    else
      setBase((b) =>
        needsRebase(g.total, b, topRef.current) ? localBase(g.total, topRef.current) : b,
      );
  }, [g, setTopRow]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (el.scrollLeft !== lastLeft.current) {
      lastLeft.current = el.scrollLeft;
      onScrollLeft.current?.(el.scrollLeft);
    }
    const p = programmatic.current;
    if (p !== null && Math.abs(el.scrollTop - p) < 2) return;
    programmatic.current = null;
    const t = topRowAt(gRef.current, el.scrollTop);
    flushSync(() => setTopRow(t, false));
  }, [scrollRef, setTopRow]);

  // Scaled scrollbar: the wheel moves rows, not scaled pixels (non-passive listener).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const geo = gRef.current;
      if (!geo.scaled || e.deltaY === 0 || e.ctrlKey) return;
      e.preventDefault();
      if (e.deltaX) el.scrollLeft += e.deltaX;
      const rows = wheelRows(e.deltaY, e.deltaMode, Math.floor(geo.viewport / ROW_HEIGHT));
      flushSync(() => setTopRow(topRef.current + rows, true));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [scrollRef, setTopRow]);

  // Rows on screen -> the source fetches them (and those around).
  const first = Math.floor(topRow);
  const last = Math.min(total - 1, first + visibleRows);
  useEffect(() => {
    // A newer first row is on its way (the start row was just applied): nothing to fetch here.
    if (Math.floor(topRef.current) !== first) return;
    source.ensure(first, Math.max(first, last));
    // The top shown while waiting for the start row is not where the view is.
    if (pendingStart.current === null) props.onViewport?.(first, last);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onViewport is a notification
  }, [source, first, last]);

  // The virtualizer works on a local window of rows; offset and size are set each render.
  const localCount = Math.min(total, LOCAL_ROWS);
  const virtualizer = useVirtualizer({
    count: localCount,
    estimateSize: () => ROW_HEIGHT,
    getScrollElement: () => scrollRef.current,
    getItemKey: (i) => base + i,
    overscan: 4,
    initialRect: { width: 1200, height: viewport },
    observeElementRect: () => undefined,
    observeElementOffset: () => undefined,
    scrollToFn: () => undefined,
    useFlushSync: false,
  });
  const localOffset = (topRow - base) * ROW_HEIGHT;
  virtualizer.scrollRect = { width: 1200, height: viewport };
  virtualizer.scrollOffset = localOffset;
  const items = virtualizer.getVirtualItems();

  // Table data: the rows in view only (stable between renders that show the same rows).
  const firstItem = items[0]?.index ?? 0;
  const lastItem = items[items.length - 1]?.index ?? -1;
  const data = useMemo<GridRow[]>(() => {
    const out: GridRow[] = [];
    for (let i = firstItem; i <= lastItem; i++) {
      const index = base + i;
      out.push({ index, record: source.get(index) });
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version: the source's rows changed
  }, [source, base, firstItem, lastItem, version]);

  const columns = useMemo(() => gridColumns(props.columns), [props.columns]);

  const table = useTable({
    features: gridFeatures,
    columns,
    data,
    getRowId: (r) => String(r.index),
    manualSorting: true,
    enableMultiSort: true,
    maxMultiSortColCount: 3,
    isMultiSortEvent: (e) => (e as { shiftKey?: boolean }).shiftKey === true,
    columnResizeMode: 'onChange',
    state: {
      columnVisibility: layout.visibility,
      columnOrder: layout.order,
      columnPinning: layout.pinning,
      columnSizing: layout.sizing,
      sorting: props.sorting,
    },
    onColumnVisibilityChange: (u) =>
      onLayout((l) => ({ ...l, visibility: apply(u, l.visibility) })),
    onColumnOrderChange: (u) => onLayout((l) => ({ ...l, order: apply(u, l.order) })),
    onColumnPinningChange: (u) => onLayout((l) => ({ ...l, pinning: apply(u, l.pinning) })),
    onColumnSizingChange: (u) => onLayout((l) => ({ ...l, sizing: apply(u, l.sizing) })),
    onSortingChange: (u) => props.onSortRequest(apply(u, props.sorting)),
  });

  const headers = [
    ...(table.getStartHeaderGroups()[0]?.headers ?? []),
    ...(table.getCenterHeaderGroups()[0]?.headers ?? []),
  ];
  const colCount = headers.length;
  const width = table.getTotalSize();
  const rows = table.getRowModel().rows;

  const cellId = (row: number, col: number) => `${gridId}-r${row}-c${col}`;

  // Keep the active cell on screen.
  const reveal = useCallback(
    (row: number) => {
      const t = topRef.current;
      const rowsOnScreen = Math.max(1, Math.floor(gRef.current.viewport / ROW_HEIGHT));
      if (row < t) setTopRow(row, true);
      else if (row > t + rowsOnScreen - 1) setTopRow(row - rowsOnScreen + 1, true);
    },
    [setTopRow],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    if (total === 0) return;
    const mod = e.ctrlKey || e.metaKey;
    let { row, col } = active;
    switch (e.key) {
      case 'ArrowDown':
        row++;
        break;
      case 'ArrowUp':
        row--;
        break;
      case 'ArrowRight':
        col++;
        break;
      case 'ArrowLeft':
        col--;
        break;
      case 'PageDown':
        row += visibleRows - 1;
        break;
      case 'PageUp':
        row -= visibleRows - 1;
        break;
      case 'Home':
        if (mod) row = 0;
        else col = 0;
        break;
      case 'End':
        if (mod) row = total - 1;
        else col = colCount - 1;
        break;
      case 'Enter':
        e.preventDefault();
        props.onOpen(active.row);
        return;
      case 'Escape':
        props.onEscape();
        return;
      default:
        return;
    }
    e.preventDefault();
    row = Math.min(Math.max(0, row), total - 1);
    col = Math.min(Math.max(0, col), Math.max(0, colCount - 1));
    props.onActive({ row, col });
    reveal(row);
  };

  const pinnedStyle = (pinned: false | string, start: number, extra?: CSSProperties) =>
    pinned === 'start'
      ? ({ position: 'sticky', left: start, zIndex: 2, ...extra } as CSSProperties)
      : extra;

  const activeVisible = active.row >= base + firstItem && active.row <= base + lastItem;

  return (
    <div
      ref={scrollRef}
      className={`rg-scroll${props.redacted ? ' redacted' : ''}`}
      role="grid"
      aria-label={props.label}
      aria-rowcount={total + 1}
      aria-colcount={colCount}
      aria-activedescendant={activeVisible && colCount ? cellId(active.row, active.col) : undefined}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      data-total={total}
      data-top-row={Math.floor(topRow)}
    >
      <div className="rg-head" role="rowgroup" style={{ width, height: HEADER_HEIGHT }}>
        <div className="rg-row" role="row" aria-rowindex={1}>
          {headers.map((h, c) => {
            const col = h.column;
            const sorted = col.getIsSorted();
            const sortIndex = props.sorting.length > 1 ? col.getSortIndex() : -1;
            const pinned = col.getIsPinned();
            return (
              <div
                key={h.id}
                role="columnheader"
                aria-colindex={c + 1}
                aria-sort={
                  sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                }
                className={`rg-th${pinned ? ' pinned' : ''}${c === active.col ? ' active-col' : ''}`}
                style={pinnedStyle(pinned, col.getStart('start'), { width: h.getSize() })}
              >
                <button
                  type="button"
                  className="rg-sort"
                  title={`Sort by ${col.id} (Shift: add to the sort)`}
                  onClick={col.getToggleSortingHandler()}
                  tabIndex={-1}
                >
                  <span className="rg-th-name">{col.id}</span>
                  {sorted ? (
                    <span className="rg-sort-mark" aria-hidden="true">
                      {sorted === 'asc' ? '▲' : '▼'}
                      {sortIndex >= 0 ? sortIndex + 1 : ''}
                    </span>
                  ) : null}
                </button>
                <div
                  className={`rg-resize${col.getIsResizing() ? ' resizing' : ''}`}
                  aria-hidden="true"
                  onMouseDown={h.getResizeHandler()}
                  onTouchStart={h.getResizeHandler()}
                  onDoubleClick={() => col.resetSize()}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div
        className="rg-body"
        role="rowgroup"
        style={{ width, height: viewport, top: HEADER_HEIGHT }}
        data-testid="records-rows"
      >
        {items.map((item, k) => {
          const index = base + item.index;
          const row = rows[k];
          const record = row?.original.record;
          const top = item.start - localOffset;
          const isActive = index === active.row;
          const cells = row ? [...row.getStartVisibleCells(), ...row.getCenterVisibleCells()] : [];
          return (
            <div
              key={index}
              role="row"
              aria-rowindex={index + 2}
              className={`rg-row${record ? '' : ' loading'}${isActive ? ' active' : ''}${
                record && record.id === props.openRowId ? ' open' : ''
              }${index % 2 ? ' odd' : ''}`}
              style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT, width }}
              data-index={index}
              onClick={(e) => {
                const c = Number(
                  (e.target as HTMLElement).closest('[data-col]')?.getAttribute('data-col') ??
                    active.col,
                );
                props.onActive({ row: index, col: c });
                scrollRef.current?.focus({ preventScroll: true });
              }}
              onDoubleClick={() => props.onOpen(index)}
            >
              {cells.map((cell, c) => {
                const v = record ? (cell.getValue() as string | null) : undefined;
                const pinned = cell.column.getIsPinned();
                return (
                  <div
                    key={cell.id}
                    id={cellId(index, c)}
                    role="gridcell"
                    aria-colindex={c + 1}
                    data-col={c}
                    className={`rg-td${pinned ? ' pinned' : ''}${isActive && c === active.col ? ' active-cell' : ''}${
                      v === null ? ' null' : ''
                    }`}
                    style={pinnedStyle(pinned, cell.column.getStart('start'), {
                      width: cell.column.getSize(),
                    })}
                    title={v ?? undefined}
                  >
                    {record ? (v ?? '') : '…'}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      <div className="rg-spacer" style={{ height: Math.max(0, g.height - viewport), width }} />
    </div>
  );
}

export type { GridFeatures };
