/**
 * The view the investigator is working in (dataset, filter, search, sort, columns, selection,
 * scroll) and the redaction policy on screen, shared by the views that need it: the Records
 * view publishes it as it changes, drill-downs and session restores publish what they open, the
 * Export view reads it for "the current filter", and the autosave (useSessionAutosave) and
 * "Save current view" turn it into a session draft.
 *
 * A tiny external store (useSyncExternalStore), scoped to one case: a state published for
 * another case is never returned. It holds the filter and search text, which may carry values an
 * investigator typed, so it lives in memory only and is cleared with `clearCurrentView()`.
 */
import { useSyncExternalStore } from 'react';
import type { ViewDraft } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import type { ViewColumn } from '../../../../shared/session';

export interface CurrentView {
  dataset: string;
  filter: FilterNode | null;
  search: string | null;
  sort: { column: string; desc: boolean }[];
  columns: ViewColumn[] | null;
  selected: { rowId: number } | null;
  scroll: { row: number; left: number };
}

export interface CurrentState {
  caseId: string;
  view: CurrentView | null;
  /** Name of the redaction policy in use (export view, redacted grid), or null. */
  policy: string | null;
  /** Where the view came from ("records", "overlaps", "session <name>"), for messages. */
  source: string;
  /** Bumped on every publish (autosave compares it). */
  version: number;
}

let state: CurrentState | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Defaults for the optional parts of a view. */
export function makeView(
  dataset: string,
  filter: FilterNode | null = null,
  rest: Partial<Omit<CurrentView, 'dataset' | 'filter'>> = {},
): CurrentView {
  return {
    dataset,
    filter,
    search: rest.search ?? null,
    sort: rest.sort ?? [],
    columns: rest.columns ?? null,
    selected: rest.selected ?? null,
    scroll: rest.scroll ?? { row: 0, left: 0 },
  };
}

/**
 * Publishes the view on screen for case `caseId` (the Records view calls this as it changes).
 * `policy`: the redaction policy that view shows (null: raw values); left out, the policy in use
 * stays as it was (a drill-down does not change it).
 */
export function publishCurrentView(
  caseId: string,
  view: CurrentView,
  source = 'records',
  policy?: string | null,
): void {
  const kept = state && state.caseId === caseId ? state.policy : null;
  state = {
    caseId,
    view,
    policy: policy === undefined ? kept : policy,
    source,
    version: (state?.version ?? 0) + 1,
  };
  emit();
}

/** Publishes the redaction policy in use for case `caseId`. */
export function publishActivePolicy(caseId: string, policy: string | null): void {
  if (state && state.caseId === caseId && state.policy === policy) return;
  const view = state && state.caseId === caseId ? state.view : null;
  const source = state && state.caseId === caseId ? state.source : 'export';
  state = { caseId, view, policy, source, version: (state?.version ?? 0) + 1 };
  emit();
}

export function clearCurrentView(): void {
  state = null;
  emit();
}

export function getCurrentState(caseId: string): CurrentState | null {
  return state && state.caseId === caseId ? state : null;
}

/** The current state of case `caseId`, re-rendering on every publish. */
export function useCurrentState(caseId: string): CurrentState | null {
  const s = useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
  return s && s.caseId === caseId ? s : null;
}

/** The session draft of one view (session.save / session.autosave input). */
export function toViewDraft(v: CurrentView): ViewDraft {
  return {
    dataset: v.dataset,
    filter: v.filter,
    search: v.search,
    sort: v.sort,
    columns: v.columns,
    selected: v.selected,
    scroll: v.scroll,
  };
}
