/**
 * session.*, flags.* and notes.* handlers, and their audit summaries. Handlers only wire the
 * contract to save/restore/check/transfer/flags; the router validates input and output and writes
 * the audit entry of every change (the summaries below keep record values out: names, counts,
 * statuses and hashes only).
 */
import type { AuditSummaries, EngineContext, HandlerMap } from '../context';
import { findDataset } from '../import/repo';
import { getMeta } from '../store/meta';
import type { ReadableDB } from '../store/types';
import { checkSession } from './check';
import {
  addTags,
  countNotes,
  listFlags,
  removeTags,
  setNote,
  tagCounts,
  type DatasetTable,
} from './flags';
import { matchingOrdinals } from './query-bridge';
import { openStored, restoreStored, sessionInfo } from './restore';
import {
  buildDocument,
  deleteStored,
  duplicateStored,
  getAutosave,
  getStored,
  listStored,
  putAutosave,
  putSession,
  renameStored,
  type ParsedDraft,
} from './save';
import { exportSession, importSession } from './transfer';

function caseId(db: ReadableDB): string {
  return getMeta(db, 'case_id') ?? '';
}

function table(db: ReadableDB, ref: string): DatasetTable {
  const d = findDataset(db, ref);
  return { id: d.id, name: d.name, physical: d.physical };
}

function build(ctx: EngineContext, draft: ParsedDraft, fingerprint: boolean, now: Date) {
  const { db } = ctx.requireCase();
  return buildDocument(db, draft, {
    now,
    app: ctx.deps.appVersion,
    caseId: caseId(db),
    fingerprint,
    ordinals: matchingOrdinals,
  });
}

export const sessionHandlers: HandlerMap = {
  'session.save': ({ name, session, overwrite }, ctx) => {
    const { db } = ctx.requireCase();
    // One clock reading: the document's savedAt and the row's updated_at agree.
    const now = ctx.now();
    const doc = build(ctx, session, true, now);
    const { created } = putSession(db, name, doc, overwrite, now);
    return { ...openStored(db, getStored(db, name)), created };
  },
  'session.list': (_input, ctx) => {
    const { db } = ctx.requireCase();
    return { sessions: listStored(db).map((row) => sessionInfo(row, restoreStored(row))) };
  },
  'session.get': ({ name }, ctx) => {
    const { db } = ctx.requireCase();
    return openStored(db, getStored(db, name));
  },
  'session.rename': ({ name, to }, ctx) => {
    const { db } = ctx.requireCase();
    const row = renameStored(db, name, to, ctx.now());
    return sessionInfo(row, restoreStored(row));
  },
  'session.duplicate': ({ name, to }, ctx) => {
    const { db } = ctx.requireCase();
    const row = duplicateStored(db, name, to, ctx.now());
    return sessionInfo(row, restoreStored(row));
  },
  'session.delete': ({ name }, ctx) => {
    const { db } = ctx.requireCase();
    deleteStored(db, name);
    return { name, deleted: true as const };
  },
  'session.autosave': ({ session }, ctx) => {
    const { db } = ctx.requireCase();
    const now = ctx.now();
    const doc = build(ctx, session, false, now);
    putAutosave(db, doc, now);
    return { savedAt: doc.savedAt };
  },
  'session.last': (_input, ctx) => {
    const { db } = ctx.requireCase();
    const row = getAutosave(db);
    return { session: row ? openStored(db, row) : null };
  },
  'session.export': ({ name, flags }, ctx) =>
    exportSession(ctx.requireCase().db, name, flags, ctx.now(), ctx.deps.appVersion),
  'session.import': (input, ctx) => {
    const { db } = ctx.requireCase();
    return importSession(db, input, ctx.now(), caseId(db));
  },
  'session.check': ({ name }, ctx) => {
    const { db } = ctx.requireCase();
    return checkSession(db, name, {
      caseId: caseId(db),
      appVersion: ctx.deps.appVersion,
      now: ctx.now(),
      ordinals: matchingOrdinals,
    });
  },
  'flags.set': ({ dataset, rows, tags, author }, ctx) => {
    const { db } = ctx.requireCase();
    const t = table(db, dataset);
    const { added } = addTags(db, t, rows, tags, author ?? null, ctx.now());
    return { dataset: t.name, rows: new Set(rows).size, added };
  },
  'flags.remove': ({ dataset, rows, tags }, ctx) => {
    const { db } = ctx.requireCase();
    const t = table(db, dataset);
    const { removed } = removeTags(db, t, rows, tags);
    return { dataset: t.name, rows: new Set(rows).size, removed };
  },
  'flags.list': ({ dataset, rows, tag, afterRowId, limit }, ctx) => {
    const { db } = ctx.requireCase();
    const t = table(db, dataset);
    const records = listFlags(db, t, {
      afterRowId,
      limit,
      ...(rows ? { rowIds: rows } : {}),
      ...(tag ? { tag } : {}),
    });
    return {
      dataset: t.name,
      records,
      tags: tagCounts(db, t.id),
      notes: countNotes(db, t.id),
      cursor: records.length === limit ? records[records.length - 1]!.rowId : null,
    };
  },
  'notes.set': ({ dataset, row, note, author }, ctx) => {
    const { db } = ctx.requireCase();
    const t = table(db, dataset);
    return { dataset: t.name, ...setNote(db, t, row, note, author ?? null, ctx.now()) };
  },
};

/** Audit results of session methods: what was saved and found, never the document's records. */
export const sessionAuditSummaries: AuditSummaries = {
  'session.save': (o) => ({
    name: o.name,
    created: o.created,
    datasets: o.document.datasets.map((d) => ({ name: d.name, sha256: d.sha256 })),
    fingerprints: o.document.views.map((v) =>
      v.fingerprint ? { rows: v.fingerprint.rows, sha256: v.fingerprint.sha256 } : null,
    ),
  }),
  'session.rename': (o) => ({ name: o.name }),
  'session.duplicate': (o) => ({ name: o.name }),
  'session.export': (o) => ({
    name: o.name,
    datasets: o.session.datasets.map((d) => ({ name: d.name, sha256: d.sha256 })),
    flaggedRecords: o.flags.reduce((n, f) => n + f.records.length, 0),
  }),
  'session.import': (o) => ({
    name: o.name,
    saved: o.saved,
    upgradedFrom: o.upgradedFrom,
    found: o.matches.filter((m) => m.local).map((m) => ({ key: m.key, by: m.by, id: m.local!.id })),
    missing: o.matches.filter((m) => !m.local).map((m) => ({ key: m.key, sha256: m.saved.sha256 })),
    flags: o.flags,
  }),
  'session.check': (o) => ({
    name: o.name,
    status: o.status,
    views: o.views.map((v) => ({ status: v.status, saved: v.saved, now: v.now })),
  }),
};
