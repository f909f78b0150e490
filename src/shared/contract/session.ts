/**
 * session.*, flags.* and notes.* methods (issue 8): saved query sessions (named, plus the
 * unnamed autosave slot), their export to and import from JSON files, the reproducibility check,
 * and investigators' tags and notes on records.
 *
 * Callers send a *draft* (datasets by name or id, the selected record by row id); the engine
 * turns it into a SessionDocument (src/shared/session.ts), recording each dataset's source
 * identity and, on save, the result fingerprint. Every change is audited (the router's entry;
 * summaries in the engine hold names and counts, never record values).
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { FilterNodeSchema } from '../filter';
import {
  PortableFlags,
  SessionDataset,
  SessionDocument,
  SessionFile,
  SessionName,
  SortKey,
  ViewColumn,
} from '../session';
import type { MethodSpec } from './method-spec';

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');
const RowId = z.number().int().min(1).describe('row id of a record (as rows.query returns it)');
const Tag = z.string().trim().min(1, 'a tag must not be empty').max(100);
const Author = z.string().trim().min(1).max(200).describe('who made the mark (free text)');

/** One view as the UI or CLI has it on screen. */
export const ViewDraft = z
  .object({
    dataset: DatasetRef,
    filter: FilterNodeSchema.nullable().default(null),
    search: z
      .string()
      .max(500)
      .nullable()
      .default(null)
      .transform((s) => (s && s.trim() ? s : null)),
    sort: z
      .array(z.object({ column: SortKey.shape.column, desc: z.boolean().default(false) }).strict())
      .max(3)
      .default([]),
    columns: z.array(ViewColumn).max(2000).nullable().default(null),
    selected: z.object({ rowId: RowId }).strict().nullable().default(null),
    scroll: z
      .object({ row: z.number().int().min(0), left: z.number().min(0).max(1e7) })
      .strict()
      .default({ row: 0, left: 0 }),
  })
  .strict();
export type ViewDraft = z.input<typeof ViewDraft>;

function draft(minViews: number) {
  return z
    .object({
      views: z.array(ViewDraft).min(minViews).max(50),
      activeView: z.number().int().min(0).default(0),
      redactionPolicy: z.string().min(1).max(200).nullable().default(null),
      notes: z.string().max(100_000).default(''),
    })
    .strict()
    .refine((d) => d.views.length === 0 || d.activeView < d.views.length, {
      message: 'activeView is past the last view',
      path: ['activeView'],
    });
}
export const SessionDraft = draft(1);
export type SessionDraft = z.input<typeof SessionDraft>;
/** The autosave may hold no view at all (nothing open yet). */
export const AutosaveDraft = draft(0);

/** How a dataset of a session was found in this case. */
export const DatasetMatch = z.object({
  key: z.string(),
  saved: SessionDataset,
  /** The dataset of this case the session's dataset resolves to; null when missing. */
  local: z
    .object({
      id: z.number().int(),
      name: z.string(),
      rows: z.number().int(),
      complete: z.boolean(),
    })
    .nullable(),
  /** id: same case; sha256: same source file (+ member + table); name: v1 sessions only. */
  by: z.enum(['id', 'sha256', 'name']).nullable(),
  /** Plain-language remark: what is missing and how to get it, or why a match is weak. */
  warning: z.string().nullable(),
});
export type DatasetMatch = z.infer<typeof DatasetMatch>;

export const SessionInfo = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Session schema version the document is stored in (upgraded when read). */
  storedVersion: z.number().int(),
  datasets: z.array(z.string()),
  views: z.number().int(),
  /** Matching records of the active view at save time (null: not recorded). */
  rows: z.number().int().nullable(),
  description: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const OpenedSession = SessionInfo.extend({
  document: SessionDocument,
  /** The version it was upgraded from when read, or null. */
  upgradedFrom: z.number().int().nullable(),
  matches: z.array(DatasetMatch),
  warnings: z.array(z.string()),
});
export type OpenedSession = z.infer<typeof OpenedSession>;

const FingerprintPart = z.object({ rows: z.number().int(), sha256: z.string().nullable() });
export const CheckStatus = z.enum(['identical', 'changed', 'unverified', 'missing']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const ViewCheck = z.object({
  view: z.number().int(),
  dataset: z.string(),
  /** Name of the dataset it resolved to in this case, or null. */
  local: z.string().nullable(),
  status: CheckStatus,
  saved: FingerprintPart.nullable(),
  now: FingerprintPart.nullable(),
  /** Rows now minus rows then (null when either is unknown). */
  delta: z.number().int().nullable(),
  /** Why it changed, in plain words ("dataset X was re-imported", "tags changed"...). */
  reasons: z.array(z.string()),
});
export type ViewCheck = z.infer<typeof ViewCheck>;

export const SessionCheck = z.object({
  name: z.string(),
  status: CheckStatus,
  message: z.string(),
  views: z.array(ViewCheck),
});
export type SessionCheck = z.infer<typeof SessionCheck>;

export const SessionImportResult = z.object({
  name: z.string(),
  saved: z.boolean(),
  upgradedFrom: z.number().int().nullable(),
  matches: z.array(DatasetMatch),
  flags: z.object({
    tagsAdded: z.number().int(),
    notesAdded: z.number().int(),
    /** Marked records whose ordinal this case's dataset does not have. */
    unmatched: z.number().int(),
    /** Marked records left out because their dataset is missing here. */
    skipped: z.number().int(),
  }),
  warnings: z.array(z.string()),
  message: z.string(),
});
export type SessionImportResult = z.infer<typeof SessionImportResult>;

export const RecordFlags = z.object({
  rowId: z.number().int(),
  ordinal: z.number().int(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
});
export type RecordFlags = z.infer<typeof RecordFlags>;

const Named = z.object({ name: SessionName }).strict();
const NameTo = z.object({ name: SessionName, to: SessionName }).strict();

export const sessionContract = {
  'session.save': {
    input: z
      .object({
        name: SessionName,
        session: SessionDraft,
        overwrite: z.boolean().default(false).describe('replace a session of the same name'),
      })
      .strict(),
    output: OpenedSession.extend({ created: z.boolean() }),
    description: 'Save the current views under a name, with the datasets and result fingerprint',
    audit: true,
    needsCase: true,
  },
  'session.list': {
    input: z.object({}).strict(),
    output: z.object({ sessions: z.array(SessionInfo) }),
    description: 'List the saved sessions of the case, most recently updated first',
    audit: false,
    needsCase: true,
  },
  'session.get': {
    input: Named,
    output: OpenedSession,
    description:
      'Open a saved session: its document (upgraded) and its datasets found in this case',
    audit: false,
    needsCase: true,
  },
  'session.rename': {
    input: NameTo,
    output: SessionInfo,
    description: 'Rename a saved session',
    audit: true,
    needsCase: true,
  },
  'session.duplicate': {
    input: NameTo,
    output: SessionInfo,
    description: 'Copy a saved session under a new name',
    audit: true,
    needsCase: true,
  },
  'session.delete': {
    input: Named,
    output: z.object({ name: z.string(), deleted: z.literal(true) }),
    description: 'Delete a saved session (the records and their marks are untouched)',
    audit: true,
    needsCase: true,
  },
  'session.autosave': {
    input: z.object({ session: AutosaveDraft }).strict(),
    output: z.object({ savedAt: z.string() }),
    description: 'Remember the current state as the unnamed last session, restored on open',
    audit: true,
    needsCase: true,
  },
  'session.last': {
    input: z.object({}).strict(),
    output: z.object({ session: OpenedSession.nullable() }),
    description: 'The autosaved last session of the case (null when there is none yet)',
    audit: false,
    needsCase: true,
  },
  'session.export': {
    input: Named.extend({
      flags: z.boolean().default(true).describe('include tags and notes on the records'),
    }).strict(),
    output: SessionFile.extend({
      session: SessionDocument,
      flags: z.array(z.object({ dataset: z.string(), records: z.array(PortableFlags) })),
    }),
    description: 'A saved session as a JSON document for a colleague holding the same evidence',
    audit: true,
    needsCase: true,
  },
  'session.import': {
    input: z
      .object({
        file: z.unknown().describe('an exported session file or a session document (JSON)'),
        name: SessionName.optional().describe('save under this name instead of the file’s'),
        overwrite: z.boolean().default(false),
        flags: z.boolean().default(true).describe('apply the tags and notes the file carries'),
        dryRun: z.boolean().default(false).describe('only say what matches and what is missing'),
      })
      .strict(),
    output: SessionImportResult,
    description: 'Import a session file: datasets matched by source SHA-256, what is missing said',
    audit: true,
    needsCase: true,
  },
  'session.check': {
    input: Named,
    output: SessionCheck,
    description: 'Recompute the result fingerprint of a session and say whether or how it changed',
    audit: true,
    needsCase: true,
  },
  'flags.set': {
    input: z
      .object({
        dataset: DatasetRef,
        rows: z.array(RowId).min(1).max(10_000),
        tags: z.array(Tag).min(1).max(20),
        author: Author.optional(),
      })
      .strict(),
    output: z.object({ dataset: z.string(), rows: z.number().int(), added: z.number().int() }),
    description: 'Tag records ("victim contacted", "fake", "sample for report"...)',
    audit: true,
    needsCase: true,
  },
  'flags.remove': {
    input: z
      .object({
        dataset: DatasetRef,
        rows: z.array(RowId).min(1).max(10_000),
        tags: z.array(Tag).min(1).max(20),
      })
      .strict(),
    output: z.object({ dataset: z.string(), rows: z.number().int(), removed: z.number().int() }),
    description: 'Remove tags from records',
    audit: true,
    needsCase: true,
  },
  'flags.list': {
    input: z
      .object({
        dataset: DatasetRef,
        rows: z.array(RowId).min(1).max(1000).optional(),
        tag: Tag.optional(),
        afterRowId: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({
      dataset: z.string(),
      records: z.array(RecordFlags),
      tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
      notes: z.number().int(),
      /** Pass as afterRowId for the next page; null on the last page. */
      cursor: z.number().int().nullable(),
    }),
    description: 'Tagged or annotated records of a dataset, and the tag vocabulary with counts',
    audit: false,
    needsCase: true,
  },
  'notes.set': {
    input: z
      .object({
        dataset: DatasetRef,
        row: RowId,
        note: z.string().max(10_000).nullable().describe('null or blank removes the note'),
        author: Author.optional(),
      })
      .strict(),
    output: z.object({
      dataset: z.string(),
      rowId: z.number().int(),
      ordinal: z.number().int(),
      hasNote: z.boolean(),
    }),
    description: 'Attach a note to a record, replace it, or remove it',
    audit: true,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
