/**
 * The saved-session document (issue 8; STYLE.md rule 14): where an investigator is in a case,
 * written so that it can be reopened days later, or handed to a colleague holding a copy of the
 * same evidence, and replayed to the same rows.
 *
 * Versioned like Excalidraw's scenes: every document carries `version`; `restore(unknown)`
 * validates any version this build knows and upgrades it step by step to the current one
 * (`SESSION_VERSION`), so old documents in a case or in a file keep opening. A document from a
 * newer Leakscope is refused with a message saying so, never half-read.
 *
 * Identity of data across cases: a dataset is named by its source file's SHA-256 + archive
 * member + table inside the source (the same file imported anywhere yields the same triple),
 * and by its local id and name only as hints for the case that saved it. Records are named by
 * `ordinal` (position in the source table, defined by the file), not by row id (a local rowid).
 * The result fingerprint follows: row count + SHA-256 over the ascending ordinals of the
 * matching records, each written as decimal text and "\n" (`FINGERPRINT_ALGORITHM`). It is
 * reproducible with any SQLite shell and compares across cases holding the same evidence.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { describeFilter, FilterNodeSchema } from './filter';

/** The version `restore()` produces and the engine writes. */
export const SESSION_VERSION = 2;
/** `format` marker of a session document, so that a stray JSON file is told apart. */
export const SESSION_FORMAT = 'leakscope.session';
/** How `Fingerprint.sha256` is computed (see the module comment). */
export const FINGERPRINT_ALGORITHM = 'sha256-ordinals-v1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256');
const IsoTime = z.string().min(1).max(40);
const Count = z.number().int().min(0);

/** A column reference: its name or dotted path, as filters and `rows.query` use them. */
const ColumnRef = z.string().min(1).max(1000);
/** Session names are shown in lists and menus: one line of printable text. */
export const SessionName = z
  .string()
  .trim()
  .min(1, 'a session name must not be empty')
  .max(200)
  .refine(
    (s) => [...s].every((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f'),
    'a session name cannot hold control characters',
  );

// ---------------------------------------------------------------------------------------------
// Version 2 (current).

/** A dataset in view: how to find it again here (id) and in any other case (source identity). */
export const SessionDataset = z
  .object({
    /** Key the views use to refer to this dataset inside the document ("d1", "d2"...). */
    key: z.string().regex(/^d[0-9]{1,4}$/),
    /** Id in the case that saved the session: a hint, valid only there. */
    id: z.number().int().positive().nullable(),
    /** Name at save time: for messages, and the match of last resort. */
    name: z.string().min(1).max(300),
    /** SHA-256 of the source file: the identity across cases (null: not recorded, v1). */
    sha256: Sha256.nullable(),
    /** Member inside an archive, if the source was one. */
    member: z.string().max(4096).nullable(),
    /** Table inside the source (SQL table, JSON key), null for single-table files. */
    table: z.string().max(1000).nullable(),
    /** Source file name, so a "missing" message can say which file to import. */
    fileName: z.string().max(4096).nullable(),
    /** Rows the dataset held at save time (null: not recorded). */
    rows: Count.nullable(),
  })
  .strict();
export type SessionDataset = z.infer<typeof SessionDataset>;

export const SortKey = z.object({ column: ColumnRef, desc: z.boolean() }).strict();
export type SortKey = z.infer<typeof SortKey>;

/** A visible column, in display order, with the investigator's width and pin. */
export const ViewColumn = z
  .object({
    column: ColumnRef,
    /** Width in CSS pixels; null: the grid's default. */
    width: z.number().int().min(16).max(4000).nullable(),
    pinned: z.enum(['left', 'right']).nullable(),
  })
  .strict();
export type ViewColumn = z.infer<typeof ViewColumn>;

/** Result identity at save time (see the module comment). */
export const Fingerprint = z
  .object({
    algorithm: z.enum([FINGERPRINT_ALGORITHM, 'count-only']),
    /** Matching records. */
    rows: Count,
    /** SHA-256 over the ascending ordinals; null for 'count-only' (upgraded v1 documents). */
    sha256: Sha256.nullable(),
    /** Rows of the dataset itself then: tells "the data grew" from "the filter now matches more". */
    datasetRows: Count.nullable(),
    /** Digest of the record tags / notes the filter reads (null when it reads none). */
    flags: Sha256.nullable(),
    at: IsoTime,
  })
  .strict()
  .refine(
    (f) => (f.algorithm === 'count-only') === (f.sha256 === null),
    'sha256 is required unless the algorithm is count-only',
  );
export type Fingerprint = z.infer<typeof Fingerprint>;

export const SessionView = z
  .object({
    /** `SessionDataset.key` of the dataset this view shows. */
    dataset: z.string(),
    filter: FilterNodeSchema.nullable(),
    search: z.string().min(1).max(500).nullable(),
    /** At most 3 keys, as `rows.query` takes. */
    sort: z.array(SortKey).max(3),
    /** Visible columns in order; null: all of the dataset's columns in their own order. */
    columns: z.array(ViewColumn).max(2000).nullable(),
    /** The selected record, by ordinal (stable across cases) and row id (a local hint). */
    selected: z
      .object({ ordinal: Count, rowId: z.number().int().positive().nullable() })
      .strict()
      .nullable(),
    /** First visible row index and horizontal offset in pixels. */
    scroll: z.object({ row: Count, left: z.number().min(0).max(1e7) }).strict(),
    /** Null when not computed (autosave). */
    fingerprint: Fingerprint.nullable(),
  })
  .strict();
export type SessionView = z.infer<typeof SessionView>;

export const SessionV2 = z
  .object({
    format: z.literal(SESSION_FORMAT),
    version: z.literal(2),
    savedAt: IsoTime,
    /** Leakscope version that wrote it (null when upgraded from v1, which did not say). */
    app: z.string().max(100).nullable(),
    /**
     * Id of the case that saved it: dataset ids are hints only there, and a dataset found under
     * another id there was re-imported (null when upgraded from v1).
     */
    caseId: z.string().max(100).nullable(),
    datasets: z.array(SessionDataset).max(100),
    views: z.array(SessionView).max(50),
    /** Index of the view on screen. */
    activeView: Count,
    /** Name of the redaction policy applied on screen and to exports; null: none. */
    redactionPolicy: z.string().min(1).max(200).nullable(),
    /** The investigator's free-text notes. */
    notes: z.string().max(100_000),
  })
  .strict()
  .superRefine((s, ctx) => {
    const keys = new Set<string>();
    s.datasets.forEach((d, i) => {
      if (keys.has(d.key))
        ctx.addIssue({
          code: 'custom',
          path: ['datasets', i, 'key'],
          message: `duplicate key ${d.key}`,
        });
      keys.add(d.key);
    });
    s.views.forEach((v, i) => {
      if (!keys.has(v.dataset))
        ctx.addIssue({
          code: 'custom',
          path: ['views', i, 'dataset'],
          message: `no dataset with key ${JSON.stringify(v.dataset)} in "datasets"`,
        });
    });
    if (s.views.length > 0 && s.activeView >= s.views.length)
      ctx.addIssue({
        code: 'custom',
        path: ['activeView'],
        message: `view ${s.activeView} does not exist (views are numbered from 0; there ${s.views.length === 1 ? 'is 1 view' : `are ${s.views.length} views`})`,
      });
  });
export type SessionV2 = z.infer<typeof SessionV2>;

/** The current document. */
export const SessionDocument = SessionV2;
export type SessionDocument = SessionV2;

// ---------------------------------------------------------------------------------------------
// Version 1 (first release): one dataset by name, sort as the CLI's "COL[:desc]" text, visible
// columns as names, only a row count. Kept so documents saved then still open.

export const SessionV1 = z
  .object({
    version: z.literal(1),
    savedAt: IsoTime,
    dataset: z.string().min(1).max(300),
    filter: FilterNodeSchema.nullable(),
    search: z.string().max(500).nullable(),
    sort: z.string().max(1000).nullable(),
    columns: z.array(ColumnRef).max(2000).nullable(),
    notes: z.string().max(100_000),
    /** Records matched at save time. */
    rowCount: Count.nullable(),
  })
  .strict();
export type SessionV1 = z.infer<typeof SessionV1>;

/** Parses the CLI's sort text: "col", "col:desc", "a:desc,b" (":asc" accepted too). */
export function parseSortText(text: string | null | undefined): SortKey[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const m = /^(.*?):(asc|desc)$/i.exec(s);
      return m
        ? { column: m[1]!, desc: m[2]!.toLowerCase() === 'desc' }
        : { column: s, desc: false };
    });
}

/** v1 → v2: one dataset and one view; the name stays the only dataset identity (no hash then). */
function upgrade1to2(v1: SessionV1): SessionV2 {
  return {
    format: SESSION_FORMAT,
    version: 2,
    savedAt: v1.savedAt,
    app: null,
    caseId: null,
    datasets: [
      {
        key: 'd1',
        id: null,
        name: v1.dataset,
        sha256: null,
        member: null,
        table: null,
        fileName: null,
        rows: null,
      },
    ],
    views: [
      {
        dataset: 'd1',
        filter: v1.filter,
        // v1 stored an empty search as ""; v2 says "no search" with null.
        search: v1.search ? v1.search : null,
        // rows.query sorts by at most 3 keys; v1's CLI wrote one.
        sort: parseSortText(v1.sort).slice(0, 3),
        columns: v1.columns
          ? v1.columns.map((column) => ({ column, width: null, pinned: null }))
          : null,
        selected: null,
        scroll: { row: 0, left: 0 },
        fingerprint:
          v1.rowCount === null
            ? null
            : {
                algorithm: 'count-only',
                rows: v1.rowCount,
                sha256: null,
                datasetRows: null,
                flags: null,
                at: v1.savedAt,
              },
      },
    ],
    activeView: 0,
    redactionPolicy: null,
    notes: v1.notes,
  };
}

// ---------------------------------------------------------------------------------------------
// restore()

/** Why a document was refused: one line per problem, with its JSON path. */
export class SessionFormatError extends Error {
  readonly issues: string[];
  constructor(message: string, issues: string[] = []) {
    super(issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'SessionFormatError';
    this.issues = issues;
  }
}

function issueLines(error: z.ZodError, prefix: string): string[] {
  return error.issues.slice(0, 10).map((i) => {
    const path = i.path.length ? `${prefix}.${i.path.join('.')}` : prefix;
    return `${path}: ${i.message}`;
  });
}

const STEPS: { version: number; schema: z.ZodType; up: ((doc: never) => unknown) | null }[] = [
  { version: 1, schema: SessionV1, up: upgrade1to2 },
  { version: 2, schema: SessionV2, up: null },
];

export interface Restored {
  document: SessionDocument;
  /** The version the input was written in (< SESSION_VERSION when it was upgraded). */
  fromVersion: number;
}

/**
 * Validates a session document of any known version and upgrades it to the current one.
 * Throws SessionFormatError with a readable reason (not a session, newer Leakscope, which
 * fields are wrong).
 */
export function restore(input: unknown): Restored {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SessionFormatError('not a Leakscope session: expected a JSON object');
  }
  const version = (input as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionFormatError(
      'not a Leakscope session: it has no "version" (a positive integer) field',
    );
  }
  if (version > SESSION_VERSION) {
    throw new SessionFormatError(
      `this session was written by a newer Leakscope (session version ${version}; this version reads up to ${SESSION_VERSION}): update Leakscope to open it`,
    );
  }
  const first = STEPS.findIndex((s) => s.version === version);
  const parsed = STEPS[first]!.schema.safeParse(input);
  if (!parsed.success) {
    throw new SessionFormatError(
      `invalid session (version ${version})`,
      issueLines(parsed.error, 'session'),
    );
  }
  let doc: unknown = parsed.data;
  for (let i = first; i < STEPS.length - 1; i++) {
    doc = STEPS[i]!.up!(doc as never);
  }
  // The upgrade steps are code: a failure here is a bug, reported as such.
  const final = SessionV2.safeParse(doc);
  if (!final.success) {
    throw new SessionFormatError(
      `upgrading a version ${version} session produced an invalid document`,
      issueLines(final.error, 'session'),
    );
  }
  return { document: final.data, fromVersion: version };
}

// ---------------------------------------------------------------------------------------------
// describeSession()

function describeSort(sort: readonly SortKey[]): string {
  return sort.map((s) => `${s.column}${s.desc ? ' (descending)' : ''}`).join(', then ');
}

function datasetLabel(d: SessionDataset | undefined): string {
  if (!d) return 'an unknown dataset';
  return JSON.stringify(d.name);
}

/** One view in a sentence: dataset, filter, search, sort, columns, result at save time. */
export function describeView(
  doc: SessionDocument,
  view: SessionView,
  columns?: readonly { name: string; path: string }[],
): string {
  const ds = doc.datasets.find((d) => d.key === view.dataset);
  const parts = [`${datasetLabel(ds)}: ${describeFilter(view.filter ?? undefined, columns)}`];
  if (view.search) parts.push(`searching ${JSON.stringify(view.search)}`);
  if (view.sort.length) parts.push(`sorted by ${describeSort(view.sort)}`);
  if (view.columns)
    parts.push(`${view.columns.length} visible column${view.columns.length === 1 ? '' : 's'}`);
  const f = view.fingerprint;
  if (f) parts.push(`${f.rows} matching record${f.rows === 1 ? '' : 's'} when saved`);
  return parts.join('; ');
}

/** The whole session in plain language (lists, audit summaries, export manifests). */
export function describeSession(doc: SessionDocument): string {
  const lines: string[] = [];
  if (doc.views.length === 0) lines.push('no view open');
  doc.views.forEach((v, i) => {
    const mark =
      doc.views.length > 1 ? `view ${i + 1}${i === doc.activeView ? ' (active)' : ''}: ` : '';
    lines.push(`${mark}${describeView(doc, v)}`);
  });
  if (doc.redactionPolicy) lines.push(`redaction policy ${JSON.stringify(doc.redactionPolicy)}`);
  const unhashed = doc.datasets.filter((d) => d.sha256 === null).length;
  if (unhashed)
    lines.push(
      `${unhashed} dataset${unhashed === 1 ? '' : 's'} without a source hash (matched by name)`,
    );
  if (doc.notes.trim()) {
    const first = doc.notes.trim().split('\n')[0]!;
    lines.push(`notes: ${first.length > 80 ? `${first.slice(0, 80)}…` : first}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Exported session files.

export const SESSION_FILE_FORMAT = 'leakscope.session-file';

/** Investigators' marks on records, carried by ordinal (row ids are local to a case). */
export const PortableFlags = z
  .object({
    ordinal: Count,
    tags: z.array(z.string().min(1).max(100)).max(100),
    note: z.string().min(1).max(10_000).nullable(),
  })
  .strict();
export type PortableFlags = z.infer<typeof PortableFlags>;

/**
 * What `session export` writes: the session (any version; `restore()` reads it), its name, and
 * the tags and notes on records of its datasets, so that a filter on tags replays to the same
 * rows in a colleague's case.
 */
export const SessionFile = z
  .object({
    format: z.literal(SESSION_FILE_FORMAT),
    exportedAt: IsoTime,
    app: z.string().max(100).nullable(),
    name: SessionName,
    /** describeSession() at export time, for a human opening the file. */
    description: z.string().max(100_000),
    session: z.unknown(),
    flags: z
      .array(
        z.object({ dataset: z.string(), records: z.array(PortableFlags).max(1_000_000) }).strict(),
      )
      .max(100),
  })
  .strict();
export type SessionFile = z.infer<typeof SessionFile>;

export interface RestoredFile extends Restored {
  /** Name carried by the file (null for a bare session document). */
  name: string | null;
  flags: SessionFile['flags'];
}

/**
 * Reads an exported session file, or a bare session document (any version); validates and
 * upgrades the session inside. Flags naming a dataset key the session does not have are refused.
 */
export function restoreFile(input: unknown): RestoredFile {
  const isFile =
    input !== null &&
    typeof input === 'object' &&
    !Array.isArray(input) &&
    (input as { format?: unknown }).format === SESSION_FILE_FORMAT;
  if (!isFile) return { ...restore(input), name: null, flags: [] };
  const parsed = SessionFile.safeParse(input);
  if (!parsed.success) {
    throw new SessionFormatError('invalid session file', issueLines(parsed.error, 'file'));
  }
  const restored = restore(parsed.data.session);
  const keys = new Set(restored.document.datasets.map((d) => d.key));
  const stray = parsed.data.flags.filter((f) => !keys.has(f.dataset)).map((f) => f.dataset);
  if (stray.length) {
    throw new SessionFormatError('invalid session file', [
      `file.flags: dataset key(s) ${stray.join(', ')} are not in the session`,
    ]);
  }
  return { ...restored, name: parsed.data.name, flags: parsed.data.flags };
}
