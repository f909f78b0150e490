/**
 * Turning an opened session (session.get / session.last) into what the UI opens: the active
 * view's dataset as found in this case (by id here, by source SHA-256 elsewhere: the engine's
 * `matches`), its filter, search, sort, columns, selection and scroll, and the policy. Pure.
 */
import type { OpenedSession } from '../../../../shared/api';
import type { NavRequest } from '../../workspace/context';
import type { CurrentView } from './current-view';

export type RestoreTarget =
  | {
      ok: true;
      dataset: string;
      view: CurrentView;
      policy: string | null;
      request: NavRequest;
    }
  | { ok: false; message: string };

export function restoreTarget(opened: OpenedSession, caseId: string): RestoreTarget {
  const doc = opened.document;
  const v = doc.views[doc.activeView];
  if (!v) return { ok: false, message: `“${opened.name || 'last session'}” has no view to open.` };
  const match = opened.matches.find((m) => m.key === v.dataset);
  const local = match?.local ?? null;
  if (!local) {
    const saved = doc.datasets.find((d) => d.key === v.dataset);
    const file = saved?.fileName ? ` (source file ${saved.fileName})` : '';
    return {
      ok: false,
      message:
        match?.warning ??
        `Dataset “${saved?.name ?? v.dataset}”${file} is not in this case: import it, then open the session again.`,
    };
  }
  // Row ids are local to the case that saved the session; elsewhere the ordinal stands.
  const sameCase = doc.caseId === caseId;
  const rowId = sameCase ? (v.selected?.rowId ?? null) : null;
  const view: CurrentView = {
    dataset: local.name,
    filter: v.filter,
    search: v.search,
    sort: v.sort,
    columns: v.columns,
    selected: rowId !== null ? { rowId } : null,
    scroll: v.scroll,
  };
  const request: NavRequest = {
    dataset: local.name,
    ...(v.filter ? { filter: v.filter } : {}),
    ...(v.selected ? { record: v.selected.ordinal } : {}),
    ...(opened.name ? { session: opened.name } : {}),
    view,
    policy: doc.redactionPolicy,
  };
  return { ok: true, dataset: local.name, view, policy: doc.redactionPolicy, request };
}
