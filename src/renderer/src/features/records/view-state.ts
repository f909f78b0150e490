/**
 * The Records view and the current view (sessions/current-view.ts): what the view opens with (a
 * restored session, a drill-down, or the view left open before switching away), and publishing
 * what it shows as it changes, for "Save session" and the autosave.
 */
import { useEffect } from 'react';
import type { SortKey } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import type { NavRequest } from '../../workspace/context';
import {
  getCurrentState,
  makeView,
  publishCurrentView,
  type CurrentState,
  type CurrentView,
} from '../sessions/current-view';

/**
 * What the view opens with: a restored session's whole view (request `view`), a drill-down's
 * filter, or else the view left open before switching away. `policy`: the redacted view's policy
 * (null: raw values; undefined: not said, the default).
 */
export function initialView(
  req: NavRequest | null,
  current: CurrentState | null,
): { view: CurrentView | null; policy: string | null | undefined } {
  if (req?.view) return { view: req.view, policy: req.policy ?? null };
  if (req)
    return { view: req.filter ? makeView(req.dataset ?? '', req.filter) : null, policy: undefined };
  return current?.view
    ? { view: current.view, policy: current.policy }
    : { view: null, policy: undefined };
}

/** The grid's query (rows.query without paging): what a first row shown belongs to. */
export interface GridQuery {
  dataset: string;
  filter: FilterNode | null | undefined;
  /** The committed search (trimmed), '' for none. */
  search: string;
  sort: readonly SortKey[];
  policy: string | null;
}

export function queryKey(q: GridQuery): string {
  return JSON.stringify([q.dataset, q.filter ?? null, q.search, q.sort, q.policy]);
}

/** The first row shown, the horizontal scroll, and the query (`queryKey`) they belong to. */
export interface ScrollMark {
  key: string;
  row: number;
  left: number;
}

/** Where the grid opens: the saved first row, for the saved query only. */
export function initialScroll(init: ReturnType<typeof initialView>): ScrollMark {
  const v = init.view;
  if (!v) return { key: '', row: 0, left: 0 };
  const key = queryKey({
    dataset: v.dataset,
    filter: v.filter,
    search: (v.search ?? '').trim(),
    sort: v.sort,
    // As the view reads it: no policy (or an empty one) is the raw view.
    policy: init.policy || null,
  });
  return { key, row: v.scroll.row, left: v.scroll.left };
}

/** Nothing chosen yet: not worth replacing the autosaved last session with. */
function isBlank(v: CurrentView, policy: string | null): boolean {
  return (
    !v.filter &&
    !v.search &&
    v.sort.length === 0 &&
    v.columns === null &&
    v.selected === null &&
    v.scroll.row === 0 &&
    policy === null
  );
}

/**
 * Publishes the view on screen whenever it differs from the current view; a blank view is not
 * published before anything was (merely opening Records keeps the autosaved last session).
 */
export function usePublishedView(
  caseId: string,
  shown: CurrentView | null,
  policy: string | null,
): void {
  useEffect(() => publishView(caseId, shown, policy), [caseId, shown, policy]);
}

/** Publishes the view on screen, unless it is what is published already or still blank. */
export function publishView(caseId: string, shown: CurrentView | null, policy: string | null) {
  if (!shown) return;
  const now = getCurrentState(caseId);
  if (!now && isBlank(shown, policy)) return;
  if (now && now.policy === policy && JSON.stringify(now.view) === JSON.stringify(shown)) return;
  publishCurrentView(caseId, shown, 'records', policy);
}
