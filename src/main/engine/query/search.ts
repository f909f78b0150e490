/**
 * Full-text search: the per-dataset FTS5 index and the compilation of a search text.
 *
 * The index (`fts_<id>`, built by `buildSearchIndex`, a post-import step running in the
 * import's worker, inside the encrypted case):
 * - FTS5 with the trigram tokenizer, `remove_diacritics 1` (case-insensitive by default): every
 *   3-character sequence of a record is a term, so any substring of 3+ characters, inside an
 *   email or an identifier too, is found through the index; 'helene' finds 'Hélène'.
 * - One document per record: the record's columns joined with U+001F (unit separator), which no
 *   search term contains, so no match spans two columns. Contentless (`content=''`, rowid = the
 *   record's id): the text is not stored twice, the dataset table holds it.
 * - `detail=none`, `columnsize=0`: the index keeps only which records hold each trigram, not
 *   where. On a 200k-row French leak (16 columns) that is 56 MB against 167 MB with positions
 *   (detail=full), and a quarter faster to build. A word of more than 3 characters is looked up
 *   as the AND of its trigrams (at most 16, spread over the word) and the candidates are
 *   re-checked with `ls_has` (the word, folded, inside some column), so results are exact.
 *
 * Words of fewer than 3 characters cannot use a trigram index: they are checked by `ls_has` on
 * every candidate record (every record, if no other word narrows the search) and the result's
 * notes say so. A dataset without a ready index (imported before this version, or an index
 * build that was cancelled) is searched by scanning, also said so.
 */
import type { SearchIndexStatus } from '../../../shared/contract/query';
import { MIN_INDEXED_TERM, parseSearchTerms } from '../../../shared/filter';
import { sqlId } from '../store/sql';
import type { ReadableDB, WritableDB } from '../store/types';
import type { JobHooks } from '../jobs/registry';
import { loadDataset, type QueryDataset, type SqlParams } from './dataset';
import { fold } from './functions';

export const SEARCH_TOKENIZER = 'trigram remove_diacritics 1';
/** SQLITE_MAX_FUNCTION_ARG is 1000: wider datasets are split into several calls. */
const ARGS_PER_CALL = 900;
const MAX_TRIGRAMS = 16;

export function ftsTableName(datasetId: number): string {
  return `fts_${datasetId}`;
}

function chunksOf<T>(list: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

/** `concat_ws(char(31), c_1, ..., c_n)` over the table aliased t (nested past 900 columns). */
function documentSql(ds: QueryDataset): string {
  const parts = chunksOf(ds.columns, ARGS_PER_CALL).map(
    (cols) => `concat_ws(char(31), ${cols.map((c) => c.sql).join(', ')})`,
  );
  return parts.length === 1 ? parts[0]! : `concat_ws(char(31), ${parts.join(', ')})`;
}

/**
 * Index builds share the case with other writers (the audit log after every call, sessions, tags,
 * another import). SQLite has one writer at a time, and a waiting writer polls (busy handler)
 * every 100 ms at most. So the build writes in short transactions (sized to take about
 * BUILD_TX_MS, at most BUILD_MAX_ROWS rows) and, each time it has held the lock for BUILD_TX_MS
 * in all, leaves it free for BUILD_GAP_MS, longer than one poll: a writer waits about one second,
 * well inside the 5 s busy timeout, instead of the whole build (22 min at 10M rows). A small
 * dataset builds in one or two transactions, without pauses.
 */
export const BUILD_TX_MS = 1000;
export const BUILD_GAP_MS = 110;
const BUILD_MIN_ROWS = 500;
const BUILD_MAX_ROWS = 50_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SearchBuildResult {
  rows: number;
  seconds: number;
  /** Write transactions of the build, and the longest one (ms): the longest lock hold. */
  transactions: number;
  longestTransactionMs: number;
}

/**
 * Builds (or rebuilds) the search index of a dataset in short transactions (see BUILD_TX_MS),
 * reporting progress and checking for cancellation between them. Marked `ready` only at the end;
 * until then queries scan (and say so). A cancelled build leaves status `building`: the next
 * build starts over.
 */
export async function buildSearchIndex(
  db: WritableDB,
  datasetId: number,
  hooks: JobHooks,
  now: () => Date = () => new Date(),
  opts: { txMs?: number; gapMs?: number } = {},
): Promise<SearchBuildResult> {
  const txMs = opts.txMs ?? BUILD_TX_MS;
  const gapMs = opts.gapMs ?? BUILD_GAP_MS;
  const ds = loadDataset(db, String(datasetId));
  const started = performance.now();
  if (ds.columns.length === 0) {
    return { rows: 0, seconds: 0, transactions: 0, longestTransactionMs: 0 };
  }
  const ftsSql = sqlId(ftsTableName(ds.id));
  const tableSql = sqlId(ds.physical);
  let transactions = 0;
  let longest = 0;
  let held = 0;
  const tx = (fn: () => void) => {
    const t0 = performance.now();
    db.transaction(fn).immediate();
    const ms = performance.now() - t0;
    transactions++;
    held += ms;
    longest = Math.max(longest, ms);
    return ms;
  };
  /** Lets other writers in (see BUILD_TX_MS) and a cancel request arrive. */
  const yieldLock = async () => {
    if (held >= txMs) {
      held = 0;
      await sleep(gapMs);
    } else await new Promise((r) => setImmediate(r));
  };
  // Dropping a large index frees its pages in one statement: drop it alone, then yield.
  tx(() => {
    db.prepare('DELETE FROM search_indexes WHERE dataset_id = ?').run(ds.id);
    db.exec(`DROP TABLE IF EXISTS ${ftsSql}`);
  });
  await yieldLock();
  tx(() => {
    db.exec(
      `CREATE VIRTUAL TABLE ${ftsSql} USING fts5(doc, content='', columnsize=0, detail=none, tokenize='trigram remove_diacritics 1')`,
    );
    db.prepare(
      "INSERT INTO search_indexes (dataset_id, fts_table, tokenizer, status, rows, started_at) VALUES (?, ?, ?, 'building', 0, ?)",
    ).run(ds.id, ftsTableName(ds.id), SEARCH_TOKENIZER, now().toISOString());
  });
  const docSql = documentSql(ds);
  const insert = db.prepare(
    `INSERT INTO ${ftsSql} (rowid, doc) SELECT t.id, ${docSql} FROM ${tableSql} t WHERE t.id > ? AND t.id <= ?`,
  );
  const setRows = db.prepare('UPDATE search_indexes SET rows = ? WHERE dataset_id = ?');
  // A bare max() of the rowid: read from the b-tree's edge, not by a scan.
  const maxId =
    (db.prepare(`SELECT max(id) AS v FROM ${tableSql}`).get() as { v: number | null }).v ?? 0;
  const bytes =
    (
      db
        .prepare(
          'SELECT s.bytes FROM datasets d JOIN sources s ON s.id = d.source_id WHERE d.id = ?',
        )
        .get(ds.id) as { bytes: number } | undefined
    )?.bytes ?? 0;
  let done = 0;
  let lastReport = 0;
  let chunk = 5000;
  for (let lo = 0; lo < maxId;) {
    hooks.signal.throwIfAborted();
    const hi = Math.min(maxId, lo + chunk);
    const ms = tx(() => {
      done += insert.run(lo, hi).changes;
      setRows.run(done, ds.id);
    });
    lo = hi;
    // Size the next transaction to take about txMs (FTS5 merges make some take longer).
    const factor = ms <= 1 ? 2 : Math.min(2, Math.max(0.25, txMs / ms));
    chunk = Math.round(Math.min(BUILD_MAX_ROWS, Math.max(BUILD_MIN_ROWS, chunk * factor)));
    const t = performance.now();
    if (t - lastReport > 250 || lo >= maxId) {
      lastReport = t;
      const seconds = (t - started) / 1000;
      const share = Math.min(1, lo / maxId);
      const rate = done / Math.max(seconds, 1e-3);
      // Progress in source bytes (what the import reported) so the percentage reads naturally.
      hooks.onProgress({
        step: 'search index',
        bytesDone: Math.round(bytes * share),
        bytesTotal: bytes,
        records: done,
        rejected: 0,
        rowsPerSecond: Math.round(rate),
        etaSeconds: rate > 0 ? Math.max(0, (ds.rows - done) / rate) : null,
      });
    }
    await yieldLock();
  }
  const seconds = (performance.now() - started) / 1000;
  tx(() => {
    db.prepare(
      "UPDATE search_indexes SET status = 'ready', rows = ?, seconds = ? WHERE dataset_id = ?",
    ).run(done, seconds, ds.id);
  });
  return { rows: done, seconds, transactions, longestTransactionMs: longest };
}

/** The post-import step (jobs/post-import.ts). */
export const searchIndexStep = async (db: WritableDB, datasetId: number, hooks: JobHooks) => {
  await buildSearchIndex(db, datasetId, hooks);
};

/** The search index's state for `search.status`. */
export function searchIndexStatus(
  db: ReadableDB,
  ds: { id: number; name: string },
): SearchIndexStatus {
  const row = db
    .prepare(
      'SELECT status, rows, tokenizer, started_at AS startedAt, seconds FROM search_indexes WHERE dataset_id = ?',
    )
    .get(ds.id) as
    | { status: string; rows: number; tokenizer: string; startedAt: string; seconds: number | null }
    | undefined;
  if (!row) {
    return {
      dataset: ds.name,
      status: 'missing',
      rows: 0,
      tokenizer: null,
      startedAt: null,
      seconds: null,
    };
  }
  return {
    dataset: ds.name,
    status: row.status === 'ready' ? 'ready' : 'building',
    rows: row.rows,
    tokenizer: row.tokenizer,
    startedAt: row.startedAt,
    seconds: row.status === 'ready' ? row.seconds : null,
  };
}

export function searchIndexReady(db: ReadableDB, datasetId: number): boolean {
  const row = db
    .prepare('SELECT status FROM search_indexes WHERE dataset_id = ?')
    .get(datasetId) as { status: string } | undefined;
  return row?.status === 'ready';
}

/** Up to MAX_TRIGRAMS trigrams covering the word, first and last included. */
export function trigramsOf(term: string): string[] {
  const cps = Array.from(term);
  const all: string[] = [];
  for (let i = 0; i + 3 <= cps.length; i++) all.push(cps.slice(i, i + 3).join(''));
  let picked: string[];
  if (all.length <= MAX_TRIGRAMS) picked = all;
  else {
    picked = [];
    for (let k = 0; k < MAX_TRIGRAMS; k++) {
      picked.push(all[Math.round((k * (all.length - 1)) / (MAX_TRIGRAMS - 1))]!);
    }
  }
  return [...new Set(picked)];
}

function ftsString(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** The FTS5 condition "the document holds this (folded) word": the AND of its trigrams. */
export function trigramQuery(foldedTerm: string): string {
  return trigramsOf(foldedTerm).map(ftsString).join(' AND ');
}

export interface CompiledSearch {
  mode: 'none' | 'index' | 'scan' | 'mixed';
  /** FTS5 query for `fts_<id> MATCH`, or null when the index is not used. */
  match: string | null;
  /** The FTS table (unquoted) when `match` is set. */
  ftsTable: string | null;
  /** Predicates on `t` (the exact re-checks). */
  conds: string[];
  notes: string[];
}

/**
 * The exact re-check of one word: `ls_has(@term, <the record's document>)`. The document is the
 * columns joined in C by concat_ws (one JavaScript call per record, not one per column), with
 * U+001F between columns, which a word never contains: no match across two columns.
 */
function recheckSql(ds: QueryDataset, param: string): string {
  if (ds.columns.length === 0) return '0';
  return `ls_has(${param}, ${documentSql(ds)})`;
}

export function compileSearch(
  db: ReadableDB,
  ds: QueryDataset,
  text: string | undefined,
  params: SqlParams,
): CompiledSearch {
  const terms = parseSearchTerms(text);
  if (terms.length === 0)
    return { mode: 'none', match: null, ftsTable: null, conds: [], notes: [] };
  const ready = searchIndexReady(db, ds.id);
  const notes: string[] = [];
  const conds: string[] = [];
  const match: string[] = [];
  let scanned = 0;
  for (const term of terms) {
    const length = Array.from(term).length;
    const indexed = ready && length >= MIN_INDEXED_TERM;
    if (indexed) match.push(trigramQuery(term));
    else scanned++;
    // A word of exactly 3 characters is one trigram: the index answer is already exact.
    if (!indexed || length > MIN_INDEXED_TERM) conds.push(recheckSql(ds, params.bind(fold(term))));
    if (ready && !indexed) {
      notes.push(
        `${JSON.stringify(term)} is shorter than ${MIN_INDEXED_TERM} characters: it cannot use the search index and is checked record by record${match.length || terms.some((t) => Array.from(t).length >= MIN_INDEXED_TERM) ? ' among the records the other words select' : ' over the whole dataset (slow on large datasets)'}`,
      );
    }
  }
  if (!ready) {
    notes.push(
      `dataset ${JSON.stringify(ds.name)} has no search index (yet): the search scans every record`,
    );
  }
  const mode = scanned === 0 ? 'index' : match.length === 0 ? 'scan' : 'mixed';
  return {
    mode,
    match: match.length ? match.join(' AND ') : null,
    ftsTable: match.length ? ftsTableName(ds.id) : null,
    conds,
    notes,
  };
}
