/**
 * Saving sessions: a draft from the UI or CLI (datasets by name or id, the selected record by row
 * id) becomes a SessionDocument with each dataset's source identity and, for named saves, the
 * result fingerprint of every view; documents are stored in `sessions` or the autosave slot
 * (migration 0080).
 *
 * Documents are stored as JSON with their version; reading them goes through restore.ts, which
 * upgrades old versions, so nothing here rewrites stored documents in place.
 */
import type { z } from 'zod';
import type { AutosaveDraft } from '../../../shared/contract/session';
import { LeakscopeError } from '../../../shared/errors';
import {
  SESSION_FORMAT,
  SESSION_VERSION,
  type SessionDataset,
  type SessionDocument,
  type SessionView,
} from '../../../shared/session';
import { findDataset } from '../import/repo';
import type { ReadableDB, WritableDB } from '../store/types';
import { snapshotDataset } from './datasets';
import { computeFingerprint, type OrdinalSource } from './fingerprint';
import { ordinalsOf } from './flags';

/** A parsed draft (defaults applied); AutosaveDraft is the laxer of the two shapes. */
export type ParsedDraft = z.output<typeof AutosaveDraft>;

export interface BuildOptions {
  now: Date;
  app: string;
  caseId: string;
  /** Compute fingerprints (named saves); the autosave skips them, it runs on every change. */
  fingerprint: boolean;
  ordinals: OrdinalSource;
}

export function buildDocument(
  db: ReadableDB,
  draft: ParsedDraft,
  opts: BuildOptions,
): SessionDocument {
  const datasets: SessionDataset[] = [];
  const byId = new Map<number, { key: string; physical: string; name: string; rows: number }>();
  const views: SessionView[] = draft.views.map((v) => {
    const found = findDataset(db, v.dataset);
    let ref = byId.get(found.id);
    if (!ref) {
      ref = {
        key: `d${byId.size + 1}`,
        physical: found.physical,
        name: found.name,
        rows: found.rows,
      };
      byId.set(found.id, ref);
      datasets.push(snapshotDataset(found, ref.key));
    }
    const table = { id: found.id, name: found.name, physical: found.physical, rows: found.rows };
    const selected = v.selected
      ? {
          ordinal: ordinalsOf(db, table, [v.selected.rowId]).get(v.selected.rowId)!,
          rowId: v.selected.rowId,
        }
      : null;
    const query = { filter: v.filter, search: v.search };
    return {
      dataset: ref.key,
      filter: v.filter,
      search: v.search,
      sort: v.sort.map((s) => ({ column: s.column, desc: s.desc })),
      columns: v.columns,
      selected,
      scroll: v.scroll,
      fingerprint: opts.fingerprint
        ? computeFingerprint(db, table, query, opts.ordinals, opts.now)
        : null,
    };
  });
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: opts.now.toISOString(),
    app: opts.app,
    caseId: opts.caseId,
    datasets,
    views,
    activeView: draft.activeView,
    redactionPolicy: draft.redactionPolicy,
    notes: draft.notes,
  };
}

export interface StoredSession {
  name: string;
  version: number;
  document: string;
  created_at: string;
  updated_at: string;
}

const columnsSql = 'name, version, document, created_at, updated_at';

function names(db: ReadableDB): string[] {
  return (db.prepare('SELECT name FROM sessions ORDER BY name').all() as { name: string }[]).map(
    (r) => r.name,
  );
}

export function getStored(db: ReadableDB, name: string): StoredSession {
  const row = db.prepare(`SELECT ${columnsSql} FROM sessions WHERE name = ?`).get(name) as
    StoredSession | undefined;
  if (row) return row;
  const all = names(db);
  throw new LeakscopeError(
    'E_NOT_FOUND',
    `no session named ${JSON.stringify(name)} in this case${all.length ? `; the sessions are ${all.map((n) => JSON.stringify(n)).join(', ')}` : ' (none saved yet)'}`,
  );
}

export function listStored(db: ReadableDB): StoredSession[] {
  return db
    .prepare(`SELECT ${columnsSql} FROM sessions ORDER BY updated_at DESC, name`)
    .all() as StoredSession[];
}

function exists(db: ReadableDB, name: string): boolean {
  return db.prepare('SELECT 1 FROM sessions WHERE name = ?').get(name) !== undefined;
}

function refuseTaken(db: ReadableDB, name: string): void {
  if (exists(db, name)) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `a session named ${JSON.stringify(name)} already exists: choose another name or overwrite it`,
    );
  }
}

/** Stores a document under a name; returns whether it was new. */
export function putSession(
  db: WritableDB,
  name: string,
  doc: SessionDocument,
  overwrite: boolean,
  now: Date,
): { created: boolean } {
  return db
    .transaction(() => {
      const taken = exists(db, name);
      if (taken && !overwrite) refuseTaken(db, name);
      const at = now.toISOString();
      db.prepare(
        `INSERT INTO sessions (name, version, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, document = excluded.document, updated_at = excluded.updated_at`,
      ).run(name, doc.version, JSON.stringify(doc), at, at);
      return { created: !taken };
    })
    .immediate();
}

export function renameStored(db: WritableDB, name: string, to: string, now: Date): StoredSession {
  return db
    .transaction(() => {
      getStored(db, name);
      if (to !== name) refuseTaken(db, to);
      db.prepare('UPDATE sessions SET name = ?, updated_at = ? WHERE name = ?').run(
        to,
        now.toISOString(),
        name,
      );
      return getStored(db, to);
    })
    .immediate();
}

export function duplicateStored(
  db: WritableDB,
  name: string,
  to: string,
  now: Date,
): StoredSession {
  return db
    .transaction(() => {
      const src = getStored(db, name);
      refuseTaken(db, to);
      const at = now.toISOString();
      db.prepare(
        'INSERT INTO sessions (name, version, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(to, src.version, src.document, at, at);
      return getStored(db, to);
    })
    .immediate();
}

export function deleteStored(db: WritableDB, name: string): void {
  db.transaction(() => {
    getStored(db, name);
    db.prepare('DELETE FROM sessions WHERE name = ?').run(name);
  }).immediate();
}

export function putAutosave(db: WritableDB, doc: SessionDocument, now: Date): void {
  db.prepare(
    `INSERT INTO session_autosave (slot, version, document, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (slot) DO UPDATE SET version = excluded.version, document = excluded.document, updated_at = excluded.updated_at`,
  ).run(doc.version, JSON.stringify(doc), now.toISOString());
}

export function getAutosave(db: ReadableDB): StoredSession | null {
  const row = db
    .prepare('SELECT version, document, updated_at FROM session_autosave WHERE slot = 1')
    .get() as Omit<StoredSession, 'name' | 'created_at'> | undefined;
  // The slot has no name or creation time of its own: it is "the last session", always updated.
  return row ? { ...row, name: '', created_at: row.updated_at } : null;
}
