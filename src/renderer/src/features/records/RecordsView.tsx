/**
 * The Records view (issue 9): one dataset's records in a virtualised grid paged from the query
 * engine, with a filter builder over the filter AST shown as plain-language chips, a global
 * full-text search that never blocks typing, sorting (with the offer to index a column first on a
 * big dataset), column layout, a redacted view through a policy, and the record detail pane
 * (values, provenance, matches in other datasets, tags and note).
 *
 * The whole view (dataset, filter, search, sort, column layout, open record, first row shown,
 * redacted view and its policy) is published as the current view (sessions/current-view.ts) for
 * "Save session" and the autosave, and comes back from a restored session's navigation request,
 * or from the current view when the investigator returns here from another view. The grid opens
 * at the first row shown then, for that same query (a changed query starts at the top).
 *
 * Parts: row-source.ts (paging and cache), RecordsGrid.tsx (table + virtual rows + keyboard),
 * FilterBuilder.tsx / filter-edit.ts, RecordDetail.tsx, ColumnsMenu.tsx, useSearch.ts,
 * view-columns.ts (layout <-> session columns), view-state.ts (opening and publishing the view).
 */
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { SortingState } from '@tanstack/react-table';
import type { DatasetColumn, PolicySummary, SortKey } from '../../../../shared/api';
import { describeFilter, type FilterNode } from '../../../../shared/filter';
import type { ViewColumn } from '../../../../shared/session';
import { useApi } from '../../api/context';
import { Check } from '../../components/Check';
import { FilterChips } from '../../components/FilterChips';
import { errorMessage } from '../../lib/errors';
import { useJob } from '../../lib/useJob';
import { useWorkspace } from '../../workspace/context';
import { getCurrentState, type CurrentView } from '../sessions/current-view';
import { ColumnsMenu } from './ColumnsMenu';
import { FilterBuilder } from './FilterBuilder';
import { addMember, members, orWithMember, removeMember } from './filter-edit';
import { defaultLayout, fromSorting, toSorting, type ColumnLayout } from './grid-features';
import { RecordDetail } from './RecordDetail';
import { RecordsGrid, type ActiveCell } from './RecordsGrid';
import { RowSource } from './row-source';
import { RecordsStatus } from './RecordsStatus';
import { useSearch } from './useSearch';
import { fromViewColumns, toViewColumns } from './view-columns';
import {
  initialScroll,
  initialView,
  publishView,
  queryKey,
  usePublishedView,
  type ScrollMark,
} from './view-state';

/** The engine indexes a sort column itself above this many rows (query/indexes.ts). */
export const SORT_INDEX_MIN_ROWS = 20_000;

/** The first row shown is published once scrolling pauses this long (not on every row). */
const SCROLL_PUBLISH_MS = 400;

interface ViewState {
  dataset: string;
  filter: FilterNode | undefined;
  search: string;
  sort: SortKey[];
  open: { rowId: number } | null;
}

export function RecordsView() {
  const api = useApi();
  const ws = useWorkspace();
  const titleId = useId();
  const searchId = useId();
  const caseId = ws.caseInfo.caseId;
  const datasets = ws.datasets;
  const dataset = datasets.find((d) => d.name === ws.dataset) ?? datasets[0] ?? null;
  const dsName = dataset?.name ?? '';

  const [initial] = useState(() => initialView(ws.peekRequest('records'), getCurrentState(caseId)));
  const iv = initial.view;
  const [filter, setFilter] = useState<FilterNode | undefined>(iv?.filter ?? undefined);
  const searchBox = useSearch(iv?.search ?? '');
  const [sort, setSort] = useState<SortKey[]>(iv?.sort ?? []);
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [policy, setPolicy] = useState<string>(initial.policy ?? '');
  const [redacted, setRedacted] = useState(Boolean(initial.policy));
  const [layouts, setLayouts] = useState<Record<string, ColumnLayout>>({});
  /** A restored column list, applied to its dataset (and policy) until the layout is changed. */
  const [restoredColumns] = useState<{ key: string; columns: ViewColumn[] } | null>(() =>
    iv?.columns ? { key: `${iv.dataset}|${initial.policy ?? ''}`, columns: iv.columns } : null,
  );
  /** The first row shown (once scrolling pauses), and the query it belongs to. */
  const [scroll, setScroll] = useState<ScrollMark>(() => initialScroll(initial));
  const [activeState, setActiveState] = useState<{ source: RowSource | null; cell: ActiveCell }>({
    source: null,
    cell: { row: 0, col: 0 },
  });
  const [open, setOpen] = useState<{ rowId: number } | null>(iv?.selected ?? null);
  const [builder, setBuilder] = useState<{ orWith: number | null } | null>(null);
  const [offer, setOffer] = useState<SortingState | null>(null);
  const [indexed, setIndexed] = useState<Record<string, true>>({});
  const [refresh, setRefresh] = useState(0);
  const [back, setBack] = useState<ViewState[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const indexJob = useJob('rows.index');

  // Policies for the redacted view.
  useEffect(() => {
    let live = true;
    api.client
      .call('policy.list', {})
      .then((r) => {
        if (!live) return;
        setPolicies(r.policies);
        setPolicy(
          (cur) =>
            cur ||
            (r.policies.find((p) => p.name === 'share-with-authority') ?? r.policies[0])?.name ||
            '',
        );
      })
      .catch(() => live && setPolicies([]));
    return () => {
      live = false;
    };
  }, [api]);

  const activePolicy = redacted && policy ? policy : null;
  const search = searchBox.search;
  const knownTotal =
    dataset && !filter && !search && dataset.status === 'ready' ? dataset.rows : null;
  const key = queryKey({ dataset: dsName, filter, search, sort, policy: activePolicy });

  const { source, startRow, startLeft } = useMemo(
    () => ({
      source: new RowSource({
        query: { dataset: dsName, filter, search: search || undefined, sort, policy: activePolicy },
        fetchPage: (input) => api.client.call('rows.query', input),
        count: (input) => api.client.call('rows.count', input),
        knownTotal,
      }),
      // Where its grid opens: the first row last shown for this query (a restored session, a
      // return to this view, a refresh), read when the source is made; else the top.
      startRow: scroll.key === key ? scroll.row : 0,
      startLeft: scroll.key === key ? scroll.left : 0,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refresh: re-run the same query; scroll: read once
    [api, dsName, filter, search, sort, activePolicy, knownTotal, key, refresh],
  );
  // Answers for a replaced query are dropped (not on unmount: StrictMode remounts).
  const prevSource = useRef<RowSource | null>(null);
  useEffect(() => {
    if (prevSource.current && prevSource.current !== source) prevSource.current.dispose();
    prevSource.current = source;
  }, [source]);
  // The active cell belongs to a query: a new one starts at the first row it shows.
  const active: ActiveCell =
    activeState.source === source ? activeState.cell : { row: startRow, col: activeState.cell.col };
  const setActive = useCallback((cell: ActiveCell) => setActiveState({ source, cell }), [source]);

  // Columns: the dataset's, or what the policy outputs in the redacted view.
  const redaction = useSyncExternalStore(source.subscribe, () => source.status.redaction);
  const rawColumns = dataset?.columns;
  const columns = useMemo<DatasetColumn[]>(() => {
    if (activePolicy && redaction) {
      return redaction.columns
        .filter((c) => c.output !== null)
        .map((c) => ({ name: c.output!, path: c.path }));
    }
    return rawColumns ?? [];
  }, [activePolicy, redaction, rawColumns]);
  const layoutKey = `${dsName}|${activePolicy ?? ''}`;
  const restored = restoredColumns?.key === layoutKey ? restoredColumns.columns : null;
  const edited = layouts[layoutKey];
  const layout = useMemo(
    () => edited ?? fromViewColumns(restored, columns),
    [edited, restored, columns],
  );
  const onLayout = useCallback(
    (update: (l: ColumnLayout) => ColumnLayout) =>
      setLayouts((all) => ({
        ...all,
        [layoutKey]: update(all[layoutKey] ?? fromViewColumns(restored, columns)),
      })),
    [layoutKey, restored, columns],
  );

  // The request that opened this view (its filter and view were read above): clear it, and find
  // a restored record by ordinal when its row id is not known here (a session from another case).
  const took = useRef(false);
  useEffect(() => {
    if (took.current) return;
    took.current = true;
    const req = ws.takeRequest('records');
    if (iv && iv.dataset && iv.dataset !== ws.dataset) ws.setDataset(iv.dataset);
    if (!req) return;
    if (req.record !== undefined && req.dataset && !req.view?.selected) {
      const ordinal = req.record;
      api.client
        .call('rows.query', {
          dataset: req.dataset,
          filter: { provenance: 'ordinal', min: ordinal, max: ordinal },
          limit: 1,
          countMode: 'none',
        })
        .then((r) => {
          const row = r.rows[0];
          if (row) setOpen({ rowId: row.id });
        })
        .catch((e: unknown) => setNotice(errorMessage(e)));
    }
  }, [api, ws, iv]);

  // The view on screen, published for "Save session" and the autosave.
  const viewColumns = edited ? toViewColumns(edited, columns) : restored;
  const scrollTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Latest first row and horizontal scroll; published together once scrolling pauses.
  const viewport = useRef({ row: 0, left: 0 });
  const publishScroll = useCallback(() => {
    clearTimeout(scrollTimer.current);
    scrollTimer.current = setTimeout(() => {
      scrollTimer.current = undefined;
      setScroll({ key, ...viewport.current });
    }, SCROLL_PUBLISH_MS);
  }, [key]);
  // Leaving the view before scrolling paused: publish where it is now, or it would be lost.
  const flushScroll = useRef<() => void>(() => undefined);
  /** Cancels a publish still waiting for scrolling to pause; true if there was one. */
  const takePendingScroll = () => {
    if (scrollTimer.current === undefined) return false;
    clearTimeout(scrollTimer.current);
    scrollTimer.current = undefined;
    return true;
  };
  useEffect(
    () => () => {
      if (takePendingScroll()) flushScroll.current();
    },
    [],
  );
  // A new query before scrolling paused: the old one's position is where the grid was left (a
  // filter removed soon after brings the grid back there, not to an older position).
  useEffect(
    () => () => {
      if (takePendingScroll()) setScroll({ key, ...viewport.current });
    },
    [key],
  );
  const onViewport = useCallback(
    (first: number) => {
      viewport.current.row = first;
      publishScroll();
    },
    [publishScroll],
  );
  const onScrollLeft = useCallback(
    (left: number) => {
      viewport.current.left = left;
      publishScroll();
    },
    [publishScroll],
  );
  // A row shown for another query does not describe this one.
  const scrollRow = scroll.key === key ? scroll.row : 0;
  const scrollLeft = scroll.key === key ? scroll.left : 0;
  const shown = useMemo<CurrentView | null>(
    () =>
      dsName
        ? {
            dataset: dsName,
            filter: filter ?? null,
            search: search || null,
            sort,
            columns: viewColumns,
            selected: open,
            scroll: { row: scrollRow, left: scrollLeft },
          }
        : null,
    [dsName, filter, search, sort, viewColumns, open, scrollRow, scrollLeft],
  );
  usePublishedView(caseId, shown, activePolicy);
  useEffect(() => {
    flushScroll.current = () =>
      publishView(caseId, shown && { ...shown, scroll: { ...viewport.current } }, activePolicy);
  });

  // Ctrl+F focuses the search box (the browser's find cannot see virtualised rows).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const changeDataset = (name: string) => {
    ws.setDataset(name);
    setFilter(undefined);
    setSort([]);
    setOpen(null);
    setBack([]);
    searchBox.reset('');
  };

  // Sorting: on a big dataset, a column's first sort builds its index; offer it explicitly.
  const applySort = useCallback((next: SortingState) => {
    setSort(fromSorting(next));
    setOffer(null);
  }, []);
  const onSortRequest = (next: SortingState) => {
    const firstCol = next[0]?.id;
    const current = sort[0]?.column;
    const big = (dataset?.rows ?? 0) >= SORT_INDEX_MIN_ROWS;
    if (!firstCol || firstCol === current || !big || indexed[`${dsName}|${firstCol}`]) {
      applySort(next);
      return;
    }
    setOffer(next);
  };
  useEffect(() => {
    const r = indexJob.result;
    if (!r || !offer) return;
    // The index job finished (an external system): remember the index, then sort.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setIndexed((m) => ({ ...m, [`${dsName}|${r.column}`]: true }));
    applySort(offer);
    indexJob.reset();
  }, [indexJob, offer, dsName, applySort]);
  // A sorted page that built the index says so: remember it.
  useEffect(() => {
    const col = sort[0]?.column;
    if (!col) return;
    return source.subscribe(() => {
      if (source.status.notes.some((n) => n.includes('index') && !n.includes('without'))) {
        setIndexed((m) => (m[`${dsName}|${col}`] ? m : { ...m, [`${dsName}|${col}`]: true }));
      }
    });
  }, [source, sort, dsName]);

  const openRow = (index: number) => {
    const rec = source.get(index);
    if (rec) setOpen({ rowId: rec.id });
  };
  const closeDetail = () => {
    setOpen(null);
    gridRef.current?.focus({ preventScroll: true });
  };

  const openMatch = (m: { dataset: string; rowId: number; ordinal: number }) => {
    setBack((b) => [...b, { dataset: dsName, filter, search, sort, open }]);
    ws.setDataset(m.dataset);
    setFilter({ provenance: 'ordinal', min: m.ordinal, max: m.ordinal });
    setSort([]);
    searchBox.reset('');
    setOpen({ rowId: m.rowId });
  };
  const goBack = () => {
    const prev = back[back.length - 1];
    if (!prev) return;
    setBack((b) => b.slice(0, -1));
    ws.setDataset(prev.dataset);
    setFilter(prev.filter);
    setSort(prev.sort);
    searchBox.reset(prev.search);
    setOpen(prev.open);
  };

  const usesMarks = members(filter).some((m) => JSON.stringify(m).match(/"(tag|hasNote)"/));

  if (!dataset) {
    return (
      <section aria-labelledby={titleId}>
        <div className="screen-head">
          <h1 id={titleId}>Records</h1>
        </div>
        <p className="muted">No dataset in this case yet: import a file first.</p>
      </section>
    );
  }

  const openRecord = open ? source.get(source.indexOfRowId(open.rowId) ?? -1) : undefined;
  const sortedBig = offer?.[0]?.id;

  return (
    <section className="records" aria-labelledby={titleId}>
      <div className="rv-bar">
        <h1 id={titleId}>Records</h1>
        <label className="rv-ds">
          <span className="visually-hidden">Dataset</span>
          <select value={dsName} onChange={(e) => changeDataset(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.id} value={d.name}>
                {d.name} ({d.rows.toLocaleString('en-US')})
              </option>
            ))}
          </select>
        </label>
        <div className="rv-search" role="search">
          <label htmlFor={searchId} className="visually-hidden">
            Search all columns
          </label>
          <input
            id={searchId}
            ref={searchRef}
            type="search"
            placeholder="Search all columns (Ctrl+F)"
            aria-keyshortcuts="Control+F"
            value={searchBox.text}
            onChange={(e) => searchBox.setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && searchBox.text) {
                e.preventDefault();
                searchBox.reset('');
              } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                e.preventDefault();
                gridRef.current?.focus();
              }
            }}
            maxLength={500}
          />
          {searchBox.pending ? (
            <span className="rv-pending small muted" aria-hidden="true">
              …
            </span>
          ) : null}
        </div>
        <button
          type="button"
          className="secondary"
          aria-expanded={builder !== null}
          onClick={() => setBuilder(builder ? null : { orWith: null })}
        >
          Filter…
        </button>
        <ColumnsMenu
          columns={columns}
          layout={layout}
          onLayout={onLayout}
          onReset={() => onLayout(() => defaultLayout(columns))}
        />
        <div className="rv-redact">
          <Check
            checked={redacted}
            disabled={policies.length === 0}
            onChange={setRedacted}
            className="fb-check"
          >
            Redacted view
          </Check>
          <label>
            <span className="visually-hidden">Redaction policy</span>
            <select
              value={policy}
              onChange={(e) => setPolicy(e.target.value)}
              disabled={policies.length === 0}
            >
              {policies.map((p) => (
                <option key={p.name} value={p.name} title={p.description}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {back.length ? (
          <button type="button" className="secondary" onClick={goBack}>
            ← Back to {back[back.length - 1]!.dataset}
          </button>
        ) : null}
      </div>

      <FilterChips
        filter={filter}
        columns={rawColumns}
        onRemove={(i) => setFilter((f) => removeMember(f, i))}
        action={{
          label: 'or…',
          title: (t) => `Widen “${t}” with an alternative (OR)`,
          run: (i) => setBuilder({ orWith: i }),
        }}
        emptyText={`All ${dataset.rows.toLocaleString('en-US')} records of ${dsName}`}
      />
      {builder ? (
        <FilterBuilder
          columns={rawColumns ?? []}
          datasets={datasets}
          dataset={dsName}
          orWith={builder.orWith !== null ? chipText(filter, builder.orWith, rawColumns) : null}
          onAdd={(node) => {
            setFilter((f) =>
              builder.orWith !== null ? orWithMember(f, builder.orWith, node) : addMember(f, node),
            );
            if (builder.orWith !== null) setBuilder({ orWith: null });
          }}
          onCancel={() => setBuilder(null)}
        />
      ) : null}

      {offer && sortedBig ? (
        <div className="notice rv-offer" role="alertdialog" aria-label="Index this column?">
          <p>
            Sorting {dataset.rows.toLocaleString('en-US')} records by <strong>{sortedBig}</strong>{' '}
            needs an index of that column: built once and kept in the case (about a minute per 10
            million records). Until then the sort would hold the query engine.
          </p>
          {indexJob.running ? (
            <p role="status">
              Indexing {sortedBig}… {indexJob.status?.progress?.step ?? ''}
              <button type="button" className="secondary" onClick={() => void indexJob.cancel()}>
                Cancel
              </button>
            </p>
          ) : (
            <div className="actions">
              <button
                type="button"
                onClick={() => void indexJob.start({ dataset: dsName, column: sortedBig })}
              >
                Index this column and sort
              </button>
              <button type="button" className="secondary" onClick={() => setOffer(null)}>
                Cancel
              </button>
            </div>
          )}
          {indexJob.error ? <p className="alert">{indexJob.error}</p> : null}
        </div>
      ) : null}
      {notice ? <p className="alert">{notice}</p> : null}

      <div className={`rv-main${open ? ' with-detail' : ''}`}>
        <RecordsGrid
          source={source}
          columns={columns}
          layout={layout}
          onLayout={onLayout}
          sorting={toSorting(sort)}
          onSortRequest={onSortRequest}
          active={active}
          onActive={setActive}
          onOpen={openRow}
          onEscape={() => (open ? closeDetail() : undefined)}
          openRowId={open?.rowId ?? null}
          redacted={activePolicy !== null}
          label={`Records of ${dsName}`}
          onViewport={onViewport}
          onScrollLeft={onScrollLeft}
          startRow={startRow}
          startLeft={startLeft}
          gridRef={gridRef}
        />
        {open ? (
          <div
            className="rv-detail"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                closeDetail();
              }
            }}
          >
            <RecordDetail
              key={`${dsName}:${open.rowId}`}
              dataset={dsName}
              rowId={open.rowId}
              record={openRecord}
              columns={columns}
              redacted={activePolicy !== null}
              onClose={closeDetail}
              onOpenMatch={openMatch}
              onMarksChanged={() => usesMarks && setRefresh((n) => n + 1)}
            />
          </div>
        ) : null}
      </div>
      <RecordsStatus source={source} policy={activePolicy} active={active} />
    </section>
  );
}

function chipText(
  filter: FilterNode | undefined,
  i: number,
  columns: readonly DatasetColumn[] | undefined,
): string | null {
  const m = members(filter)[i];
  return m ? describeFilter(m, columns) : null;
}
