/**
 * Reopening sessions: a stored document goes through the shared `restore()` (validation and
 * upgrade of old versions), its datasets are found again in this case (datasets.ts), and the
 * result is what the UI opens. Also `resolveSessionQuery`, which the export capability calls for
 * `export --session NAME`.
 */
import type { OpenedSession, SessionInfo } from '../../../shared/contract/session';
import { LeakscopeError } from '../../../shared/errors';
import type { FilterNode } from '../../../shared/filter';
import {
  describeSession,
  restore,
  SessionFormatError,
  type Restored,
  type SortKey,
  type ViewColumn,
} from '../../../shared/session';
import type { ReadableDB } from '../store/types';
import { matchDatasets, missingMessage } from './datasets';
import { getStored, type StoredSession } from './save';

/** restore() for a document read from this case: a failure means the case holds a bad one. */
export function restoreStored(row: StoredSession): Restored {
  try {
    return restore(JSON.parse(row.document) as unknown);
  } catch (e) {
    const what = row.name ? `session ${JSON.stringify(row.name)}` : 'the autosaved session';
    const why = e instanceof SessionFormatError || e instanceof SyntaxError ? e.message : String(e);
    throw new LeakscopeError('E_BAD_INPUT', `${what} cannot be read: ${why}`);
  }
}

export function sessionInfo(row: StoredSession, restored: Restored): SessionInfo {
  const doc = restored.document;
  const active = doc.views[doc.activeView];
  return {
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    storedVersion: row.version,
    datasets: doc.datasets.map((d) => d.name),
    views: doc.views.length,
    rows: active?.fingerprint?.rows ?? null,
    description: describeSession(doc),
  };
}

export function openStored(db: ReadableDB, row: StoredSession): OpenedSession {
  const restored = restoreStored(row);
  const matches = matchDatasets(db, restored.document);
  const warnings = matches.filter((m) => m.local && m.warning).map((m) => m.warning!);
  const missing = missingMessage(matches);
  return {
    ...sessionInfo(row, restored),
    document: restored.document,
    upgradedFrom: restored.fromVersion === restored.document.version ? null : restored.fromVersion,
    matches,
    warnings: missing ? [missing, ...warnings] : warnings,
  };
}

/** What `export --session NAME` needs: the active view's query, on this case's dataset. */
export interface SessionQuery {
  /** Name of the dataset in this case (found by source SHA-256, see datasets.ts). */
  dataset: string;
  datasetId: number;
  filter?: FilterNode;
  search?: string;
  sort: SortKey[];
  /** Visible columns in order, or null for all. */
  columns: ViewColumn[] | null;
  redactionPolicy: string | null;
  /** describeSession() of the whole session, for the export manifest. */
  description: string;
}

/**
 * The query of a saved session's active view, resolved in this case. Throws E_NOT_FOUND when the
 * session does not exist or its dataset is missing here (the message says which file to import).
 */
export function resolveSessionQuery(db: ReadableDB, name: string): SessionQuery {
  const opened = openStored(db, getStored(db, name));
  const doc = opened.document;
  const view = doc.views[doc.activeView];
  if (!view) throw new LeakscopeError('E_BAD_INPUT', `session ${JSON.stringify(name)} has no view`);
  const match = opened.matches.find((m) => m.key === view.dataset)!;
  if (!match.local) {
    throw new LeakscopeError(
      'E_NOT_FOUND',
      `session ${JSON.stringify(name)}: ${match.warning ?? 'its dataset is missing from this case'}`,
    );
  }
  return {
    dataset: match.local.name,
    datasetId: match.local.id,
    ...(view.filter ? { filter: view.filter } : {}),
    ...(view.search ? { search: view.search } : {}),
    sort: view.sort,
    columns: view.columns,
    redactionPolicy: doc.redactionPolicy,
    description: opened.description,
  };
}
